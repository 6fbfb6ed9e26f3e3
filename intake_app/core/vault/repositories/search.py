"""The search index's reads: how it splits words, the prefix lookup in its word list, and the
ranked query (the service builds the query words and audits the search)."""

from __future__ import annotations

from contextlib import closing

from intake_app.core.vault.search_index import fold

# How the index splits and folds words (migration 0002), after search_index.fold (0010); a query
# and a prefix are folded the same way.
TOKENIZER = "unicode61 remove_diacritics 2"

PREFIX_WORDS_SQL = (
    "SELECT term FROM search_vocab WHERE term >= :low AND term < :high ORDER BY term LIMIT :limit"
)


def index_tokens(text: str) -> list[str]:
    """``text`` split and folded exactly as the index does it (the same SQLite, in memory)."""
    from sqlcipher3 import dbapi2

    with closing(dbapi2.connect(":memory:")) as memory:
        memory.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '{TOKENIZER}')")
        memory.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
        memory.execute("INSERT INTO t(body) VALUES (?)", (fold(text),))
        return [str(r[0]) for r in memory.execute("SELECT term FROM v ORDER BY offset")]


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
