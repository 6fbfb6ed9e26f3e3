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
from intake_app.core.vault.repositories import followup as due

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
            items: list[due.DueItem],
            label: Callable[[str], str],
            overdue: Callable[[str | None], bool],
        ) -> list[FollowUpRow]:
            return [
                FollowUpRow(
                    case_id=item.case_id,
                    reference=item.reference,
                    item_id=item.item_id,
                    label=label(item.what),
                    due_at=item.date,
                    overdue=overdue(item.date),
                )
                for item in items
            ]

        def provider(kind: str) -> str:
            return PROVIDER_TYPES[ProviderType(kind)]

        def late(date: str | None) -> bool:
            return date is not None and date < now

        return Dashboard(
            now=now,
            referrals_overdue=rows(due.overdue_referrals(db, now), provider, lambda _date: True),
            referral_follow_ups=rows(due.referral_follow_ups(db, soon), provider, late),
            # an update's kind is stored as its message key; an officer's words stay as typed
            promises=rows(due.promises_due(db, soon), str, late),
            awaiting_acknowledgement=rows(
                due.awaiting_acknowledgement(db),
                lambda kind: UPDATE_KINDS[UpdateKind(kind)],
                lambda _date: False,
            ),
            not_contacted=rows(
                due.not_contacted(db, quiet_since), lambda _what: NO_CONTACT, lambda _date: True
            ),
        )
