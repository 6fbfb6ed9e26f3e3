"""The hash-chained, append-only audit log, and the row digests that anchor data to it.

hash(event) = SHA-256(prev_hash ‖ canonical({seq, at, user, action, entity, entity_id, details,
                                              rows: [[table, row_id, digest], ...]}))
Each write records the digest of every row it left behind (None when it deleted the row). The
latest digest of every row must match the row as stored: an older page spliced into the file shows
as a mismatch even though SQLCipher's page MAC accepts it (S6).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from intake_app.core.canonical import canonical_json, sha256_hex
from intake_app.core.vault.db import Database

GENESIS = "0" * 64

# Tables whose rows are digested. Derived data (the search index) and the log itself are not.
DIGESTED_TABLES = (
    "app_user",
    "case_file",
    "case_assignment",
    "person",
    "form_response",
    "interview_session",
    "session_break",
    "statement",
    "statement_version",
    "attachment",
    "consent",
    "service_provider",
    "referral",
    "referral_transition",
    "contact_plan",
    "liaison_update",
    "recipient",
    "form_definition",
    "signing_identity",
    "export_record",
    "promise",
    "referral_follow_up",
)
_ROW_KEYS = {"case_assignment": ("case_id", "user_id")}


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at: str
    user_id: str | None
    action: str
    entity: str | None
    entity_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


def row_key_sql(table: str) -> str:
    keys = _ROW_KEYS.get(table, ("id",))
    return " || '/' || ".join(keys)


def row_match(table: str, row_id: str) -> tuple[str, tuple[str, ...]]:
    """A WHERE clause and its values that find one row by its audit key, through the table's
    primary key (comparing ``a || '/' || b`` instead would scan the whole table)."""
    keys = _ROW_KEYS.get(table, ("id",))
    values = tuple(row_id.split("/", len(keys) - 1)) if len(keys) > 1 else (row_id,)
    return " AND ".join(f"{k} = ?" for k in keys), values


def row_digest(db: Database, table: str, row_id: str) -> str | None:
    where, values = row_match(table, row_id)
    row = db.one(f"SELECT * FROM {table} WHERE {where}", values)
    return None if row is None else _digest_row(row)


def _digest_row(row: Any, skip: str = "") -> str:
    values = {
        k: (row[k].hex() if isinstance(row[k], bytes) else row[k]) for k in row.keys() if k != skip
    }
    return sha256_hex(canonical_json(values))


def _event_hash(prev_hash: str, body: dict[str, Any]) -> str:
    return sha256_hex(bytes.fromhex(prev_hash) + canonical_json(body))


def head(db: Database) -> ChainHead:
    row = db.one("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")
    return ChainHead(0, GENESIS) if row is None else ChainHead(int(row[0]), str(row[1]))


def append(
    db: Database,
    *,
    at: str,
    user_id: str | None,
    action: str,
    entity: str | None = None,
    entity_id: str | None = None,
    details: dict[str, Any] | None = None,
    rows: Iterable[tuple[str, str]] = (),
) -> ChainHead:
    """Append one event; call inside the transaction that made the change it records."""
    previous = head(db)
    seq = previous.seq + 1
    states = sorted({(t, r, row_digest(db, t, r)) for t, r in rows}, key=lambda s: (s[0], s[1]))
    body = {
        "seq": seq,
        "at": at,
        "user": user_id,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "details": details or {},
        "rows": [list(s) for s in states],
    }
    digest = _event_hash(previous.hash, body)
    db.execute(
        "INSERT INTO audit_event(seq, at, user_id, action, entity, entity_id, details, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            at,
            user_id,
            action,
            entity,
            entity_id,
            json.dumps(details or {}, sort_keys=True),
            previous.hash,
            digest,
        ),
    )
    db.conn.executemany(
        "INSERT INTO audit_row_state(seq, tbl, row_id, digest) VALUES (?, ?, ?, ?)",
        [(seq, t, r, d) for t, r, d in states],
    )
    return ChainHead(seq, digest)


def verify_chain(db: Database) -> tuple[list[str], ChainHead]:
    """Recompute every hash; returns the problems found (plain sentences) and the head."""
    problems: list[str] = []
    states: dict[int, list[list[Any]]] = {}
    for seq, tbl, row_id, digest in db.execute(
        "SELECT seq, tbl, row_id, digest FROM audit_row_state ORDER BY seq, tbl, row_id"
    ):
        states.setdefault(int(seq), []).append([tbl, row_id, digest])
    previous = GENESIS
    expected_seq = 1
    last = ChainHead(0, GENESIS)
    for row in db.execute(
        "SELECT seq, at, user_id, action, entity, entity_id, details, prev_hash, hash"
        " FROM audit_event ORDER BY seq"
    ):
        seq = int(row[0])
        if seq != expected_seq:
            problems.append(f"audit event {expected_seq} is missing")
        body = _event_body(row, states.get(seq, []))
        if row[7] != previous or _event_hash(previous, body) != row[8]:
            problems.append(f"audit event {seq} does not match the chain")
        previous = str(row[8])
        expected_seq = seq + 1
        last = ChainHead(seq, previous)
    return problems, last


def _event_body(row: Any, states: list[list[Any]]) -> dict[str, Any]:
    """What an event's hash covers, from its stored columns (seq, at, user_id, action, entity,
    entity_id, details, …) and its row states ordered by table and row."""
    return {
        "seq": int(row[0]),
        "at": row[1],
        "user": row[2],
        "action": row[3],
        "entity": row[4],
        "entity_id": row[5],
        "details": json.loads(row[6]),
        "rows": states,
    }


def verify_event(db: Database, seq: int) -> list[str]:
    """One event's hash recomputed and its links to the events either side, through the primary
    key and the row states' index on seq (migration 0012): what S35 checks for the events behind
    one case's rows, at a cost that does not grow with the log."""
    row = db.one(
        "SELECT seq, at, user_id, action, entity, entity_id, details, prev_hash, hash"
        " FROM audit_event WHERE seq = ?",
        (seq,),
    )
    if row is None:
        return [f"audit event {seq} is missing"]
    states = [
        [t, r, d]
        for t, r, d in db.execute(
            "SELECT tbl, row_id, digest FROM audit_row_state WHERE seq = ? ORDER BY tbl, row_id",
            (seq,),
        )
    ]
    before = (
        (GENESIS,) if seq == 1 else db.one("SELECT hash FROM audit_event WHERE seq = ?", (seq - 1,))
    )
    problems = []
    if before is None:
        problems.append(f"audit event {seq - 1} is missing")
    elif row[7] != before[0] or _event_hash(row[7], _event_body(row, states)) != row[8]:
        problems.append(f"audit event {seq} does not match the chain")
    after = db.one("SELECT prev_hash FROM audit_event WHERE seq = ?", (seq + 1,))
    later = db.one("SELECT 1 FROM audit_event WHERE seq > ? LIMIT 1", (seq,))
    if after is None and later is not None:
        problems.append(f"audit event {seq + 1} is missing")
    elif after is not None and after[0] != row[8]:
        problems.append(f"audit event {seq + 1} does not match the chain")
    return problems


