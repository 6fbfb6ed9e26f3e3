"""The follow-up dashboard (docs/design.md §7): every promise to a survivor that is due, across cases.

Overdue referrals and referral follow-ups, promised news due soon or late, updates sent but not
yet acknowledged, and survivors nobody has reached for a long time. Read-only; one query each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from intake_app.core.clock import iso
from intake_app.core.i18n import N_
from intake_app.core.labels import PROVIDER_TYPES, UPDATE_KINDS
from intake_app.core.permissions import Permission
from intake_app.core.records import ProviderType, UpdateKind
from intake_app.core.services.base import ServiceContext
from intake_app.core.vault.db import Database

SOON_DAYS = 7
NO_CONTACT = N_("no news given to the survivor for a long time")
QUIET_DAYS = 60


@dataclass(frozen=True)
class FollowUpRow:
    case_id: str
    reference: str
    item_id: str
    label: str  # a message key, or the officer's own words (translate where shown either way)
    due_at: str | None
    overdue: bool


@dataclass(frozen=True)
class Dashboard:
    now: str
    referrals_overdue: list[FollowUpRow] = field(default_factory=list)
    referral_follow_ups: list[FollowUpRow] = field(default_factory=list)
    promises: list[FollowUpRow] = field(default_factory=list)
    awaiting_acknowledgement: list[FollowUpRow] = field(default_factory=list)
    not_contacted: list[FollowUpRow] = field(default_factory=list)

    @property
    def total_overdue(self) -> int:
        return sum(
            r.overdue
            for rows in (
                self.referrals_overdue,
                self.referral_follow_ups,
                self.promises,
                self.not_contacted,
            )
            for r in rows
        )


class FollowUpService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def dashboard(
        self,
        *,
        soon_days: int = SOON_DAYS,
        quiet_days: int = QUIET_DAYS,
        db: Database | None = None,
    ) -> Dashboard:
        """``db`` may be a reader connection, so a worker can build it off the GUI thread."""
        ctx = self._ctx
        ctx.require(Permission.CONTACT_PLAN_READ)
        ctx.require(Permission.REFERRAL_READ)
        moment = ctx.clock.now()
        now, soon = iso(moment), iso(moment + timedelta(days=soon_days))
        quiet_since = iso(moment - timedelta(days=quiet_days))
        db = db or ctx.db

        def rows(
            sql: str,
            params: tuple[str, ...],
            label: Callable[[str], str],
            overdue: Callable[[str], bool],
        ) -> list[FollowUpRow]:
            """Each query selects item id, case id, reference, what (to label) and the date."""
            return [
                FollowUpRow(case_id, reference, item_id, label(what), date, overdue(date))
                for item_id, case_id, reference, what, date in db.all(sql, params)
            ]

        def provider(kind: str) -> str:
            return PROVIDER_TYPES[ProviderType(kind)]

        def late(date: str) -> bool:
            return date < now

        return Dashboard(
            now,
            referrals_overdue=rows(
                "SELECT r.id, r.case_id, c.reference, r.service_type, r.due_at FROM referral r"
                " JOIN case_file c ON c.id = r.case_id WHERE r.status = 'sent'"
                " AND r.due_at IS NOT NULL AND r.due_at < ? ORDER BY r.due_at",
                (now,), provider, lambda _date: True,
            ),
            referral_follow_ups=rows(
                "SELECT r.id, r.case_id, c.reference, r.service_type, f.follow_up_at"
                " FROM referral r JOIN referral_follow_up f ON f.id = r.id"
                " JOIN case_file c ON c.id = r.case_id"
                " WHERE r.status IN ('draft', 'sent', 'accepted') AND f.follow_up_at <= ?"
                " ORDER BY f.follow_up_at",
                (soon,), provider, late,
            ),
            # an update's kind is stored as its message key; an officer's words stay as typed
            promises=rows(
                "SELECT p.id, p.case_id, c.reference, p.what, p.due_at FROM promise p"
                " JOIN case_file c ON c.id = p.case_id WHERE p.kept_at IS NULL AND p.due_at <= ?"
                " ORDER BY p.due_at",
                (soon,), str, late,
            ),
            awaiting_acknowledgement=rows(
                "SELECT u.id, u.case_id, c.reference, u.kind, u.updated_at FROM liaison_update u"
                " JOIN case_file c ON c.id = u.case_id WHERE u.status IN ('sent', 'delivered')"
                " ORDER BY u.updated_at",
                (), lambda kind: UPDATE_KINDS[UpdateKind(kind)], lambda _date: False,
            ),
            not_contacted=rows(
                "SELECT id, id, reference, '', last_contact FROM ("
                "  SELECT c.id, c.reference, c.created_at, (SELECT max(u.updated_at)"
                # "+u.status": through the case's own index, never the status index (which made
                # this a scan of every delivered update per case: minutes at 62,000 cases)
                "   FROM liaison_update u WHERE u.case_id = c.id"
                "   AND +u.status IN ('delivered', 'acknowledged')) AS last_contact"
                "  FROM case_file c WHERE c.status IN ('open', 'active') AND EXISTS ("
                "   SELECT 1 FROM person p WHERE p.case_id = c.id AND p.role = 'survivor'))"
                " WHERE coalesce(last_contact, created_at) < ? ORDER BY last_contact, created_at",
                (quiet_since,), lambda _what: NO_CONTACT, lambda _date: True,
            ),
        )  # fmt: skip
