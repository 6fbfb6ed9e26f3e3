"""Full-text search over the vault's FTS5 index, filtered by what the reader's role may see."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import closing
from typing import Any

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import SearchHit
from intake_app.core.services.base import ServiceContext
from intake_app.core.vault.db import Database
from intake_app.core.vault.search_index import CLOSE, MORE, OPEN, fold, shown_snippet, sources

_TOKEN = re.compile(r"[\w\-']+\*?", re.UNICODE)

# How the index splits and folds words (migration 0002), after search_index.fold (0010); a query
# and a prefix are folded the same way.
TOKENIZER = "unicode61 remove_diacritics 2"

# A prefix (``basem*``) that begins at most this many indexed words is searched as those words
# (``"basement" OR …``), which FTS5 walks in rowid order like any word, so the ranked window bounds
# it. FTS5's own prefix search first merges every matching word's whole list of records, whatever
# the window: at 100,000 cases ``basem*`` (one word) took 1,019 ms that way and takes 36 ms as the
# word; ``ba*`` (94 words) 2,046 → 151 ms. Each word OR-ed costs 1–2 ms, so a prefix that begins
# more words than this (``b*``: 3,249) is left to FTS5.
PREFIX_WORDS = 128
_PREFIX_WORDS_SQL = (
    "SELECT term FROM search_vocab WHERE term >= :low AND term < :high ORDER BY term LIMIT :limit"
)

_UNMARKED = str.maketrans({OPEN: None, CLOSE: None, MORE: None})

Rows = Callable[[str, dict[str, object]], Sequence[Sequence[object]]]


def index_tokens(text: str) -> list[str]:
    """``text`` split and folded exactly as the index does it (the same SQLite, in memory)."""
    from sqlcipher3 import dbapi2

    with closing(dbapi2.connect(":memory:")) as memory:
        memory.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '{TOKENIZER}')")
        memory.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
        memory.execute("INSERT INTO t(body) VALUES (?)", (fold(text),))
        return [str(r[0]) for r in memory.execute("SELECT term FROM v ORDER BY offset")]


def prefix_words(rows: Rows, prefix: str) -> list[str]:
    """The indexed words that begin with ``prefix``, or [] when there are none or too many
    (FTS5's own prefix search then answers). ``rows`` runs a query on the vault."""
    folded = index_tokens(prefix)
    if len(folded) != 1:  # "o'bri*" is a phrase with a prefix: FTS5's own
        return []
    low = folded[0]
    found = rows(_PREFIX_WORDS_SQL, {"low": low, "high": low + "\U0010ffff",
                                     "limit": PREFIX_WORDS + 1})  # fmt: skip
    return [str(r[0]) for r in found] if len(found) <= PREFIX_WORDS else []


def _quoted(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def fts_query(text: str, rows: Rows | None = None) -> str:
    """User words → a safe FTS5 query: every word must appear; a trailing * keeps prefix search.
    With ``rows`` (a query on the vault), a prefix is replaced by the words it begins."""
    terms = []
    for token in _TOKEN.findall(fold(text)):
        prefix = token.endswith("*")
        word = token.rstrip("*").replace('"', "")
        if not word:
            continue
        words = prefix_words(rows, word) if prefix and rows is not None else []
        if words:
            terms.append("(" + " OR ".join(_quoted(w) for w in words) + ")")
        else:
            terms.append(_quoted(word) + ("*" if prefix else ""))
    return " ".join(terms)


# Ranking (bm25) costs about 20 µs a match: a common word in 100,000 cases would take seconds.
# So only the most recent RANKED_WINDOW matches are ranked; a word found fewer times than that is
# ranked in full, exactly as before.
RANKED_WINDOW = 1000


def search_sql(
    query: str,
    kinds: list[str],
    *,
    limit: int,
    window: int,
    marks: tuple[str, str, str] = ("[", "]", "…"),
) -> tuple[str, dict[str, object]]:
    """The FTS5 statement and its parameters: the best ``limit`` hits of the kinds given, among
    the ``window`` most recent matches (FTS5 walks its rowids in order and takes the range).
    ``marks`` open and close a word found, and stand for text left out of the snippet."""
    kind_marks = ", ".join(f":kind{i}" for i in range(len(kinds)))
    sql = (
        "SELECT s.case_id, c.reference, s.kind, s.source_id, s.body,"
        " snippet(search_index, 3, :open, :close, :more, 12) AS snippet"
        " FROM search_index s JOIN case_file c ON c.id = s.case_id"
        " WHERE search_index MATCH :query AND s.rowid >= coalesce((SELECT min(rowid) FROM"
        " (SELECT rowid FROM search_index WHERE search_index MATCH :query"
        " ORDER BY rowid DESC LIMIT :window)), 0)"
        f" AND s.kind IN ({kind_marks}) ORDER BY rank LIMIT :limit"
    )
    params: dict[str, object] = {"query": query, "window": window, "limit": limit}
    params.update(zip(("open", "close", "more"), marks, strict=True))
    params.update({f"kind{i}": kind for i, kind in enumerate(kinds)})
    return sql, params


def _snippets(db: Database, hits: list[Any]) -> list[str]:
    """The hits' snippets in their records' own text. Only for the hits shown (at most
    ``limit``); records are read, one query a kind, only for snippets that are not plain ASCII."""
    raw = [str(h["snippet"] or "") for h in hits]
    wanted: dict[str, list[str]] = {}
    for hit, snippet in zip(hits, raw, strict=True):
        if not snippet.translate(_UNMARKED).isascii():
            wanted.setdefault(str(hit["kind"]), []).append(str(hit["source_id"]))
    found = {kind: sources(db, kind, ids) for kind, ids in wanted.items()}
    shown = []
    for hit, snippet in zip(hits, raw, strict=True):
        source = found.get(str(hit["kind"]), {}).get(str(hit["source_id"]))
        original = None if source is None else str(source["body"])
        shown.append(shown_snippet(snippet, original, str(hit["body"])))
    return shown


class SearchService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def search(self, text: str, *, limit: int = 50) -> list[SearchHit]:
        hits = self.prepare(text, limit=limit)(self._ctx.db)
        self.record(hits)
        return hits

    def prepare(
        self, text: str, *, limit: int = 50, window: int = RANKED_WINDOW
    ) -> Callable[[Database], list[SearchHit]]:
        """Check the role and the words now; run it later on any connection (e.g. a worker's own
        read-only one), where a prefix is looked up, then :meth:`record` the search on this
        thread."""
        ctx = self._ctx
        ctx.require(Permission.CASE_READ)
        if not fts_query(text):
            raise InvalidInput(_("Type at least one word to search for."))
        kinds = ["reference", "person"]
        if ctx.can(Permission.TESTIMONY_READ):  # a liaison officer's search never reads testimony
            kinds.append("statement")
        if ctx.can(Permission.FORM_READ):
            kinds.append("answers")

        def run(db: Database) -> list[SearchHit]:
            query = fts_query(text, rows=db.all)
            sql, params = search_sql(
                query, kinds, limit=limit, window=window, marks=(OPEN, CLOSE, MORE)
            )  # marks that cannot occur in the text, to find the snippet in the record's text
            hits = db.all(sql, params)
            return [
                SearchHit(r["case_id"], r["reference"], r["kind"], snippet)
                for r, snippet in zip(hits, _snippets(db, hits), strict=True)
            ]

        return run

    def record(self, hits: list[SearchHit]) -> None:
        """Searches are audited (the count of hits, never the words)."""
        self._ctx.viewed("search.performed", "search", "-", {"hits": len(hits)})
