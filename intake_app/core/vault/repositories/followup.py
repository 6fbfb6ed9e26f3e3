"""What is due across cases, for the follow-up dashboard: one query per list."""

from __future__ import annotations

from dataclasses import dataclass

from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row


@dataclass(frozen=True)
class DueItem:
    item_id: str
    case_id: str
    reference: str
    what: str  # a provider type, an update kind, a promise's own words ('' when nothing is)
    date: str | None


def _items(db: Database, sql: str, params: tuple[str, ...] = ()) -> list[DueItem]:
    return [from_row(DueItem, r) for r in db.all(sql, params)]


def overdue_referrals(db: Database, now: str) -> list[DueItem]:
    """Sent referrals whose answer is late."""
    return _items(
        db,
        "SELECT r.id AS item_id, r.case_id, c.reference, r.service_type AS what, r.due_at AS date"
        " FROM referral r JOIN case_file c ON c.id = r.case_id WHERE r.status = 'sent'"
        " AND r.due_at IS NOT NULL AND r.due_at < ? ORDER BY r.due_at",
        (now,),
    )


def referral_follow_ups(db: Database, until: str) -> list[DueItem]:
    """Open referrals someone must check on by ``until``."""
    return _items(
        db,
        "SELECT r.id AS item_id, r.case_id, c.reference, r.service_type AS what,"
        " f.follow_up_at AS date FROM referral r JOIN referral_follow_up f ON f.id = r.id"
        " JOIN case_file c ON c.id = r.case_id"
        " WHERE r.status IN ('draft', 'sent', 'accepted') AND f.follow_up_at <= ?"
        " ORDER BY f.follow_up_at",
        (until,),
    )


def promises_due(db: Database, until: str) -> list[DueItem]:
    """News promised by ``until`` and not yet given."""
    return _items(
        db,
        "SELECT p.id AS item_id, p.case_id, c.reference, p.what, p.due_at AS date FROM promise p"
        " JOIN case_file c ON c.id = p.case_id WHERE p.kept_at IS NULL AND p.due_at <= ?"
        " ORDER BY p.due_at",
        (until,),
    )


def awaiting_acknowledgement(db: Database) -> list[DueItem]:
    """Updates sent or delivered that the survivor has not acknowledged."""
    return _items(
        db,
        "SELECT u.id AS item_id, u.case_id, c.reference, u.kind AS what, u.updated_at AS date"
        " FROM liaison_update u JOIN case_file c ON c.id = u.case_id"
        " WHERE u.status IN ('sent', 'delivered') ORDER BY u.updated_at",
    )


def not_contacted(db: Database, since: str) -> list[DueItem]:
    """Open cases with a survivor who has had no news delivered since ``since`` (or ever, for a
    case opened before then)."""
    return _items(
        db,
        "SELECT id AS item_id, id AS case_id, reference, '' AS what, last_contact AS date FROM ("
        "  SELECT c.id, c.reference, c.created_at, (SELECT max(u.updated_at)"
        # "+u.status": through the case's own index, never the status index (which made this a
        # scan of every delivered update per case: minutes at 62,000 cases)
        "   FROM liaison_update u WHERE u.case_id = c.id"
        "   AND +u.status IN ('delivered', 'acknowledged')) AS last_contact"
        "  FROM case_file c WHERE c.status IN ('open', 'active') AND EXISTS ("
        "   SELECT 1 FROM person p WHERE p.case_id = c.id AND p.role = 'survivor'))"
        " WHERE coalesce(last_contact, created_at) < ? ORDER BY last_contact, created_at",
        (since,),
    )
