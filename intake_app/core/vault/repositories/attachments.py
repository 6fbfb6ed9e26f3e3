"""Attachments and their encrypted chunks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from intake_app.core.records import Attachment
from intake_app.core.vault.db import Database, DatabaseError, damaged_error
from intake_app.core.vault.repositories.rows import from_row


def attachment(row: Any) -> Attachment:
    return from_row(Attachment, row)


def chunks(db: Database, attachment_id: str) -> Iterator[bytes]:
    """The content in order, one chunk at a time (a whole file is never one query result)."""
    cursor = db.execute(
        "SELECT data FROM attachment_chunk WHERE attachment_id = ? ORDER BY seq", (attachment_id,)
    )
    while True:
        try:  # a damaged page met while stepping is the damaged-vault sentence (S39), not raw
            row = cursor.fetchone()
        except DatabaseError:
            raise damaged_error() from None
        if row is None:
            return
        yield bytes(row[0])


def has_copies(db: Database, attachment_id: str) -> bool:
    """Whether working copies were made from this file."""
    return db.one("SELECT 1 FROM attachment WHERE derived_from = ?", (attachment_id,)) is not None
