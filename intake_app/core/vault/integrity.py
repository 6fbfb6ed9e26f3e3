"""The full integrity check (S5, S6): cipher MACs, b-trees, the search index, the audit chain,
every row against its last audited digest, sealed testimony and attachments against their hashes,
and the chain head against the key file's anchor."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from intake_app.core.testimony import seal_hash
from intake_app.core.vault import audit
from intake_app.core.vault.db import Database, DatabaseError
from intake_app.core.vault.keyfile import KeyFile


@dataclass(frozen=True)
class IntegrityReport:
    problems: tuple[str, ...]
    head: audit.ChainHead
    events: int

    @property
    def ok(self) -> bool:
        return not self.problems


def full_check(db: Database, keyfile: KeyFile | None = None) -> IntegrityReport:
    problems: list[str] = []
    try:
        problems += db.full_check()
        if problems:  # a damaged b-tree makes every later check meaningless
            return IntegrityReport(tuple(problems), audit.ChainHead(0, audit.GENESIS), 0)
        problems += _search_index(db)
        chain_problems, head = audit.verify_chain(db)
        problems += chain_problems
        problems += audit.verify_rows(db)
        problems += sealed_statements(db)
        problems += attachments(db)
        if keyfile is not None:
            anchored = int(keyfile.anchor.get("audit_seq", 0))
            if head.seq < anchored:
                problems.append(
                    f"the audit log ends at event {head.seq} but event {anchored} was seen before"
                )
    except DatabaseError as exc:
        problems.append(f"the database could not be read: {exc}")
        head = audit.ChainHead(0, audit.GENESIS)
    return IntegrityReport(tuple(problems), head, head.seq)


# What the triggers of migration 0002 put in the index, recomputed from the records themselves.
_EXPECTED_INDEX = """
    SELECT id AS case_id, 'reference' AS kind, id AS source_id, reference AS body FROM case_file
    UNION ALL SELECT case_id, 'person', id, coalesce(legal_name, '') || ' ' || pseudonym FROM person
    UNION ALL SELECT s.case_id, 'statement', v.id, v.text || ' ' || coalesce(v.translation, '')
        FROM statement_version v JOIN statement s ON s.id = v.statement_id
    UNION ALL SELECT case_id, 'answers', id,
        coalesce((SELECT group_concat(value, ' ') FROM json_tree(answers) WHERE type = 'text'), '')
        FROM form_response
"""
_ACTUAL_INDEX = "SELECT case_id, kind, source_id, body FROM search_index"


def _search_index(db: Database) -> list[str]:
    """The index is derived data: it must hold exactly the records' text and be internally sound."""
    problems = []
    try:
        db.execute("INSERT INTO search_index(search_index, rank) VALUES ('integrity-check', 0)")
    except Exception:
        problems.append("the search index is damaged")
    # A draft autosaved while typing has an entry that waits for the next pause (migration 0008).
    settled = " WHERE source_id NOT IN (SELECT source_id FROM search_deferred)"
    expected = f"SELECT * FROM ({_EXPECTED_INDEX}){settled}"
    if _differ(db, expected, _ACTUAL_INDEX + settled):
        problems.append("the search index does not match the records")
    # The map the triggers use to find an entry (migration 0006): a wrong rowid would make a
    # correction update someone else's entry and leave the old text searchable.
    if _differ(
        db,
        "SELECT source_id, rowid FROM search_index",
        "SELECT source_id, fts_rowid FROM search_source",
    ):
        problems.append("the search index's map to the records is wrong")
    # Without secure-delete, corrected words would linger in the index (S3): an older page of its
    # settings spliced in must not switch it off unnoticed.
    setting = db.one("SELECT v FROM search_index_config WHERE k = 'secure-delete'")
    if setting is None or setting[0] != 1:
        problems.append("the search index no longer removes deleted words at once")
    return problems


def _differ(db: Database, left: str, right: str) -> bool:
    """Whether two queries return different rows. Every operand is wrapped: compound operators
    associate left to right, so an unwrapped ``A EXCEPT B UNION ALL B EXCEPT A`` is only B − A."""
    count = db.one(
        f"SELECT count(*) FROM ("
        f"SELECT * FROM (SELECT * FROM ({left}) EXCEPT SELECT * FROM ({right}))"
        f" UNION ALL SELECT * FROM (SELECT * FROM ({right}) EXCEPT SELECT * FROM ({left})))"
    )[0]
    return bool(count)


def sealed_statements(db: Database) -> list[str]:
    problems = []
    for row in db.execute("SELECT * FROM statement_version WHERE status = 'sealed'"):
        if seal_hash(dict(row)) != row["sha256"]:
            problems.append(f"sealed statement version {row['id'][:8]} does not match its hash")
    return problems


def attachments(db: Database) -> list[str]:
    problems = []
    for attachment_id, expected, size in db.all("SELECT id, sha256, size FROM attachment"):
        digest, total = hashlib.sha256(), 0
        for (chunk,) in db.execute(
            "SELECT data FROM attachment_chunk WHERE attachment_id = ? ORDER BY seq",
            (attachment_id,),
        ):
            digest.update(chunk)
            total += len(chunk)
        if digest.hexdigest() != expected or total != size:
            problems.append(f"attachment {attachment_id[:8]} does not match its fingerprint")
    return problems
