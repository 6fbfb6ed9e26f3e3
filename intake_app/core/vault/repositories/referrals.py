"""The provider directory, referrals and their follow-up dates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from intake_app.core.records import Referral, ReferralStatus, ServiceProvider
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row


def provider(row: Any) -> ServiceProvider:
    return from_row(ServiceProvider, row)


def referral(row: Any) -> Referral:
    """Without its follow-up date (kept in its own table): see ``with_follow_up``."""
    return from_row(Referral, row)


def providers(db: Database) -> list[ServiceProvider]:
    return [provider(r) for r in db.all("SELECT * FROM service_provider ORDER BY organisation")]


def has_follow_up(db: Database, referral_id: str) -> bool:
    return db.one("SELECT 1 FROM referral_follow_up WHERE id = ?", (referral_id,)) is not None


def with_follow_up(db: Database, referrals: list[Referral]) -> list[Referral]:
    """The referrals, each with its follow-up date (one query for all of them)."""
    if not referrals:
        return referrals
    marks = ",".join("?" * len(referrals))
    dates = dict(
        db.all(
            f"SELECT id, follow_up_at FROM referral_follow_up WHERE id IN ({marks})",
            tuple(r.id for r in referrals),
        )
    )
    return [replace(r, follow_up_at=dates.get(r.id)) for r in referrals]


def in_status(db: Database, statuses: Iterable[ReferralStatus]) -> list[Referral]:
    """Every referral in one of ``statuses``, soonest due first."""
    values = tuple(s.value for s in statuses)
    rows = db.all(
        f"SELECT * FROM referral WHERE status IN ({','.join('?' * len(values))}) ORDER BY due_at",
        values,
    )
    return with_follow_up(db, [referral(r) for r in rows])
