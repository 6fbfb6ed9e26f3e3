"""Full-text search over the vault's FTS5 index, filtered by what the reader's role may see."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import SearchHit
from intake_app.core.services.base import ServiceContext
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.search import (
    PREFIX_WORDS_SQL,
    TOKENIZER,
    index_tokens,
    search_sql,
)
from intake_app.core.vault.search_index import CLOSE, MORE, OPEN, fold, shown_snippet, sources

__all__ = ["TOKENIZER", "SearchService", "fts_query", "index_tokens", "search_sql"]

_TOKEN = re.compile(r"[\w\-']+\*?", re.UNICODE)

# A prefix (``basem*``) that begins at most this many indexed words is searched as those words
# (``"basement" OR …``), which FTS5 walks in rowid order like any word, so the ranked window bounds
# it. FTS5's own prefix search first merges every matching word's whole list of records, whatever
# the window: at 100,000 cases ``basem*`` (one word) took 1,019 ms that way and takes 36 ms as the
# word; ``ba*`` (94 words) 2,046 → 151 ms. Each word OR-ed costs 1–2 ms, so a prefix that begins
# more words than this (``b*``: 3,249) is left to FTS5.
PREFIX_WORDS = 128
_UNMARKED = str.maketrans({OPEN: None, CLOSE: None, MORE: None})

Rows = Callable[[str, dict[str, object]], Sequence[Sequence[object]]]


def prefix_words(rows: Rows, prefix: str) -> list[str]:
    """The indexed words that begin with ``prefix``, or [] when there are none or too many
    (FTS5's own prefix search then answers). ``rows`` runs a query on the vault."""
    folded = index_tokens(prefix)
    if len(folded) != 1:  # "o'bri*" is a phrase with a prefix: FTS5's own
        return []
    low = folded[0]
    found = rows(PREFIX_WORDS_SQL, {"low": low, "high": low + "\U0010ffff",
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
        kinds = ["reference"]
        if ctx.can(Permission.IDENTITY_READ):  # S38: the person entries hold the legal names
            kinds.append("person")
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
