"""The consent ledger: every decision recorded for a case."""

from __future__ import annotations

from typing import Any

from intake_app.core.records import Consent
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row


def consent(row: Any) -> Consent:
    return from_row(Consent, row)


def consents(db: Database, case_id: str) -> list[Consent]:
    return [
        consent(r)
        for r in db.all(
            "SELECT * FROM consent WHERE case_id = ? ORDER BY recorded_at, id", (case_id,)
        )
    ]
