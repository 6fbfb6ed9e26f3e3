"""The referral lifecycle (docs/design.md §7): draft → sent → accepted | declined → completed, or revoked."""

from __future__ import annotations

from dataclasses import dataclass

from intake_app.core.errors import InvalidTransition
from intake_app.core.i18n import _
from intake_app.core.records import Referral, ReferralStatus

S = ReferralStatus
TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    S.DRAFT: frozenset({S.SENT, S.REVOKED}),
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED, S.REVOKED}),
    S.ACCEPTED: frozenset({S.COMPLETED, S.REVOKED}),
    S.DECLINED: frozenset(),
    S.COMPLETED: frozenset(),
    S.REVOKED: frozenset(),
}
AWAITING_RESPONSE = frozenset({S.SENT})
OPEN = frozenset({S.DRAFT, S.SENT, S.ACCEPTED})


@dataclass(frozen=True)
class Override:
    """A referral sent without the survivor's referral consent, on a coordinator's authority."""

    referral_id: str
    by_user: str
    at: str
    justification: str


def check_transition(current: ReferralStatus, target: ReferralStatus) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(
            _("A referral that is {current} cannot become {target}.").format(
                current=current.value, target=target.value
            )
        )


def is_overdue(referral: Referral, now: str) -> bool:
    """Sent and not answered by its due date."""
    return (
        referral.status in AWAITING_RESPONSE
        and referral.due_at is not None
        and referral.due_at < now
    )
