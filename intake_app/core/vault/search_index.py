"""Keeping the full-text index free of text that was corrected or deleted (S3).

FTS5 keeps the tokens of a replaced or deleted row in older index segments until they are merged;
anyone holding the key could still read them. So whenever a write rewrites or deletes indexed text,
the vault is marked, and before it closes the index is rebuilt into one segment ('optimize'); with
secure_delete the freed pages are zeroed, and the checkpoint clears them from the WAL.
"""

from __future__ import annotations

import contextlib

from intake_app.core.vault.db import Database, DatabaseError

# Tables whose text the search index holds (see migration 0002).
INDEXED_TABLES = frozenset({"case_file", "person", "statement_version", "form_response"})


def purge_superseded_text(db: Database) -> None:
    with contextlib.suppress(DatabaseError, Exception):  # never stand in the way of a lock
        db.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
        db.checkpoint()
