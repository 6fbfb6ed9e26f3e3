"""0010: search folds Arabic marks, tatweel and apostrophes, NFKC (core/vault/search_index.py).

The fold is Python, and with ``trusted_schema = OFF`` a schema trigger may not call a Python
function: the triggers now only list the records whose entry is stale, and the writer of the
change folds and writes the entry in the same transaction (search_index.flush). The index is
rebuilt from the records with folded text. It is dropped, not emptied entry by entry: with
``secure_delete`` on, its freed pages are overwritten (S3), and a rebuild is one pass, where
deleting 100,000 cases' entries one by one would rewrite the index pages again and again.
The rows of the records are not changed, so nothing is re-digested.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from intake_app.core.vault.search_index import expected_entries

if TYPE_CHECKING:
    from intake_app.core.vault.migrations import Step

# (trigger, event, table, kind, source id); statement versions being typed wait (0008).
_TRIGGERS = (
    ("search_case_insert", "INSERT", "case_file", "reference", "NEW.id"),
    ("search_case_delete", "DELETE", "case_file", "reference", "OLD.id"),
    ("search_person_insert", "INSERT", "person", "person", "NEW.id"),
    ("search_person_update", "UPDATE OF legal_name, pseudonym", "person", "person", "NEW.id"),
    ("search_person_delete", "DELETE", "person", "person", "OLD.id"),
    ("search_version_insert", "INSERT", "statement_version", "statement", "NEW.id"),
    (
        "search_version_update",
        "UPDATE OF text, translation",
        "statement_version",
        "statement",
        "NEW.id",
    ),  # fmt: skip
    ("search_version_delete", "DELETE", "statement_version", "statement", "OLD.id"),
    ("search_answers_insert", "INSERT", "form_response", "answers", "NEW.id"),
    ("search_answers_update", "UPDATE OF answers", "form_response", "answers", "NEW.id"),
    ("search_answers_delete", "DELETE", "form_response", "answers", "OLD.id"),
)
_WAITING = "NOT EXISTS (SELECT 1 FROM search_deferred WHERE source_id = NEW.id)"


def upgrade(step: Step) -> None:
    step.script("""
        CREATE TABLE search_stale (source_id TEXT PRIMARY KEY, kind TEXT NOT NULL) WITHOUT ROWID;
        DROP TABLE search_vocab;
        DROP TABLE search_index;
        DELETE FROM search_source;
        DELETE FROM search_deferred;
        CREATE VIRTUAL TABLE search_index USING fts5(
            case_id UNINDEXED, kind UNINDEXED, source_id UNINDEXED, body,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO search_index(search_index, rank) VALUES ('secure-delete', 1);
        CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, row);
    """)
    for name, event, table, kind, source in _TRIGGERS:
        waits = f" WHEN {_WAITING}" if name == "search_version_update" else ""
        step.execute(f"DROP TRIGGER IF EXISTS {name}")
        step.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table}{waits} BEGIN"
            f" INSERT OR IGNORE INTO search_stale(source_id, kind) VALUES ({source}, '{kind}');"
            " END"
        )
    db = step.db
    for source_id, kind, case_id, body in expected_entries(db):
        cursor = db.execute(
            "INSERT INTO search_index(case_id, kind, source_id, body) VALUES (?, ?, ?, ?)",
            (case_id, kind, source_id, body),
        )
        db.execute(
            "INSERT INTO search_source(source_id, fts_rowid) VALUES (?, ?)",
            (source_id, cursor.lastrowid),
        )
