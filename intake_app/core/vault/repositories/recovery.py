"""What the audit log says about the session before this one: whether it ended with a lock, and
which drafts it autosaved (docs/design.md §3, "Draft recovered")."""

from __future__ import annotations

from dataclasses import dataclass

from intake_app.core.vault.db import Database

# A vault's first session begins with its creation (its first user is signed in at once).
SESSION_STARTS = ("vault.created", "session.unlocked", "session.recovery_unlocked")


@dataclass(frozen=True)
class InterruptedSession:
    """The session before the current one, which has no ``session.locked`` event: the app
    stopped without locking (a crash, a power cut, a killed process)."""

    after_seq: int  # its first event
    before_seq: int  # the current session's first event
    started_at: str
    user_id: str | None


def interrupted_session(db: Database) -> InterruptedSession | None:
    marks = ",".join("?" * len(SESSION_STARTS))
    starts = db.all(
        f"SELECT seq, at, user_id FROM audit_event WHERE action IN ({marks})"
        " ORDER BY seq DESC LIMIT 2",
        SESSION_STARTS,
    )
    if len(starts) < 2:
        return None
    current, previous = starts
    locked = db.one(
        "SELECT 1 FROM audit_event WHERE action = 'session.locked' AND seq > ? AND seq < ? LIMIT 1",
        (previous[0], current[0]),
    )
    if locked is not None:
        return None
    return InterruptedSession(int(previous[0]), int(current[0]), previous[1], previous[2])


def autosaves(db: Database, session: InterruptedSession, action: str) -> list[tuple[str, str]]:
    """(record id, last autosave) of each record ``action`` saved during ``session``."""
    rows = db.all(
        "SELECT entity_id, max(at) FROM audit_event WHERE seq > ? AND seq < ? AND action = ?"
        " GROUP BY entity_id ORDER BY max(at)",
        (session.after_seq, session.before_seq, action),
    )
    return [(r[0], r[1]) for r in rows]
