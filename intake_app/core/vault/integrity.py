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
from intake_app.core.vault.search_index import ALL_SOURCES, fold


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


def _search_index(db: Database) -> list[str]:
    """The index is derived data: it must hold exactly the records' folded text and be sound."""
    problems = []
    try:
        db.execute("INSERT INTO search_index(search_index, rank) VALUES ('integrity-check', 0)")
    except Exception:
        problems.append("the search index is damaged")
    # A draft autosaved while typing has an entry that waits for the next pause (migration 0008);
    # one the triggers listed as stale is written by the next write or unlock (0010).
    waiting = {
        str(r[0])
        for r in db.all(
            "SELECT source_id FROM search_deferred UNION SELECT source_id FROM search_stale"
        )
    }
    if _entries_differ(db, waiting):
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


def _entries_differ(db: Database, waiting: set[str]) -> bool:
    """Whether any entry is not the folded text of its record (the fold is Python: one pass over
    the records, each joined to its entry through the map, which the caller checks too)."""
    found = 0
    for row in db.execute(
        f"SELECT e.source_id, e.kind, e.case_id, e.body, i.kind, i.case_id, i.body"
        f" FROM ({ALL_SOURCES}) e LEFT JOIN search_source m ON m.source_id = e.source_id"
        " LEFT JOIN search_index i ON i.rowid = m.fts_rowid"
    ):
        source_id = str(row[0])
        if row[6] is None:  # no entry (yet)
            if source_id not in waiting:
                return True
            continue
        found += 1
        if (row[1], row[2]) != (row[4], row[5]):
            return True
        if source_id not in waiting and fold(str(row[3])) != row[6]:
            return True
    return bool(found != db.one("SELECT count(*) FROM search_index")[0])


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
