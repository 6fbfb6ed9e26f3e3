"""Contact plans, updates to survivors, and the news promised to them."""

from __future__ import annotations

from typing import Any

from intake_app.core.records import ContactPlan, LiaisonUpdate, Promise
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row


def contact_plan(row: Any) -> ContactPlan:
    return from_row(ContactPlan, row)


def liaison_update(row: Any) -> LiaisonUpdate:
    return from_row(LiaisonUpdate, row)


def promise(row: Any) -> Promise:
    return from_row(Promise, row)


def contact_plan_id(db: Database, case_id: str) -> str | None:
    row = db.one("SELECT id FROM contact_plan WHERE case_id = ?", (case_id,))
    return None if row is None else str(row["id"])


def contact_plan_of_case(db: Database, case_id: str) -> ContactPlan | None:
    row = db.one("SELECT * FROM contact_plan WHERE case_id = ?", (case_id,))
    return None if row is None else contact_plan(row)


def promises(db: Database, case_id: str | None = None, *, open_only: bool = True) -> list[Promise]:
    """The promises of one case (or of every case), soonest due first."""
    clauses, values = [], []
    if case_id is not None:
        clauses.append("case_id = ?")
        values.append(case_id)
    if open_only:
        clauses.append("kept_at IS NULL")
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.all(f"SELECT * FROM promise {where} ORDER BY due_at, id", tuple(values))
    return [promise(r) for r in rows]


def all_updates(db: Database) -> list[LiaisonUpdate]:
    """Every update across cases, newest first."""
    rows = db.all("SELECT * FROM liaison_update ORDER BY prepared_at DESC, id")
    return [liaison_update(r) for r in rows]


def updates_due(db: Database, now: str) -> list[LiaisonUpdate]:
    """Updates whose promised feedback date has passed and that are not acknowledged."""
    rows = db.all(
        "SELECT * FROM liaison_update WHERE feedback_due IS NOT NULL AND feedback_due <= ?"
        " AND status NOT IN ('acknowledged') ORDER BY feedback_due",
        (now,),
    )
    return [liaison_update(r) for r in rows]
