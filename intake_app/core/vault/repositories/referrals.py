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


def overrides(db: Database, referral_ids: list[str]) -> dict[str, tuple[str, str]]:
    """For each referral sent on a coordinator's override: who sent it and when (the transition
    to ``sent`` records both), by referral id."""
    if not referral_ids:
        return {}
    marks = ",".join("?" * len(referral_ids))
    rows = db.all(
        "SELECT t.referral_id, t.by_user, t.at FROM referral_transition t"
        " JOIN referral r ON r.id = t.referral_id"
        f" WHERE t.to_status = 'sent' AND r.override_justification IS NOT NULL AND r.id IN ({marks})"
        " ORDER BY t.at",
        tuple(referral_ids),
    )
    return {r[0]: (r[1], r[2]) for r in rows}
