"""The vault's settings (`vault_setting`, migration 0013), one row per setting."""

from __future__ import annotations

from intake_app.core.vault.db import Database


def setting(db: Database, name: str) -> str | None:
    row = db.one("SELECT value FROM vault_setting WHERE id = ?", (name,))
    return None if row is None else str(row[0])
