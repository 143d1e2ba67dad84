"""Generate the PWA's TypeScript types from the msgspec Structs.

    python -m shared_schemas.typescript            # writes shared_schemas/types.gen.ts
    python -m shared_schemas.typescript --check    # exits 1 when the file has drifted

msgspec describes each Struct as JSON Schema; this turns that schema into interfaces.
Only the schema shapes our Structs produce are handled, and anything else fails loudly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import msgspec

from shared_schemas import ALL_STRUCTS

OUTPUT = Path(__file__).with_name("types.gen.ts")
HEADER = (
    "// Generated from shared_schemas by `make types`. Do not edit by hand:\n"
    "// change the msgspec Structs and regenerate (a test fails when this file drifts).\n"
)


def _ts_type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_ts_type(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(msgspec.json.encode(v).decode() for v in schema["enum"])
    if "const" in schema:
        return msgspec.json.encode(schema["const"]).decode()
    kind = schema.get("type")
    if kind == "string":
        return "string"
    if kind in ("integer", "number"):
        return "number"
    if kind == "boolean":
        return "boolean"
    if kind == "null":
        return "null"
    if kind == "array":
        inner = _ts_type(schema.get("items", {}))
        return f"({inner})[]" if "|" in inner else f"{inner}[]"
    if kind == "object":
        values = schema.get("additionalProperties")
        if isinstance(values, dict) and values:
            return f"Record<string, {_ts_type(values)}>"
        return "Record<string, unknown>"
    if not schema:
        return "unknown"
    raise ValueError(f"no TypeScript mapping for schema {schema!r}")


def _doc(text: str | None, indent: str) -> str:
    return f"{indent}/** {text} */\n" if text else ""


def render() -> str:
    _, components = msgspec.json.schema_components(ALL_STRUCTS, ref_template="#/$defs/{name}")
    parts = [HEADER]
    for name in sorted(components):
        schema = components[name]
        if schema.get("type") != "object":
            parts.append(f"\nexport type {name} = {_ts_type(schema)};\n")
            continue
        required = set(schema.get("required", []))
        lines = [f"\n{_doc(schema.get('description'), '')}export interface {name} {{\n"]
        for field, field_schema in schema.get("properties", {}).items():
            optional = "" if field in required else "?"
            lines.append(_doc(field_schema.get("description"), "  "))
            lines.append(f"  {field}{optional}: {_ts_type(field_schema)};\n")
        lines.append("}\n")
        parts.append("".join(lines))
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Writes (or checks) types.gen.ts and docs/bodies.md (shared_schemas.markdown): one
    command keeps both in step with the Structs."""
    from shared_schemas import markdown

    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        if not OUTPUT.exists() or OUTPUT.read_text() != text:
            print(f"{OUTPUT} is out of date: run `make types`", file=sys.stderr)
            return 1
        return markdown.main(["--check"])
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT}")
    return markdown.main([])


if __name__ == "__main__":
    raise SystemExit(main())
