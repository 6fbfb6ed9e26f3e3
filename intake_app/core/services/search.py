"""Full-text search over the vault's FTS5 index, filtered by what the reader's role may see."""

from __future__ import annotations

import re
from collections.abc import Callable

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import SearchHit
from intake_app.core.services.base import ServiceContext
from intake_app.core.vault.db import Database

_TOKEN = re.compile(r"[\w\-']+\*?", re.UNICODE)


def fts_query(text: str) -> str:
    """User words → a safe FTS5 query: every word must appear; a trailing * keeps prefix search."""
    terms = []
    for token in _TOKEN.findall(text):
        prefix = token.endswith("*")
        word = token.rstrip("*").replace('"', "")
        if word:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms)


# Ranking (bm25) costs about 20 µs a match: a common word in 100,000 cases would take seconds.
# So only the most recent RANKED_WINDOW matches are ranked; a word found fewer times than that is
# ranked in full, exactly as before.
RANKED_WINDOW = 1000


def search_sql(
    query: str, kinds: list[str], *, limit: int, window: int
) -> tuple[str, dict[str, object]]:
    """The FTS5 statement and its parameters: the best ``limit`` hits of the kinds given, among
    the ``window`` most recent matches (FTS5 walks its rowids in order and takes the range)."""
    marks = ", ".join(f":kind{i}" for i in range(len(kinds)))
    sql = (
        "SELECT s.case_id, c.reference, s.kind,"
        " snippet(search_index, 3, '[', ']', '…', 12) AS snippet"
        " FROM search_index s JOIN case_file c ON c.id = s.case_id"
        " WHERE search_index MATCH :query AND s.rowid >= coalesce((SELECT min(rowid) FROM"
        " (SELECT rowid FROM search_index WHERE search_index MATCH :query"
        " ORDER BY rowid DESC LIMIT :window)), 0)"
        f" AND s.kind IN ({marks}) ORDER BY rank LIMIT :limit"
    )
    params: dict[str, object] = {"query": query, "window": window, "limit": limit}
    params.update({f"kind{i}": kind for i, kind in enumerate(kinds)})
    return sql, params


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
        """Check the role and build the query now; run it later on any connection (e.g. a worker's
        own read-only one), then :meth:`record` the search on this thread."""
        ctx = self._ctx
        ctx.require(Permission.CASE_READ)
        query = fts_query(text)
        if not query:
            raise InvalidInput(_("Type at least one word to search for."))
        kinds = ["reference", "person"]
        if ctx.can(Permission.TESTIMONY_READ):  # a liaison officer's search never reads testimony
            kinds.append("statement")
        if ctx.can(Permission.FORM_READ):
            kinds.append("answers")
        sql, params = search_sql(query, kinds, limit=limit, window=window)

        def run(db: Database) -> list[SearchHit]:
            return [
                SearchHit(r["case_id"], r["reference"], r["kind"], r["snippet"])
                for r in db.all(sql, params)
            ]

        return run

    def record(self, hits: list[SearchHit]) -> None:
        """Searches are audited (the count of hits, never the words)."""
        self._ctx.viewed("search.performed", "search", "-", {"hits": len(hits)})
