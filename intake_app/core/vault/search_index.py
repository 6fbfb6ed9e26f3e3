"""The search index's entries: their text, folded in Python, and when they are written.

Folding (:func:`fold`, the same for the index and for a query): NFKC; combining marks dropped
(Arabic harakat and shadda, which FTS5's unicode61 would otherwise treat as word breaks, so that
``محمد`` did not find ``مُحَمَّد``); tatweel dropped; alef with hamza or madda read as alef; every
apostrophe read as ``'``, and dropped between Cyrillic letters (Ukrainian ``м'ясо``, ``мʼясо``,
``м’ясо`` and ``мясо`` are one word, while French ``l'homme`` still finds ``homme``). Latin
accents are left to the tokenizer (``remove_diacritics 2``).

The fold cannot run inside the schema's triggers: the database runs with ``trusted_schema = OFF``
and Python's sqlite bindings cannot declare a function innocuous. So the triggers (migration 0010)
only list what changed in ``search_stale``, and :func:`flush` writes those entries, in the same
transaction as the change (every audited write calls it, ``services/base.py``).

Drafts autosaved while someone types (migration 0008) are listed in ``search_deferred``
instead: their entry keeps the text of the last settle until :func:`settle` replaces it. FTS5's
secure-delete then takes the old words out of the index at once (S3), and the vault checkpoints
its WAL, so that the pages that held them do not linger there either. The vault settles before it
locks, backs up or rotates its key, and when it opens (after a crash); the testimony editor
settles when the typing pauses.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from intake_app.core.errors import IntakeError
from intake_app.core.vault.db import Database, DatabaseError

# Each kind's source text and case, by the record's id; the index holds fold(body).
SOURCES = {
    "reference": "SELECT id AS case_id, reference AS body FROM case_file WHERE id = ?",
    "person": "SELECT case_id, coalesce(legal_name, '') || ' ' || pseudonym AS body"
    " FROM person WHERE id = ?",
    "statement": "SELECT s.case_id, v.text || ' ' || coalesce(v.translation, '') AS body"
    " FROM statement_version v JOIN statement s ON s.id = v.statement_id WHERE v.id = ?",
    "answers": "SELECT case_id, coalesce((SELECT group_concat(value, ' ') FROM json_tree(answers)"
    " WHERE type = 'text'), '') AS body FROM form_response WHERE id = ?",
}
# Every entry the records call for, in the order the records were made (source_id, kind, body).
ALL_SOURCES = """
    SELECT id AS source_id, 'reference' AS kind, id AS case_id, reference AS body, created_at
        FROM case_file
    UNION ALL SELECT id, 'person', case_id, coalesce(legal_name, '') || ' ' || pseudonym,
        created_at FROM person
    UNION ALL SELECT v.id, 'statement', s.case_id, v.text || ' ' || coalesce(v.translation, ''),
        v.created_at FROM statement_version v JOIN statement s ON s.id = v.statement_id
    UNION ALL SELECT id, 'answers', case_id,
        coalesce((SELECT group_concat(value, ' ') FROM json_tree(answers) WHERE type = 'text'), ''),
        created_at FROM form_response
