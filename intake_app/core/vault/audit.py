"""The hash-chained, append-only audit log, and the row digests that anchor data to it.

hash(event) = SHA-256(prev_hash ‖ canonical({seq, at, user, action, entity, entity_id, details,
                                              rows: [[table, row_id, digest], ...]}))
Each write records the digest of every row it left behind (None when it deleted the row). The
latest digest of every row must match the row as stored: an older page spliced into the file shows
as a mismatch even though SQLCipher's page MAC accepts it (S6). A digest covers the declared
columns of one layout version of its table (core/vault/row_layouts.py) and says which, so a
migration may add columns without invalidating the digests already recorded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from intake_app.core.canonical import canonical_json, sha256_hex
from intake_app.core.vault import row_layouts
from intake_app.core.vault.db import Database
from intake_app.core.vault.roster import RECOVERY, SIGNED_FROM, Roster, introductions
from intake_app.core.vault.signing import AuditSigner, signature_ok

GENESIS = "0" * 64

# Tables whose rows are digested. Derived data (the search index) and the log itself are not.
DIGESTED_TABLES = tuple(row_layouts.LAYOUTS)
TICK = 4096  # how often the whole-log checks report their progress
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


def schema_of(db: Database) -> int:
    return int(db.one("PRAGMA user_version")[0])


def row_digest(db: Database, table: str, row_id: str, schema: int | None = None) -> str | None:
    """The digest of one row under its table's current layout, tagged with the layout's version."""
    version, layout = row_layouts.current(table, schema_of(db) if schema is None else schema)
    where, values = row_match(table, row_id)
    row = db.one(f"SELECT {', '.join(layout.columns)} FROM {table} WHERE {where}", values)
    return None if row is None else row_layouts.tagged(version, _digest_values(row, layout.columns))


def _digest_values(row: Any, columns: tuple[str, ...]) -> str:
    values = {k: (row[k].hex() if isinstance(row[k], bytes) else row[k]) for k in columns}
    return sha256_hex(canonical_json(values))


def digest_matches(table: str, row: Any, recorded: str) -> bool:
    """Whether a stored row (every column) is what ``recorded`` was taken over: the columns of the
    layout the digest names match, and every column that layout does not cover is still NULL
    (a column added later is protected from the moment it exists)."""
    version, digest = row_layouts.untagged(recorded)
    layout = row_layouts.LAYOUTS[table].get(version) if version is not None else None
    if layout is None:
        return False
    covered = set(layout.columns)
    if any(row[k] is not None for k in row.keys() if k not in covered and k != "_key"):
        return False
    return _digest_values(row, layout.columns) == digest


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
    signer: AuditSigner | None = None,
) -> ChainHead:
    """Append one event; call inside the transaction that made the change it records. From
    schema 11 on it is signed by ``signer``, the acting user's own key (S37)."""
    previous = head(db)
    seq = previous.seq + 1
    schema = schema_of(db)
    states = sorted(
        {(t, r, row_digest(db, t, r, schema)) for t, r in rows}, key=lambda s: (s[0], s[1])
    )
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
    values = (
        seq,
        at,
        user_id,
        action,
        entity,
        entity_id,
        json.dumps(details or {}, sort_keys=True),
        previous.hash,
        digest,
    )
    if signer is not None and schema_of(db) >= SIGNED_FROM:
        db.execute(
            "INSERT INTO audit_event(seq, at, user_id, action, entity, entity_id, details,"
            " prev_hash, hash, signer, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, signer.public_hex, signer.sign(digest)),
        )
        for who, key in introductions(action, entity_id, details or {}):
            db.execute(
                "INSERT OR IGNORE INTO audit_signer(public_key, user_id, seq) VALUES (?, ?, ?)",
                (key, who, seq),
            )
    else:
        db.execute(
            "INSERT INTO audit_event(seq, at, user_id, action, entity, entity_id, details,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )
    db.conn.executemany(
        "INSERT INTO audit_row_state(seq, tbl, row_id, digest) VALUES (?, ?, ?, ?)",
        [(seq, t, r, d) for t, r, d in states],
    )
    return ChainHead(seq, digest)


def _event_body(row: Any, details: dict[str, Any], rows: list[list[Any]]) -> dict[str, Any]:
    """What an event's hash covers, from a row of ``seq, at, user_id, action, entity,
    entity_id, …`` (as append builds it)."""
    return {
        "seq": int(row[0]),
        "at": row[1],
        "user": row[2],
        "action": row[3],
        "entity": row[4],
        "entity_id": row[5],
        "details": details,
        "rows": rows,
    }


def verify_chain(
    db: Database,
    *,
    signatures: bool = True,
    latest: dict[tuple[str, str], str | None] | None = None,
    tick: Callable[[int], None] | None = None,
) -> tuple[list[str], ChainHead]:
    """Recompute every hash and, with ``signatures``, check every event's signature against the
    roster the signed events build (S37); returns the problems found and the head. A backup
    leaves the signatures out: it looks for damage, which the hashes show. Given ``latest``, it
    also fills it with every row's last recorded digest, for :func:`verify_rows` (one pass over
    the log, not two). ``tick(events checked)`` is called every few thousand events.

    The row states are read in ``seq`` order through their index and sorted per event here:
    asking SQLite for ``ORDER BY seq, tbl, row_id`` sorted the whole table first, which took
    longer than everything else in the check."""
    problems: list[str] = []
    states = _states_by_event(db, latest)
    pending: tuple[int, list[list[Any]]] = next(states, (0, []))
    signed = schema_of(db) >= SIGNED_FROM
    roster = Roster()
    previous = GENESIS
    expected_seq = 1
    last = ChainHead(0, GENESIS)
    for row in db.scan(
        "SELECT seq, at, user_id, action, entity, entity_id, details, prev_hash, hash"
        + (", signer, signature" if signed else "")
        + " FROM audit_event ORDER BY seq"
    ):
        seq = int(row[0])
        if seq != expected_seq:
            problems.append(f"audit event {expected_seq} is missing")
        while pending[0] and pending[0] < seq:  # states of an event that is not there
            pending = next(states, (0, []))
        rows: list[list[Any]] = []
        if pending[0] == seq:
            rows = pending[1]
            pending = next(states, (0, []))
        details = json.loads(row[6])
        body = _event_body(row, details, rows)
        if row[7] != previous or _event_hash(previous, body) != row[8]:
            problems.append(f"audit event {seq} does not match the chain")
        if signatures:
            problem = roster.check(
                seq, row[3], row[2], row[5], details, str(row[8]),
                row[9] if signed else None, row[10] if signed else None,
            )  # fmt: skip
            if problem:
                problems.append(problem)
            else:  # only an event that holds may tell who is a coordinator
                roster.learn_role(row[3], row[5], details)
        previous = str(row[8])
        expected_seq = seq + 1
        last = ChainHead(seq, previous)
        if tick is not None and not seq % TICK:
            tick(seq)
    for _rest in states:  # read to the end, so that ``latest`` is whole
        pass
    return problems, last


def _states_by_event(
    db: Database, latest: dict[tuple[str, str], str | None] | None
) -> Iterator[tuple[int, list[list[Any]]]]:
    """``(seq, [[tbl, row_id, digest], …])`` per event, in seq order, each list sorted as
    :func:`append` hashed it."""
    current = 0
    group: list[list[Any]] = []
    for seq, tbl, row_id, digest in db.scan(
        "SELECT seq, tbl, row_id, digest FROM audit_row_state ORDER BY seq"
    ):
        if latest is not None:
            latest[(tbl, row_id)] = digest
        if seq != current:
            if group:
                group.sort(key=_state_key)
                yield current, group
            current, group = seq, []
        group.append([tbl, row_id, digest])
    if group:
        group.sort(key=_state_key)
        yield current, group


def _state_key(state: list[Any]) -> tuple[str, str]:
    return state[0], state[1]


def register_key(db: Database, signer: AuditSigner, user_id: str | None, at: str) -> None:
    """S37: name the signing key of a user of a vault from before signed events (``user_id``
    None: the recovery key), once, in an event signed with it. Inside a transaction."""
    if key_registered(db, signer.public_hex):
        return
    append(
        db,
        at=at,
        user_id=user_id,
        action="audit.key_registered",
        entity="app_user",
        entity_id=user_id,
        details={"audit_key": signer.public_hex, "recovery": user_id is None},
        signer=signer,
    )


def key_registered(db: Database, public_key: str) -> bool:
    """Whether the chain already names this signing key (audit_signer is the lookup for it)."""
    if schema_of(db) < SIGNED_FROM:
        return True  # nothing to register before the log can carry signatures
    return db.one("SELECT 1 FROM audit_signer WHERE public_key = ?", (public_key,)) is not None


def verify_event(db: Database, seq: int) -> list[str]:
    """One event's hash recomputed and its links to the events either side, through the primary
    key and the row states' index on seq (migration 0012): what S35 checks for the events behind
    one case's rows, at a cost that does not grow with the log. From schema 11 on, the event must
    also carry a valid signature by a key the chain's lookup (audit_signer) gives its user; the
    full roster (S37) is rebuilt only by verify_chain, which reads the whole log."""
    signed = schema_of(db) >= SIGNED_FROM
    row = db.one(
        "SELECT seq, at, user_id, action, entity, entity_id, details, prev_hash, hash"
        + (", signer, signature" if signed else "")
        + " FROM audit_event WHERE seq = ?",
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
    body = _event_body(row, json.loads(row[6]), states)
    before = (
        (GENESIS,) if seq == 1 else db.one("SELECT hash FROM audit_event WHERE seq = ?", (seq - 1,))
    )
    problems = []
    if before is None:
        problems.append(f"audit event {seq - 1} is missing")
    elif row[7] != before[0] or _event_hash(row[7], body) != row[8]:
        problems.append(f"audit event {seq} does not match the chain")
    after = db.one("SELECT prev_hash FROM audit_event WHERE seq = ?", (seq + 1,))
    later = db.one("SELECT 1 FROM audit_event WHERE seq > ? LIMIT 1", (seq,))
    if after is None and later is not None:
        problems.append(f"audit event {seq + 1} is missing")
    elif after is not None and after[0] != row[8]:
        problems.append(f"audit event {seq + 1} does not match the chain")
    if signed and row[9] is not None:
        # audit_signer is the chain's lookup of the keys it named (a user's, or the recovery
        # key's): S37's full roster, rebuilt from the signed events, is verify_chain's to check
        owner = db.one("SELECT user_id FROM audit_signer WHERE public_key = ?", (row[9],))
        if (
            owner is None
            or not signature_ok(str(row[9]), str(row[8]), str(row[10] or ""))
            or (row[2] is not None and owner[0] not in (row[2], RECOVERY))
        ):
            problems.append(f"audit event {seq} is not signed by its user")
    elif signed:
        # unsigned is allowed only before the first event that named a key (an upgraded vault)
        first = db.one("SELECT min(seq) FROM audit_signer")
        if first is not None and first[0] is not None and seq >= int(first[0]):
            problems.append(f"audit event {seq} is not signed")
    return problems


def verify_rows(
    db: Database,
    latest: dict[tuple[str, str], str | None] | None = None,
    tick: Callable[[int], None] | None = None,
) -> list[str]:
    """Every row must be exactly as the last audited write left it. ``latest`` is what
    :func:`verify_chain` filled in the same check (else it is read here); ``tick(rows checked)``
    is called every few thousand rows."""
    done = 0
    problems: list[str] = []
    if latest is None:
        latest = {}
        for tbl, row_id, digest in db.scan("SELECT tbl, row_id, digest FROM audit_row_state"
                                           " ORDER BY seq"):  # fmt: skip
            latest[(tbl, row_id)] = digest
    for table in DIGESTED_TABLES:
        matcher: _RowMatcher | None = None
        for row in db.scan(f"SELECT {row_key_sql(table)}, * FROM {table}"):
            if matcher is None:
                matcher = _RowMatcher(db, table)
            row_id = str(row[0])
            done += 1
            if tick is not None and not done % TICK:
                tick(done)
            recorded = latest.pop((table, row_id), None)
            if recorded is None or not matcher.matches(row, recorded):
                problems.append(f"{table} row {row_id[:8]} differs from its last recorded change")
    for (table, row_id), digest in latest.items():
        if digest is not None:
            problems.append(f"{table} row {row_id[:8]} has disappeared")
    return problems


class _RowMatcher:
    """:func:`digest_matches` for the plain tuples of ``SELECT key, * FROM table``: the column
    positions of each layout are worked out once per table, not once per row."""

    def __init__(self, db: Database, table: str) -> None:
        names = [str(r[1]) for r in db.scan(f"PRAGMA table_info({table})")]
        position = {name: index + 1 for index, name in enumerate(names)}  # 0 is the key
        self._layouts: dict[int, tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]] = {}
        for version, layout in row_layouts.LAYOUTS[table].items():
            if any(c not in position for c in layout.columns):
                continue  # a layout of a later schema: a digest naming it does not match
            covered = tuple(position[c] for c in layout.columns)
            rest = tuple(i for name, i in position.items() if name not in set(layout.columns))
            self._layouts[version] = (layout.columns, covered, rest)

    def matches(self, row: tuple[Any, ...], recorded: str) -> bool:
        version, digest = row_layouts.untagged(recorded)
        layout = self._layouts.get(version) if version is not None else None
        if layout is None:
            return False
        columns, covered, rest = layout
        if any(row[i] is not None for i in rest):
            return False
        values = {}
        for name, i in zip(columns, covered, strict=True):
            value = row[i]
            values[name] = value.hex() if isinstance(value, bytes) else value
        return sha256_hex(canonical_json(values)) == digest


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
