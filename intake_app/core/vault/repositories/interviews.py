"""Interview sessions and their breaks."""

from __future__ import annotations

from typing import Any

from intake_app.core.records import InterviewSession, SessionBreak
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row


def session(db: Database, row: Any) -> InterviewSession:
    breaks = tuple(
        from_row(SessionBreak, b)
        for b in db.all(
            "SELECT * FROM session_break WHERE session_id = ? ORDER BY started_at", (row["id"],)
        )
    )
    return from_row(InterviewSession, row, breaks=breaks)


def open_breaks(db: Database, session_id: str) -> list[str]:
    """The ids of the session's breaks that have not ended."""
    rows = db.all(
        "SELECT id FROM session_break WHERE session_id = ? AND ended_at IS NULL", (session_id,)
    )
    return [r["id"] for r in rows]
