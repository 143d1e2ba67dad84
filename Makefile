# Followthrough: `make run` starts the product, `make test` runs every test.
# Both install what they need first and reuse it on the next run.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FT     := $(BIN)/followthrough
export PICCOLO_CONF := backend.piccolo_conf

PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
DIST       := frontend/dist/index.html
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) shared_schemas/types.gen.ts \
                    frontend/index.html frontend/vite.config.ts package.json

.PHONY: run test install build types lint e2e chromium clean

run: install build
	@$(FT) migrate
	@$(FT) demo --if-empty
	@$(FT) serve

install: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: $(DIST)

$(DIST): $(NODE_STAMP) $(FRONTEND_SOURCES)
	npm run build

types: $(PY_STAMP)
	$(BIN)/python -m shared_schemas.typescript

lint: $(PY_STAMP)
	$(BIN)/ruff check backend shared_schemas tests bench

# Debian's chromium for the browser tests: installed when missing and we may (root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) >/dev/null \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "warning: chromium is missing; browser tests will be skipped"; fi; }

test: install build chromium
	$(BIN)/python -m shared_schemas.typescript --check
	npm run typecheck
	npm test
	$(BIN)/python -m pytest -q

e2e: install build chromium
	$(BIN)/python -m pytest -q -m e2e

clean:
	rm -rf $(VENV) node_modules frontend/dist
