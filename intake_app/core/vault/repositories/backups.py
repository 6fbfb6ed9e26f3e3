"""When the vault was last backed up, read from its audit log."""

from __future__ import annotations

from intake_app.core.vault.db import Database


def last_backup_at(db: Database) -> str | None:
    """The time of the latest ``vault.backup`` event. The log is read from its end, where a
    recent backup is found at once; a vault never backed up is read whole (a worker's job)."""
    row = db.one(
        "SELECT at FROM audit_event WHERE action = 'vault.backup' ORDER BY seq DESC LIMIT 1"
    )
    return None if row is None else str(row[0])