"""

_APOSTROPHES = "\u2019\u02bc\u2018\u02bb\u0060\u00b4\u02b9\u2032"
_ALEFS = "\u0622\u0623\u0625\u0671\u0672\u0673"  # آ أ إ ٱ ٲ ٳ
_TATWEEL = "\u0640"
_BETWEEN_CYRILLIC = re.compile(r"(?<=[\u0400-\u04ff])'(?=[\u0400-\u04ff])")


@cache
def _table() -> dict[int, str | None]:
    # The combining marks of the Basic Multilingual Plane (every script's marks live there).
    table: dict[int, str | None] = {
        cp: None for cp in range(0x10000) if unicodedata.category(chr(cp)) == "Mn"
    }
    table[ord(_TATWEEL)] = None
    table.update({ord(c): "'" for c in _APOSTROPHES})
    table.update({ord(c): "\u0627" for c in _ALEFS})
    return table


def fold(text: str) -> str:
    """``text`` as the index stores it and as a query is matched against it."""
    if text.isascii():  # most text: nothing to fold, and no Python work
        return text
    folded = unicodedata.normalize("NFKC", text).translate(_table())
    return _BETWEEN_CYRILLIC.sub("", folded)


# -- writing entries ----------------------------------------------------------------------------
def write_entry(db: Database, kind: str, source_id: str) -> None:
    """Bring one record's entry up to date (in a transaction): written, replaced or removed."""
    source = db.one(SOURCES[kind], (source_id,))
    mapped = db.one("SELECT fts_rowid FROM search_source WHERE source_id = ?", (source_id,))
    if source is None:
        if mapped is not None:
            db.execute("DELETE FROM search_index WHERE rowid = ?", (mapped[0],))
            db.execute("DELETE FROM search_source WHERE source_id = ?", (source_id,))
        return
    body = fold(str(source["body"]))
    if mapped is None:
        cursor = db.execute(
            "INSERT INTO search_index(case_id, kind, source_id, body) VALUES (?, ?, ?, ?)",
            (source["case_id"], kind, source_id, body),
        )
        db.execute(
            "INSERT INTO search_source(source_id, fts_rowid) VALUES (?, ?)",
            (source_id, cursor.lastrowid),
        )
        return
    current = db.one("SELECT body FROM search_index WHERE rowid = ?", (mapped[0],))
    if current is None or current[0] != body:  # an unchanged entry is not rewritten
        db.execute("UPDATE search_index SET body = ? WHERE rowid = ?", (body, mapped[0]))


def flush(db: Database) -> bool:
    """Write the entries the triggers listed as stale (in the transaction that made them so);
    returns whether any entry was replaced or removed, i.e. old words were securely deleted."""
    stale = db.all("SELECT source_id, kind FROM search_stale")
    if not stale:
        return False
    replaced = db.one(
        "SELECT count(*) FROM search_stale t JOIN search_source m ON m.source_id = t.source_id"
    )[0]
    for source_id, kind in stale:
        write_entry(db, str(kind), str(source_id))
    db.execute("DELETE FROM search_stale")
    return bool(replaced)


def defer(db: Database, version_id: str, *, deferred: bool = True) -> None:
    """Call in the autosave's transaction, before the record is updated: listed, its entry waits;
    not listed (``deferred=False``), the update marks the entry stale and the write replaces it."""
    if deferred:
        db.execute("INSERT OR IGNORE INTO search_deferred(source_id) VALUES (?)", (version_id,))
    else:
        db.execute("DELETE FROM search_deferred WHERE source_id = ?", (version_id,))


def settle(db: Database, version_id: str | None = None) -> None:
    """Bring deferred entries (one, or all) and stale ones up to date. Call in a transaction; the
    caller checkpoints after it commits (:func:`checkpoint_after`)."""
    sql, params = "SELECT source_id FROM search_deferred", []
    if version_id is not None:
        sql, params = sql + " WHERE source_id = ?", [version_id]
    for source_id in [str(r[0]) for r in db.all(sql, params)]:
        db.execute("DELETE FROM search_deferred WHERE source_id = ?", (source_id,))
        write_entry(db, "statement", source_id)
    flush(db)


def settle_all(db: Database) -> None:
    """Settle every deferred or stale entry in a transaction of its own (lock, backup, rotation,
    open), then checkpoint."""
    if (
        db.one("SELECT 1 FROM search_deferred UNION ALL SELECT 1 FROM search_stale LIMIT 1")
        is not None
    ):
        with db.transaction():
            settle(db)
        checkpoint_after(db)


def checkpoint_after(db: Database) -> None:
    """S3: after old words were securely deleted from the index, the WAL still holds the pages as
    they were before (and the record's old text); TRUNCATE copies the new pages into the database
    and empties it. Only outside a transaction, and never fatal: the next one does it."""
    if db.conn.in_transaction:
        return
    with contextlib.suppress(IntakeError, DatabaseError):  # the change itself is committed
        db.checkpoint()


# -- rebuilding (migration 0010) and checking (integrity.py) ------------------------------------
def expected_entries(db: Database) -> Iterator[tuple[str, str, str, str]]:
    """(source_id, kind, case_id, folded body) of every entry the records call for, oldest first."""
    for row in db.execute(f"SELECT * FROM ({ALL_SOURCES}) ORDER BY created_at, source_id"):
        yield str(row[0]), str(row[1]), str(row[2]), fold(str(row[3]))
