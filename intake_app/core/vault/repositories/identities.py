"""Signing identities (rows: the service turns them into keys and certificates)."""

from __future__ import annotations

from typing import Any

from intake_app.core.vault.db import Database


def current_row(db: Database, user_id: str) -> Any:
    """The user's identity in use (not retired), or None."""
    return db.one(
        "SELECT * FROM signing_identity WHERE user_id = ? AND retired_at IS NULL", (user_id,)
    )


def certificate_by_fingerprint(db: Database, fingerprint: str) -> bytes | None:
    """The DER certificate of any identity this vault ever used (retired ones too)."""
    row = db.one("SELECT certificate FROM signing_identity WHERE fingerprint = ?", (fingerprint,))
    return None if row is None else bytes(row["certificate"])
