"""Records of the sealed files that left the vault."""

from __future__ import annotations

import json
from typing import Any

from intake_app.core.records import ExportRecord
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row

EXPORT_RECORD_SELECT = (
    "SELECT e.*, c.reference AS case_reference, r.name AS recipient_name FROM export_record e"
    " JOIN case_file c ON c.id = e.case_id JOIN recipient r ON r.id = e.recipient_id"
)


def export_record(row: Any) -> ExportRecord:
    return from_row(ExportRecord, row, withheld=json.loads(row["decisions"]))


def export_records_of_case(db: Database, case_id: str) -> list[ExportRecord]:
    """The case's exports, oldest first."""
    rows = db.all(
        EXPORT_RECORD_SELECT + " WHERE e.case_id = ? ORDER BY e.exported_at, e.id", (case_id,)
    )
    return [export_record(r) for r in rows]


def export_record_by_id(db: Database, export_id: str) -> ExportRecord | None:
    row = db.one(EXPORT_RECORD_SELECT + " WHERE e.id = ?", (export_id,))
    return None if row is None else export_record(row)


def export_record_by_file(db: Database, file_sha256: str) -> ExportRecord | None:
    row = db.one(EXPORT_RECORD_SELECT + " WHERE e.file_sha256 = ?", (file_sha256,))
    return None if row is None else export_record(row)
