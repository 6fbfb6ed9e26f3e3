"""The people in a case, and the one home of "who is this case's survivor"."""

from __future__ import annotations

from typing import Any

from intake_app.core.records import Person, PersonRole
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row


def person(row: Any) -> Person:
    return from_row(Person, row)


def by_id(db: Database, person_id: str) -> Person | None:
    row = db.one("SELECT * FROM person WHERE id = ?", (person_id,))
    return None if row is None else person(row)


def in_case(db: Database, case_id: str, person_id: str) -> Person | None:
    """The person, if they belong to that case."""
    row = db.one("SELECT * FROM person WHERE case_id = ? AND id = ?", (case_id, person_id))
    return None if row is None else person(row)


def of_case(db: Database, case_id: str) -> list[Person]:
    return [
        person(r)
        for r in db.all("SELECT * FROM person WHERE case_id = ? ORDER BY created_at", (case_id,))
    ]


# The list's pseudonym for a case: its survivor's (the first recorded, as ``survivor`` says),
# else the first person's; a subquery of a SELECT over case_file.
CASE_PSEUDONYM_SQL = (
    "(SELECT pseudonym FROM person p WHERE p.case_id = case_file.id"
    " ORDER BY p.role = 'survivor' DESC, p.created_at, p.id LIMIT 1)"
)


def survivor(db: Database, case_id: str) -> Person | None:
    """The case's survivor: the first person recorded in that role (a case has one; should a
    second be recorded by mistake, the first stays the one consent and contact refer to)."""
    row = db.one(
        "SELECT * FROM person WHERE case_id = ? AND role = ? ORDER BY created_at LIMIT 1",
        (case_id, PersonRole.SURVIVOR.value),
    )
    return None if row is None else person(row)
