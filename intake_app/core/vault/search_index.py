"""Search entries of drafts autosaved while someone was typing (migration 0008).

Such an autosave updates the record only; the entry keeps the text of the last settle until
:func:`settle` replaces it. FTS5's secure-delete then takes the old words out of the index at once
(S3). The vault settles before it locks, backs up or rotates its key, and when it opens (after a
crash); the testimony editor settles when the typing pauses.
"""

from __future__ import annotations

from intake_app.core.vault.db import Database


def defer(db: Database, version_id: str) -> None:
    """Call in the autosave's transaction, before the record is updated."""
    db.execute("INSERT OR IGNORE INTO search_deferred(source_id) VALUES (?)", (version_id,))


def settle(db: Database, version_id: str | None = None) -> int:
    """Bring deferred entries (one, or all) up to date; returns how many. Call in a transaction."""
    if version_id is None:
        ids = [str(r[0]) for r in db.all("SELECT source_id FROM search_deferred")]
    else:
        ids = [version_id] if is_deferred(db, version_id) else []
    for source_id in ids:
        db.execute("DELETE FROM search_deferred WHERE source_id = ?", (source_id,))
        db.execute(
            "UPDATE search_index SET body = ("
            " SELECT text || ' ' || coalesce(translation, '') FROM statement_version WHERE id = ?)"
            " WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = ?)",
            (source_id, source_id),
        )
    return len(ids)


def settle_all(db: Database) -> None:
    """Settle every deferred entry in a transaction of its own (lock, backup, rotation, open)."""
    if db.one("SELECT 1 FROM search_deferred LIMIT 1") is not None:
        with db.transaction():
            settle(db)


def is_deferred(db: Database, version_id: str) -> bool:
    found = db.one("SELECT 1 FROM search_deferred WHERE source_id = ?", (version_id,))
    return found is not None
