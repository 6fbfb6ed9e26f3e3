"""Search entries of drafts autosaved while someone was typing (migration 0008).

Such an autosave updates the record only; the entry keeps the text of the last settle until
:func:`settle` replaces it. FTS5's secure-delete then takes the old words out of the index at once
(S3). The vault settles before it locks, backs up or rotates its key, and when it opens (after a
crash); the testimony editor settles when the typing pauses.
"""

from __future__ import annotations

from intake_app.core.vault.db import Database


def defer(db: Database, version_id: str, *, deferred: bool = True) -> None:
    """Call in the autosave's transaction, before the record is updated: listed, its entry waits;
    not listed (``deferred=False``), the trigger replaces the entry with the new text."""
    if deferred:
        db.execute("INSERT OR IGNORE INTO search_deferred(source_id) VALUES (?)", (version_id,))
    else:
        db.execute("DELETE FROM search_deferred WHERE source_id = ?", (version_id,))


def settle(db: Database, version_id: str | None = None) -> None:
    """Bring deferred entries (one, or all) up to date. Call in a transaction."""
    sql, params = "SELECT source_id FROM search_deferred", []
    if version_id is not None:
        sql, params = sql + " WHERE source_id = ?", [version_id]
    for source_id in [str(r[0]) for r in db.all(sql, params)]:
        db.execute("DELETE FROM search_deferred WHERE source_id = ?", (source_id,))
        db.execute(
            "UPDATE search_index SET body = ("
            " SELECT text || ' ' || coalesce(translation, '') FROM statement_version WHERE id = ?)"
            " WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = ?)",
            (source_id, source_id),
        )


def settle_all(db: Database) -> None:
    """Settle every deferred entry in a transaction of its own (lock, backup, rotation, open)."""
    if db.one("SELECT 1 FROM search_deferred LIMIT 1") is not None:
        with db.transaction():
            settle(db)
