"""Cases: lookup by reference, the filtered and paged list, and the rows that belong to a case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from intake_app.core.records import Case, CaseStatus, CaseSummary
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.people import CASE_PSEUDONYM_SQL
from intake_app.core.vault.repositories.rows import from_row


@dataclass(frozen=True)
class CaseFilter:
    """What the case list may be narrowed to; every filter given must hold."""

    status: CaseStatus | None = None
    assigned_to: str | None = None
    language: str | None = None
    overdue_at: str | None = None  # a referral or promised news late at this moment
    references: Sequence[str] | None = None
    hide_closed: bool = False  # closed and archived cases left out (the list's default)


def case_summary(row: Any) -> CaseSummary:
    return from_row(CaseSummary, row)


def case(db: Database, row: Any) -> Case:
    assigned = tuple(
        r[0]
        for r in db.all(
            "SELECT u.username FROM case_assignment a JOIN app_user u ON u.id = a.user_id"
            " WHERE a.case_id = ? ORDER BY u.username",
            (row["id"],),
        )
    )
    return from_row(Case, row, assigned=assigned)


def case_row(db: Database, reference: str) -> Any:
    """The case's row by its reference (any case) or its id, or None."""
    return db.one(
        "SELECT * FROM case_file WHERE reference = ? OR id = ?", (reference.upper(), reference)
    )


def rows_of_case(db: Database, table: str, case_id: str, order: str = "created_at") -> list[Any]:
    """Every row of ``table`` that belongs to the case, oldest first (``table`` and ``order`` are
    always literals of the caller)."""
    return db.all(f"SELECT * FROM {table} WHERE case_id = ? ORDER BY {order}, id", (case_id,))


def reference_taken(db: Database, reference: str) -> bool:
    return db.one("SELECT 1 FROM case_file WHERE reference = ?", (reference,)) is not None


def count(db: Database, where: CaseFilter) -> int:
    clauses, params = _where(where)
    return int(db.one(f"SELECT count(*) FROM case_file {clauses}", params)[0])


def summaries(
    db: Database, where: CaseFilter, *, limit: int, after: CaseSummary | None = None
) -> list[CaseSummary]:
    """Most recently updated first. ``after`` continues from that case (keyset paging: the next
    page costs the same at any depth, where an OFFSET would walk past every case before it)."""
    clauses, params = _where(where)
    if after is not None:
        clauses += (" AND " if clauses else "WHERE ") + (
            "updated_at <= ? AND (updated_at < ? OR id > ?)"
        )
        params = [*params, after.updated_at, after.updated_at, after.id]
    rows = db.all(
        "SELECT id, reference, status, languages, updated_at,"
        f" {CASE_PSEUDONYM_SQL} AS pseudonym,"
        " (SELECT count(*) FROM person p WHERE p.case_id = case_file.id) AS people,"
        " (SELECT group_concat(username, ', ') FROM (SELECT u.username FROM case_assignment a"
        "  JOIN app_user u ON u.id = a.user_id WHERE a.case_id = case_file.id"
        "  ORDER BY u.username)) AS members"
        f" FROM case_file {clauses}"
        " ORDER BY updated_at DESC, id LIMIT ?",
        (*params, limit),
    )
    return [case_summary(r) for r in rows]


def languages(db: Database) -> list[str]:
    """Every language some case is conducted in."""
    rows = db.all(
        "SELECT DISTINCT j.value FROM case_file, json_each(case_file.languages) AS j ORDER BY j.value"
    )
    return [str(r[0]) for r in rows]


def _where(where: CaseFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if where.references is not None:
        clauses.append(f"reference IN ({','.join('?' * len(where.references)) or 'NULL'})")
        params += list(where.references)
    if where.hide_closed:
        clauses.append("status NOT IN ('closed', 'archived')")
    if where.status is not None:
        clauses.append("status = ?")
        params.append(where.status.value)
    if where.assigned_to:
        clauses.append(
            "EXISTS (SELECT 1 FROM case_assignment a JOIN app_user u ON u.id = a.user_id"
            " WHERE a.case_id = case_file.id AND u.username = ?)"
        )
        params.append(where.assigned_to)
    if where.language:
        clauses.append("EXISTS (SELECT 1 FROM json_each(case_file.languages) WHERE value = ?)")
        params.append(where.language)
    if where.overdue_at is not None:  # a referral unanswered past its date, or news not given
        clauses.append(
            "(EXISTS (SELECT 1 FROM referral r WHERE r.case_id = case_file.id AND r.status = 'sent'"
            " AND r.due_at < ?) OR EXISTS (SELECT 1 FROM liaison_update l WHERE l.case_id = case_file.id"
            " AND l.feedback_due < ? AND l.status NOT IN ('acknowledged', 'failed')))"
        )
        params += [where.overdue_at, where.overdue_at]
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
