"""The consent ledger: pure rules and the service (docs/design.md §5)."""

from __future__ import annotations

import pytest
from support import ledger_entry

from intake_app.core import consent as rules
from intake_app.core.errors import InvalidInput, PermissionDenied
from intake_app.core.records import Basis, Consent, Decision, GivenBy, PersonRole, Purpose, Role
from intake_app.core.vault.db import DatabaseError

P = Purpose.SHARE_INVESTIGATORS


def consent(
    scope="any",
    decision=Decision.GRANTED,
    at="2026-01-01T00:00:00.000000Z",
    expires=None,
    withdrawn=None,
    purpose=P,
    ident="c",
) -> Consent:
    return ledger_entry(ident, purpose, scope, decision, at, expires, withdrawn)


NOW = "2026-06-01T00:00:00.000000Z"


@pytest.mark.parametrize(
    ("ledger", "scopes", "state"),
    [
        ([], ["category:investigators"], rules.ConsentState.NOT_ASKED),
        ([consent()], ["category:investigators"], rules.ConsentState.LIVE),
        ([consent(decision=Decision.REFUSED)], [], rules.ConsentState.REFUSED),
        ([consent(decision=Decision.NOT_ASKED)], [], rules.ConsentState.NOT_ASKED),
        ([consent(expires="2026-05-01T00:00:00.000000Z")], [], rules.ConsentState.EXPIRED),
        ([consent(expires="2026-07-01T00:00:00.000000Z")], [], rules.ConsentState.LIVE),
        ([consent(withdrawn="2026-05-01T00:00:00.000000Z")], [], rules.ConsentState.WITHDRAWN),
        (
            [consent(withdrawn="2026-07-01T00:00:00.000000Z")],
            [],
            rules.ConsentState.LIVE,
        ),  # not yet at NOW
        ([consent(purpose=Purpose.STATISTICS)], [], rules.ConsentState.NOT_ASKED),  # other purpose
        (
            [consent(at="2026-07-01T00:00:00.000000Z")],
            [],
            rules.ConsentState.NOT_ASKED,
        ),  # recorded later
        # The latest decision in a scope stands.
        (
            [
                consent(ident="a"),
                consent(decision=Decision.REFUSED, at="2026-02-01T00:00:00.000000Z", ident="b"),
            ],
            [],
            rules.ConsentState.REFUSED,
        ),
        (
            [
                consent(decision=Decision.REFUSED, ident="a"),
                consent(at="2026-02-01T00:00:00.000000Z", ident="b"),
            ],
            [],
            rules.ConsentState.LIVE,
        ),
        # The most specific scope with a decision decides.
        (
            [
                consent(decision=Decision.REFUSED, scope="category:investigators"),
                consent(scope="recipient:r1"),
            ],
            ["recipient:r1", "category:investigators"],
            rules.ConsentState.LIVE,
        ),
        (
            [
                consent(decision=Decision.REFUSED, scope="category:investigators"),
                consent(scope="recipient:r1"),
            ],
            ["recipient:r2", "category:investigators"],
            rules.ConsentState.REFUSED,
        ),
        (
            [
                consent(scope="any"),
                consent(decision=Decision.REFUSED, scope="category:investigators"),
            ],
            ["category:investigators"],
            rules.ConsentState.REFUSED,
        ),
        (
            [consent(scope="category:prosecutors")],
            ["category:investigators"],
            rules.ConsentState.NOT_ASKED,
        ),
    ],
)
def test_ledger_status(ledger, scopes, state):
    assert rules.status(ledger, P, scopes, NOW).state is state


def test_scope_validation():
    for good in (
        "any",
        "category:investigators",
        "recipient:abc",
        "provider:medical",
        "channel:phone",
    ):
        assert rules.valid_scope(good)
    for bad in ("", "category:journalists", "recipient:", "everyone", "category"):
        assert not rules.valid_scope(bad)


def test_record_withdraw_and_list_earlier_exports(coordinator, case_ref):
    granted = coordinator.consent.record(
        case_ref,
        purpose=P,
        scope="category:investigators",
        decision=Decision.GRANTED,
        explained_language="ar",
        interpreter="I. A.",
    )
    assert coordinator.consent.status(case_ref, P, ["category:investigators"]).live
    with pytest.raises(InvalidInput):
        coordinator.consent.withdraw(granted.id, "  ")
    withdrawn, exports = coordinator.consent.withdraw(granted.id, "She fears for her family.")
    assert withdrawn.withdrawn_at and exports == []
    status = coordinator.consent.status(case_ref, P, ["category:investigators"])
    assert status.state is rules.ConsentState.WITHDRAWN and status.reason == "consent was withdrawn"
    with pytest.raises(InvalidInput):
        coordinator.consent.withdraw(granted.id, "again")
    assert [e.action for e in coordinator.admin.events(limit=2)] == [
        "consent.withdrawn",
        "consent.recorded",
    ]


def test_decisions_are_never_edited_even_in_sql(coordinator, case_ref):
    granted = coordinator.consent.record(
        case_ref, purpose=P, decision=Decision.GRANTED, explained_language="ar"
    )
    with pytest.raises(DatabaseError, match="never edited"):
        coordinator.ctx.db.conn.execute(
            "UPDATE consent SET decision = 'refused' WHERE id = ?", (granted.id,)
        )


def test_explanation_language_is_required(coordinator, case_ref):
    with pytest.raises(InvalidInput):
        coordinator.consent.record(case_ref, purpose=P, decision=Decision.GRANTED)
    with pytest.raises(InvalidInput):
        coordinator.consent.record(
            case_ref,
            purpose=P,
            scope="category:journalists",
            decision=Decision.GRANTED,
            explained_language="ar",
        )


def test_children_need_a_guardian_and_their_own_assent(coordinator):
    reference = coordinator.cases.open().reference
    coordinator.cases.add_person(
        reference, role=PersonRole.SURVIVOR, pseudonym="Star 2", is_minor=True
    )
    kwargs = dict(purpose=P, decision=Decision.GRANTED, explained_language="uk")
    with pytest.raises(InvalidInput):
        coordinator.consent.record(reference, given_by=GivenBy.SURVIVOR, **kwargs)
    with pytest.raises(InvalidInput):
        coordinator.consent.record(reference, given_by=GivenBy.GUARDIAN, **kwargs)
    with pytest.raises(InvalidInput):
        coordinator.consent.record(
            reference, given_by=GivenBy.GUARDIAN, child_assent="refused", **kwargs
        )
    ok = coordinator.consent.record(
        reference, given_by=GivenBy.GUARDIAN, child_assent="given", **kwargs
    )
    assert ok.child_assent == "given"


def test_override_by_another_legal_basis_is_coordinator_only_and_justified(team, case_ref):
    advocate = team.as_(Role.ADVOCATE)
    with pytest.raises(PermissionDenied):
        advocate.consent.override(case_ref, purpose=P, scope="any", justification="x" * 40)
    coordinator = team.as_(Role.COORDINATOR)
    with pytest.raises(InvalidInput):
        coordinator.consent.override(case_ref, purpose=P, scope="any", justification="because")
    override = coordinator.consent.override(
        case_ref,
        purpose=P,
        scope="category:prosecutors",
        justification="Court order 12/2026 compels disclosure to the prosecutor's office.",
    )
    assert (
        override.basis is Basis.OTHER_LEGAL_BASIS and override.override_by == coordinator.actor.id
    )
    assert coordinator.consent.status(case_ref, P, ["category:prosecutors"]).live
    assert coordinator.admin.events(limit=1)[0].action == "consent.override"
