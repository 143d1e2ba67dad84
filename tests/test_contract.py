"""The PWA's TypeScript types are generated from the msgspec Structs and must not drift."""

from __future__ import annotations

import msgspec

from shared_schemas import ALL_STRUCTS
from shared_schemas.typescript import OUTPUT, render


def test_committed_typescript_matches_the_structs():
    assert OUTPUT.read_text() == render(), "shared_schemas/types.gen.ts is stale: run `make types`"


def test_committed_body_reference_matches_the_structs():
    from shared_schemas import markdown

    assert markdown.OUTPUT.read_text() == markdown.render(), "docs/bodies.md is stale: run `make types`"
    assert "| `email` | string | required |" in markdown.render()  # LoginRequest's fields are listed


def test_every_struct_is_listed_and_exported():
    import shared_schemas
    from shared_schemas import accounts, alerts, coaching, common, plans, reminders, review, sync

    defined = {
        obj
        for module in (accounts, alerts, coaching, common, plans, reminders, review, sync)
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, msgspec.Struct) and obj.__module__ == module.__name__
    }
    assert defined == set(ALL_STRUCTS)
    assert all(hasattr(shared_schemas, s.__name__) for s in ALL_STRUCTS)


def test_a_changed_struct_changes_the_output(monkeypatch):
    class Extra(msgspec.Struct):
        answer: int

    monkeypatch.setattr("shared_schemas.typescript.ALL_STRUCTS", (*ALL_STRUCTS, Extra))
    assert "export interface Extra {\n  answer: number;\n}" in render()
