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

import bisect
import contextlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import Any

from intake_app.core.errors import IntakeError
from intake_app.core.vault.db import Database, DatabaseError

# Each kind's source text and case, for the records whose ids are in a JSON array (one, when an
# entry is written; the hits shown, for their snippets); the index holds fold(body).
SOURCES = {
    "reference": "SELECT id AS source_id, id AS case_id, reference AS body FROM case_file",
    "person": "SELECT id AS source_id, case_id, coalesce(legal_name, '') || ' ' || pseudonym"
    " AS body FROM person",
    "statement": "SELECT v.id AS source_id, s.case_id,"
    " v.text || ' ' || coalesce(v.translation, '') AS body"
    " FROM statement_version v JOIN statement s ON s.id = v.statement_id",
    "answers": "SELECT id AS source_id, case_id, coalesce((SELECT group_concat(value, ' ')"
    " FROM json_tree(answers) WHERE type = 'text'), '') AS body FROM form_response",
}
_BY_IDS = {
    "reference": " WHERE id IN (SELECT value FROM json_each(?))",
    "person": " WHERE id IN (SELECT value FROM json_each(?))",
    "statement": " WHERE v.id IN (SELECT value FROM json_each(?))",
    "answers": " WHERE id IN (SELECT value FROM json_each(?))",
}


def sources(db: Database, kind: str, ids: Sequence[str]) -> dict[str, Any]:
    """The source rows (source_id, case_id, body) of the records of one kind, by id."""
    rows = db.all(SOURCES[kind] + _BY_IDS[kind], (json.dumps(list(ids)),))
    return {str(r["source_id"]): r for r in rows}


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
_ALEF = "\u0627"
_CYRILLIC = "\u0400-\u04ff"
# An apostrophe between two Cyrillic letters (the regex finds the apostrophe first: fast).
_BETWEEN_CYRILLIC = re.compile(f"'(?<=[{_CYRILLIC}]')(?=[{_CYRILLIC}])")
# FTS5 cuts its snippet out of the folded text. These marks (private-use characters, which fold
# removes from every text, so they cannot occur in it) make the snippet unambiguous to map back.
OPEN, CLOSE, MORE = "\ue000", "\ue001", "\ue002"


@cache
def _removal() -> re.Pattern[str]:
    """What fold drops: the combining marks of the Basic Multilingual Plane (every script's marks
    live there), tatweel and the snippet marks; as ranges, which the regex engine scans fastest."""
    marks = [cp for cp in range(0x10000) if unicodedata.category(chr(cp)) == "Mn"]
    marks = sorted([*marks, *(ord(c) for c in ("\u0640", OPEN, CLOSE, MORE))])
    ranges: list[list[int]] = []
    for cp in marks:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    parts = (re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile("[" + "".join(parts) + "]+")


def fold(text: str) -> str:
    """``text`` as the index stores it and as a query is matched against it. C-speed string
    operations only (an integrity check folds every record)."""
    if text.isascii():  # most text: nothing to fold
        return text
    return _cyrillic_apostrophes(_marks_folded(unicodedata.normalize("NFKC", text)))


def _marks_folded(text: str) -> str:
    folded = _removal().sub("", text)
    for apostrophe in _APOSTROPHES:
        if apostrophe in folded:
            folded = folded.replace(apostrophe, "'")
    for alef in _ALEFS:
        if alef in folded:
            folded = folded.replace(alef, _ALEF)
    return folded


def _cyrillic_apostrophes(text: str) -> str:
    return _BETWEEN_CYRILLIC.sub("", text) if "'" in text else text


# -- writing entries ----------------------------------------------------------------------------
def write_entry(db: Database, kind: str, source_id: str) -> None:
    """Bring one record's entry up to date (in a transaction): written, replaced or removed."""
    source = sources(db, kind, [source_id]).get(source_id)
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


# -- snippets in the original text ----------------------------------------------------------
_SHOWN = str.maketrans({OPEN: "[", CLOSE: "]", MORE: "…"})
_QUOTES = "['" + _APOSTROPHES + "]"


# An apostrophe between Cyrillic letters, found from the apostrophe (a fast scan).
_CYRILLIC_QUOTE = re.compile(f"{_QUOTES}(?<=[{_CYRILLIC}]{_QUOTES})(?=[{_CYRILLIC}])")


def _unfold(original: str, until: int) -> Callable[[int], int]:
    """Maps a position in fold(original), up to ``until``, to the position in the original
    after the removed characters there. The regex engine finds the removals; Python works only
    once per removal, up to the snippet (few in most text, harakat in a vocalised one)."""
    removals, removed = [], 0
    for found in _removal().finditer(original):
        if found.start() - removed > until:
            break
        removals.append((found.start(), found.end() - found.start()))
        removed += found.end() - found.start()
    if "'" in original or any(q in original for q in _APOSTROPHES):
        removals += [(q.start(), 1) for q in _CYRILLIC_QUOTE.finditer(original)]
        removals.sort()
    folded_at: list[int] = []
    shifts: list[int] = []
    total = 0
    for start, length in removals:
        folded_at.append(start - total)
        total += length
        shifts.append(total)

    def back(position: int) -> int:
        k = bisect.bisect_right(folded_at, position)
        return position + (shifts[k - 1] if k else 0)

    return back


def shown_snippet(snippet: str, original: str | None, folded: str) -> str:
    """The snippet as the reader sees it: cut from the record's own text (harakat, apostrophes
    as typed) when it is found there, else as folded; ``[…]`` around the words found.
    ``folded`` is the entry's text (fold of the record's, unless the entry waits for a pause)."""
    shown = snippet.translate(_SHOWN)
    if original is None or original == folded or shown.isascii():
        return shown  # nothing was folded away: the snippet is the record's text
    plain = snippet.replace(MORE, "")
    text = plain.replace(OPEN, "").replace(CLOSE, "")
    at = folded.find(text)
    if at < 0:
        return shown
    back = _unfold(original, at + len(text))
    pieces: list[tuple[str, str | None]] = []  # (original text, what it must fold to)
    segment, position = "", at
    cut = back(at)
    for char in plain:
        if char in (OPEN, CLOSE):
            pieces.append((original[cut : back(position)], segment))
            pieces.append(("[" if char == OPEN else "]", None))
            cut, segment = back(position), ""
        else:
            segment += char
            position += 1
    pieces.append((original[cut : back(position)], segment))
    # Each piece must fold to its part of the snippet: an entry waiting for a pause (0008)
    # holds other text, and where NFKC changed the record's text positions cannot be followed.
    if any(part is not None and fold(piece) != part for piece, part in pieces):
        return shown
    head = "…" if snippet.startswith(MORE) else ""
    tail = "…" if snippet.endswith(MORE) else ""
    return head + "".join(piece for piece, _ in pieces) + tail
