"""Recipients of sealed exports."""

from __future__ import annotations

from typing import Any

from intake_app.core.records import Recipient
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row


def recipient(row: Any) -> Recipient:
    return from_row(Recipient, row)


def name_taken(db: Database, name: str) -> bool:
    return db.one("SELECT 1 FROM recipient WHERE name = ?", (name,)) is not None


def by_name_or_id(db: Database, name: str) -> Recipient | None:
    row = db.one("SELECT * FROM recipient WHERE name = ? OR id = ?", (name, name))
    return None if row is None else recipient(row)


def active(db: Database) -> list[Recipient]:
    """The address book, without removed recipients."""
    rows = db.all("SELECT * FROM recipient WHERE removed_at IS NULL ORDER BY name")
    return [recipient(r) for r in rows]


def certificate_of(db: Database, recipient_id: str) -> bytes | None:
    row = db.one("SELECT certificate FROM recipient WHERE id = ?", (recipient_id,))
    return None if row is None or row["certificate"] is None else bytes(row["certificate"])
