"""S35: one case verified at the point of use, at a cost that does not grow with the vault.

An export, a referral form, a letter (and a bundle, one case at a time) reads a case's rows as
stored. Someone holding the vault key can edit them without the services: drop the consent
ledger's trigger, set a refusal to ``granted``, put the trigger back. ``audit verify`` and every
backup catch that (docs/security.md S5, S6), but they read the whole vault: 124 s at 100,000
cases, too slow to run before each export. So before a case is used, this checks what it will
read, through indexes only:

1. every row of the case (through each table's link to it, below) and every row the audit log
   says belongs to it (the rows of the events that name the case or one of its records, so a row
   deleted with the key is missed, not silently absent), against the digest its last audited write
   recorded; a row with no recorded digest is a problem too;
2. the rows those refer to (users, providers, people, earlier versions, through the schema's
   foreign keys), the form definitions of its answers, and what the caller names: the recipient,
   the acting user and their signing identity;
3. every sealed statement version against its seal hash, and every attachment whose content the
   use reads against its chunks (an export: the files it embeds; by default, and for a bundle,
   all of them: hashing every file of a case with hours of video on each export would freeze the
   window for seconds, and a file that does not leave is described by its digested row);
4. the audit events that recorded those latest digests: each one's hash recomputed, and its links
   to the events either side (``audit.verify_event``).

Pages: SQLCipher authenticates (HMAC-SHA512) every page it reads from the file, so each page the
check and the export read is authenticated on the way; a page that fails is an error on read,
which becomes the same "vault damaged" sentence. An older page spliced in passes the MAC, but the
rows on it no longer match their digests (S6).

A key holder who edits a row and also appends an audit event re-recording its digest, the chain
hash recomputed, leaves a consistent chain: what catches that is the event's signature (S37),
checked here against the chain's key lookup (``audit_signer``); a forger who also slips their own
key into that lookup is caught by ``audit verify``, which rebuilds the roster from the events.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import Any

from intake_app.core.errors import VaultDamaged
from intake_app.core.testimony import seal_hash
from intake_app.core.vault import audit
from intake_app.core.vault.db import Database, DatabaseError, damaged_error, translate

# Each table of a case, and how its rows link to the case (every lookup uses an index; a test
# checks the plan of every statement this module runs).
_OF_STATEMENTS = "IN (SELECT id FROM statement WHERE case_id = ?)"
_OF_REFERRALS = "IN (SELECT id FROM referral WHERE case_id = ?)"
CASE_LINKS = {
    "case_file": "id = ?",
    "case_assignment": "case_id = ?",
    "person": "case_id = ?",
    "statement": "case_id = ?",
    "statement_version": "statement_id " + _OF_STATEMENTS,
    "consent": "case_id = ?",
    "interview_session": "case_id = ?",
    "session_break": "session_id IN (SELECT id FROM interview_session WHERE case_id = ?)",
    "form_response": "case_id = ?",
    "attachment": "case_id = ?",
    "referral": "case_id = ?",
    "referral_transition": "referral_id " + _OF_REFERRALS,
    "referral_follow_up": "id " + _OF_REFERRALS,
    "contact_plan": "case_id = ?",
    "liaison_update": "case_id = ?",
    "promise": "case_id = ?",
    "export_record": "case_id = ?",
}
_CHUNK = 500  # ids per IN (…) lookup, well under SQLite's limit on bound values

RowKey = tuple[str, str]


def verify_case(
    db: Database,
    case_id: str,
    *,
    user_id: str | None = None,
    recipient_id: str | None = None,
    files: Collection[str] | None = None,
) -> list[str]:
    """The problems found in what using this case reads (plain sentences, for the log and
    tests; never shown as they are). ``user_id``: the acting user, whose row and current signing
    identity are checked too; ``recipient_id``: the recipient an export is sealed for; ``files``:
    the attachments whose content the use reads (None: all of the case's)."""
    try:
        return _Check(db, files).run(case_id, user_id, recipient_id)
    except VaultDamaged:  # a page that fails its MAC, a damaged b-tree (translated by db.py)
        return ["the case could not be read"]
    except DatabaseError as exc:  # met while iterating a cursor, outside db.py's translation
        if isinstance(translate(exc), VaultDamaged):
            return ["the case could not be read"]
        raise  # anything else is a bug, never passed off as damage


def require_case_intact(
    db: Database,
    case_id: str,
    *,
    user_id: str | None = None,
    recipient_id: str | None = None,
    files: Collection[str] | None = None,
) -> None:
    """Raise VaultDamaged ("… Restore it from a backup.") unless :func:`verify_case` is clean."""
    if verify_case(db, case_id, user_id=user_id, recipient_id=recipient_id, files=files):
        raise damaged_error()


class _Check:
    def __init__(self, db: Database, files: Collection[str] | None) -> None:
        self.db = db
        self.files = None if files is None else set(files)
        self.problems: list[str] = []

    def run(self, case_id: str, user_id: str | None, recipient_id: str | None) -> list[str]:
        rows = self._case_rows(case_id)
        case = rows.get(("case_file", case_id))
        if case is None:
            return [f"case {case_id[:8]} is not in the vault"]
        audited = self._audited_rows(case_id, str(case["reference"]), rows)
        extra = self._referenced(rows)
        if user_id is not None:
            extra.add(("app_user", user_id))
            identity = self.db.one(
                "SELECT id FROM signing_identity WHERE user_id = ? AND retired_at IS NULL",
                (user_id,),
            )
            if identity is not None:
                extra.add(("signing_identity", str(identity[0])))
        if recipient_id is not None:
            extra.add(("recipient", recipient_id))
        events: set[int] = set()
        for table, row_id in sorted(set(rows) | audited | extra):
            seq = self._against_digest(table, row_id)
            if seq is not None:
                events.add(seq)
        for (table, row_id), row in rows.items():
            if table == "statement_version" and row["status"] == "sealed":
                if seal_hash(dict(row)) != row["sha256"]:
                    self.problems.append(f"sealed statement version {row_id[:8]} has changed")
            elif table == "attachment" and (self.files is None or row_id in self.files):
                self._attachment(row)
        for seq in sorted(events):
            self.problems += audit.verify_event(self.db, seq)
        return self.problems

    def _case_rows(self, case_id: str) -> dict[RowKey, Any]:
        rows: dict[RowKey, Any] = {}
        for table, link in CASE_LINKS.items():
            for row in self.db.execute(f"SELECT * FROM {table} WHERE {link}", (case_id,)):
                rows[(table, _row_id(table, row))] = row
        return rows

    def _audited_rows(self, case_id: str, reference: str, rows: dict[RowKey, Any]) -> set[RowKey]:
        """Every row of a case table that an event of this case recorded: the events that name
        the case in their details, then (until nothing new turns up) those about the case or one
        of its records, as ``ctx.write`` names them (a consent's withdrawal names the consent)."""
        found = self._rows_of_events("json_extract(e.details, '$.case') = ?", [reference])
        entities = {case_id} | {r for t, r in rows if t != "case_assignment"}
        asked: set[str] = set()
        while entities - asked:
            batch = sorted(entities - asked)
            asked |= set(batch)
            for start in range(0, len(batch), _CHUNK):
                part = batch[start : start + _CHUNK]
                marks = ",".join("?" * len(part))
                found |= self._rows_of_events(f"e.entity_id IN ({marks})", part)
            entities |= {r for t, r in found if t != "case_assignment"}
        return found

    def _rows_of_events(self, where: str, values: list[str]) -> set[RowKey]:
        return {
            (str(t), str(r))
            for t, r in self.db.execute(
                "SELECT DISTINCT s.tbl, s.row_id FROM audit_event e"
                f" JOIN audit_row_state s ON s.seq = e.seq WHERE {where}",
                values,
            )
            if t in CASE_LINKS
        }

    def _referenced(self, rows: dict[RowKey, Any]) -> set[RowKey]:
        """The rows the case's rows point to (what an export prints beside them: who sealed a
        statement, the provider of a referral) and the form definitions of its answers."""
        targets: dict[str, list[tuple[str, str]]] = {}
        out: set[RowKey] = set()
        for (table, _row_id_), row in rows.items():
            if table not in targets:
                targets[table] = [
                    (str(fk["from"]), str(fk["table"]))
                    for fk in self.db.all(f"PRAGMA foreign_key_list({table})")
                    if fk["table"] in audit.DIGESTED_TABLES
                ]
            for column, target in targets[table]:
                if row[column] is not None:
                    out.add((target, str(row[column])))
            if table == "form_response":
                definition = self.db.one(
                    "SELECT id FROM form_definition WHERE form_id = ? AND version = ?",
                    (row["form_id"], row["form_version"]),
                )
                if definition is None:
                    self.problems.append(f"the form of answers {_row_id_[:8]} is missing")
                else:
                    out.add(("form_definition", str(definition[0])))
        return out - set(rows)

    def _against_digest(self, table: str, row_id: str) -> int | None:
        """Compare the row with its latest recorded digest; returns the seq that recorded it."""
        latest = self.db.one(
            "SELECT seq, digest FROM audit_row_state WHERE tbl = ? AND row_id = ?"
            " ORDER BY seq DESC LIMIT 1",
            (table, row_id),
        )
        where, values = audit.row_match(table, row_id)
        current = self.db.one(f"SELECT * FROM {table} WHERE {where}", values)
        if latest is None:
            self.problems.append(
                f"{table} row {row_id[:8]} "
                + ("has no recorded change" if current is not None else "is missing")
            )
            return None
        recorded = latest["digest"]
        if current is None and recorded is not None:
            self.problems.append(f"{table} row {row_id[:8]} has disappeared")
        elif current is not None and (
            recorded is None or not audit.digest_matches(table, current, recorded)
        ):
            self.problems.append(f"{table} row {row_id[:8]} differs from its last recorded change")
        return int(latest["seq"])

    def _attachment(self, row: Any) -> None:
        digest, total = hashlib.sha256(), 0
        for (chunk,) in self.db.execute(
            "SELECT data FROM attachment_chunk WHERE attachment_id = ? ORDER BY seq", (row["id"],)
        ):
            digest.update(chunk)
            total += len(chunk)
        if digest.hexdigest() != row["sha256"] or total != row["size"]:
            self.problems.append(f"attachment {str(row['id'])[:8]} does not match its fingerprint")


def _row_id(table: str, row: Any) -> str:
    """The row's key as the audit log writes it (``case_id/user_id`` for an assignment)."""
    if table == "case_assignment":
        return f"{row['case_id']}/{row['user_id']}"
    return str(row["id"])
