"""The consent ledger's rules (docs/design.md §5): which decision stands, for which purpose and scope.

Scopes are strings: ``any``; ``category:<investigators|prosecutors|service_providers>``;
``recipient:<id>``; ``provider:<type>``; ``channel:<channel>``. The most specific scope with a
decision decides: a survivor may refuse investigators in general and still allow one named
prosecutor. Pure functions: no storage, no clock of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from intake_app.core.i18n import N_, _
from intake_app.core.records import Consent, Decision, Purpose

ANY = "any"
RECIPIENT_CATEGORIES = ("investigators", "prosecutors", "service_providers")


class ConsentState(StrEnum):
    LIVE = "live"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    NOT_ASKED = "not_asked"


_REASONS = {
    ConsentState.LIVE: N_("consent given"),
    ConsentState.REFUSED: N_("the survivor refused"),
    ConsentState.WITHDRAWN: N_("consent was withdrawn"),
    ConsentState.EXPIRED: N_("consent has expired"),
    ConsentState.NOT_ASKED: N_("consent was not asked"),
}


@dataclass(frozen=True)
class LedgerStatus:
    purpose: Purpose
    scope: str
    state: ConsentState
    decision: Consent | None

    @property
    def live(self) -> bool:
        return self.state is ConsentState.LIVE

    @property
    def reason(self) -> str:
        return _(_REASONS[self.state])


def valid_scope(scope: str) -> bool:
    if scope == ANY:
        return True
    kind, _sep, value = scope.partition(":")
    if not value:
        return False
    if kind == "category":
        return value in RECIPIENT_CATEGORIES
    return kind in ("recipient", "provider", "channel")


def state_of(consent: Consent, at: str) -> ConsentState:
    if consent.withdrawn_at is not None and consent.withdrawn_at <= at:
        return ConsentState.WITHDRAWN
    if consent.decision is Decision.REFUSED:
        return ConsentState.REFUSED
    if consent.decision is Decision.NOT_ASKED:
        return ConsentState.NOT_ASKED
    if consent.expires_at is not None and consent.expires_at <= at:
        return ConsentState.EXPIRED
    return ConsentState.LIVE


def status(
    ledger: Iterable[Consent], purpose: Purpose, scopes: Sequence[str], at: str
) -> LedgerStatus:
    """The standing decision for ``purpose`` at time ``at``; ``scopes`` most specific first.

    ``any`` is always considered last. Within one scope the latest recorded decision stands.
    """
    ordered = [*dict.fromkeys([*scopes, ANY])]
    relevant = [c for c in ledger if c.purpose is purpose and c.recorded_at <= at]
    for scope in ordered:
        in_scope = [c for c in relevant if c.scope == scope]
        if in_scope:
            latest = max(in_scope, key=lambda c: (c.recorded_at, c.id))
            return LedgerStatus(purpose, scope, state_of(latest, at), latest)
    return LedgerStatus(purpose, ordered[0], ConsentState.NOT_ASKED, None)


def of_person(ledger: Iterable[Consent], person_id: str, primary_id: str | None) -> list[Consent]:
    """The decisions that are ``person_id``'s own (a guardian's on behalf of a child are recorded
    on the child). A decision that names nobody (recorded before decisions named their person,
    and coordinators' overrides) is the case's primary survivor's (docs/design.md §5)."""
    return [c for c in ledger if (c.person_id or primary_id) == person_id]


def recipient_scopes(recipient_id: str, category: str | None) -> list[str]:
    scopes = [f"recipient:{recipient_id}"]
    if category:
        scopes.append(f"category:{category}")
    return scopes