def verify_rows(db: Database) -> list[str]:
    """Every row must be exactly as the last audited write left it."""
    problems: list[str] = []
    latest: dict[tuple[str, str], str | None] = {}
    for tbl, row_id, digest in db.execute(
        "SELECT tbl, row_id, digest FROM audit_row_state ORDER BY seq"
    ):
        latest[(str(tbl), str(row_id))] = digest
    for table in DIGESTED_TABLES:
        key = row_key_sql(table)
        for row in db.execute(f"SELECT {key} AS _key, * FROM {table}"):
            row_id = str(row["_key"])
            digest = _digest_row(row, skip="_key")
            recorded = latest.pop((table, row_id), "missing")
            if recorded != digest:
                problems.append(f"{table} row {row_id[:8]} differs from its last recorded change")
    for (table, row_id), digest in latest.items():
        if digest is not None:
            problems.append(f"{table} row {row_id[:8]} has disappeared")
    return problems


def events(
    db: Database, *, entity_ids: Iterable[str] | None = None, limit: int = 1000
) -> list[AuditEvent]:
    if entity_ids is None:
        rows = db.all("SELECT * FROM audit_event ORDER BY seq DESC LIMIT ?", (limit,))
    else:
        ids = list(entity_ids)
        marks = ",".join("?" * len(ids))
        rows = db.all(
            f"SELECT * FROM audit_event WHERE entity_id IN ({marks}) ORDER BY seq DESC LIMIT ?",
            (*ids, limit),
        )
    return [
        AuditEvent(
            int(r["seq"]),
            r["at"],
            r["user_id"],
            r["action"],
            r["entity"],
            r["entity_id"],
            json.loads(r["details"]),
            r["prev_hash"],
            r["hash"],
        )
        for r in rows
    ]
