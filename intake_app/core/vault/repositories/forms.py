"""Form definitions (immutable per version) and the responses stored with cases."""

from __future__ import annotations

from typing import Any

from intake_app.core.records import FormDefinition, FormResponse
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row


def form_response(row: Any) -> FormResponse:
    return from_row(FormResponse, row)


def form_definition(row: Any) -> FormDefinition:
    return from_row(FormDefinition, row)


def definition(db: Database, form_id: str, version: str | None = None) -> FormDefinition | None:
    """That version of the form, or (without a version) the one added last."""
    if version is None:
        row = db.one(
            "SELECT * FROM form_definition WHERE form_id = ? ORDER BY added_at DESC LIMIT 1",
            (form_id,),
        )
    else:
        row = db.one(
            "SELECT * FROM form_definition WHERE form_id = ? AND version = ?", (form_id, version)
        )
    return None if row is None else form_definition(row)


def definitions(db: Database) -> list[FormDefinition]:
    """Every version not retired, by form, the newest first."""
    rows = db.all(
        "SELECT * FROM form_definition WHERE retired_at IS NULL ORDER BY form_id, added_at DESC"
    )
    return [form_definition(r) for r in rows]


def definition_hashes(db: Database) -> set[str]:
    """The SHA-256 of every stored form file (retired ones too)."""
    return {r[0] for r in db.all("SELECT sha256 FROM form_definition")}


def definition_source(db: Database, definition_id: str) -> bytes:
    row = db.one("SELECT source FROM form_definition WHERE id = ?", (definition_id,))
    return bytes(row["source"])


def definition_media(db: Database, definition_id: str) -> bytes | None:
    """The form version's media files as stored (core/forms/media.py decodes them)."""
    row = db.one("SELECT media FROM form_definition WHERE id = ?", (definition_id,))
    return None if row is None or row["media"] is None else bytes(row["media"])
