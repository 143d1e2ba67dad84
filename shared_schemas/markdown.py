"""Generate docs/bodies.md: every request and response body with its fields, from the Structs.

    python -m shared_schemas.markdown            # writes docs/bodies.md
    python -m shared_schemas.markdown --check    # exits 1 when the file has drifted

`make types` (python -m shared_schemas.typescript) writes it too.

docs/api.md and docs/sync-protocol.md name bodies (`LoginRequest`, `PushRequest`); this lists
what each holds, its type, whether it is required (or its default) and its limits, taken
from the same JSON Schema msgspec serves in the OpenAPI document, so it cannot drift.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import msgspec

from shared_schemas import ALL_STRUCTS

OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "bodies.md"
HEADER = """# Bodies

Generated from `shared_schemas` by `make types`: do not edit by hand (a test fails when this
file drifts). Every request and response body of the API, in alphabetical order. A field
without a default is required in requests and always present in answers; `null` in a type
means the field may be null. Unknown fields in a request are ignored (a newer client may
send more). Instants are ISO 8601 **with an offset** (`2026-11-25T09:30:00+01:00`); dates are
`YYYY-MM-DD`. What each route takes and answers is in [api.md](api.md) and
[sync-protocol.md](sync-protocol.md).
"""


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(f"`{msgspec.json.encode(v).decode()}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{msgspec.json.encode(schema['const']).decode()}`"
    kind = schema.get("type")
    if kind == "string":
        shown = {"date-time": "instant", "date": "date", "time": "time", "uuid": "UUID"}
        return shown.get(schema.get("format", ""), "string")
    if kind in ("integer", "number", "boolean", "null"):
        return {"integer": "integer", "number": "number", "boolean": "boolean", "null": "null"}[kind]
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if kind == "object":
        values = schema.get("additionalProperties")
        return f"object of {_type(values)}" if isinstance(values, dict) and values else "object"
    return "any JSON"


def _limits(schema: dict[str, Any]) -> str:
    parts: list[str] = []
    for option in schema.get("anyOf", [schema]):
        if "minLength" in option or "maxLength" in option:
            low, high = option.get("minLength", 0), option.get("maxLength")
            parts.append(f"{low}–{high:,} characters" if high is not None else f"at least {low} characters")
        for key, word in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
            if key in option:
                parts.append(f"{word} {option[key]:,}")
        if "minItems" in option or "maxItems" in option:
            low, high = option.get("minItems", 0), option.get("maxItems")
            parts.append(f"{low}–{high} items" if high is not None else f"at least {low} items")
        if "pattern" in option:
            parts.append(f"matches `{option['pattern']}`")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    _, components = msgspec.json.schema_components(ALL_STRUCTS, ref_template="#/$defs/{name}")
    parts = [HEADER]
    for name in sorted(components):
        schema = components[name]
        parts.append(f"\n## {name}\n\n")
        if schema.get("description"):
            parts.append(" ".join(schema["description"].split()) + "\n\n")
        if schema.get("type") != "object":
            parts.append(f"{_cell(_type(schema))}\n")
            continue
        properties = schema.get("properties", {})
        if not properties:
            parts.append("An empty object `{}`.\n")
            continue
        required = set(schema.get("required", []))
        parts.append("| field | type | required / default | limits |\n|---|---|---|---|\n")
        for field, field_schema in properties.items():
            if field in required:
                presence = "required"
            elif "default" in field_schema:
                presence = f"default `{msgspec.json.encode(field_schema['default']).decode()}`"
            else:
                presence = "optional"
            parts.append(f"| `{field}` | {_cell(_type(field_schema))} | {presence} | {_cell(_limits(field_schema))} |\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        if not OUTPUT.exists() or OUTPUT.read_text() != text:
            print(f"{OUTPUT} is out of date: run `make types`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
