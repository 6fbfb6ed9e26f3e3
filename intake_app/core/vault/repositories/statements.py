"""Statements and their versions (the text only for readers allowed to see testimony)."""

from __future__ import annotations

from typing import Any

from intake_app.core.records import Statement, StatementVersion
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row


def statement_version(row: Any, *, with_text: bool) -> StatementVersion:
    if with_text:
        return from_row(StatementVersion, row)
    return from_row(StatementVersion, row, text=None, translation=None)


def statement(db: Database, row: Any, *, with_text: bool) -> Statement:
    versions = tuple(
        statement_version(v, with_text=with_text)
        for v in db.all(
            "SELECT * FROM statement_version WHERE statement_id = ? ORDER BY number", (row["id"],)
        )
    )
    return from_row(Statement, row, versions=versions)


def statement_row(db: Database, statement_id: str) -> Any:
    return db.one("SELECT * FROM statement WHERE id = ?", (statement_id,))


def statement_rows(db: Database, case_id: str) -> list[Any]:
    return db.all("SELECT * FROM statement WHERE case_id = ? ORDER BY created_at", (case_id,))


def version_row(db: Database, version_id: str) -> Any:
    """The whole row (sealing hashes every column of it), or None."""
    return db.one("SELECT * FROM statement_version WHERE id = ?", (version_id,))


def latest_version_row(db: Database, statement_id: str) -> Any:
    return db.one(
        "SELECT * FROM statement_version WHERE statement_id = ? ORDER BY number DESC LIMIT 1",
        (statement_id,),
    )
