"""The export policy: where survivors are protected, so every combination is checked."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import ledger_entry

from intake_app.core.export.policy import OVERRIDDEN, Recipient, Section, decide
from intake_app.core.forms.spec import Sensitivity
from intake_app.core.records import Basis, Consent, Decision, GivenBy, Purpose

NOW = "2026-06-01T00:00:00.000000Z"
BEFORE, LATER = "2026-01-01T00:00:00.000000Z", "2027-01-01T00:00:00.000000Z"
RECIPIENT = Recipient("r1", "investigators")
_counter = itertools.count()


def entry(
    purpose, scope="any", decision=Decision.GRANTED, *, withdrawn=None, expires=None, at=BEFORE
):
    return ledger_entry(f"c{next(_counter)}", purpose, scope, decision, at, expires, withdrawn)


# Each option: (ledger entries, whether the consent is live for RECIPIENT at NOW)
SHARE = {
    "none": ([], False),
    "granted to anyone": ([entry(Purpose.SHARE_INVESTIGATORS)], True),
    "granted to investigators": (
        [entry(Purpose.SHARE_INVESTIGATORS, "category:investigators")],
        True,
    ),
    "granted to this recipient": ([entry(Purpose.SHARE_INVESTIGATORS, "recipient:r1")], True),
    "granted to another recipient": ([entry(Purpose.SHARE_INVESTIGATORS, "recipient:r2")], False),
    "granted to prosecutors only": (
        [entry(Purpose.SHARE_INVESTIGATORS, "category:prosecutors")],
        False,
    ),
    "refused investigators, granted this one": (
        [
            entry(Purpose.SHARE_INVESTIGATORS, "category:investigators", Decision.REFUSED),
            entry(Purpose.SHARE_INVESTIGATORS, "recipient:r1"),
        ],
        True,
    ),
    "granted anyone, refused investigators": (
        [
            entry(Purpose.SHARE_INVESTIGATORS),
            entry(Purpose.SHARE_INVESTIGATORS, "category:investigators", Decision.REFUSED),
        ],
        False,
    ),
    "withdrawn": ([entry(Purpose.SHARE_INVESTIGATORS, withdrawn=BEFORE)], False),
    "withdrawn later": ([entry(Purpose.SHARE_INVESTIGATORS, withdrawn=LATER)], True),
    "expired": ([entry(Purpose.SHARE_INVESTIGATORS, expires=BEFORE)], False),
    "not asked": ([entry(Purpose.SHARE_INVESTIGATORS, decision=Decision.NOT_ASKED)], False),
    "recorded after the export time": ([entry(Purpose.SHARE_INVESTIGATORS, at=LATER)], False),
}
IDENTITY = {
    "none": ([], False),
    "granted": ([entry(Purpose.DISCLOSE_IDENTITY)], True),
    "granted to this recipient": ([entry(Purpose.DISCLOSE_IDENTITY, "recipient:r1")], True),
    "granted to another": ([entry(Purpose.DISCLOSE_IDENTITY, "recipient:r2")], False),
    "refused": ([entry(Purpose.DISCLOSE_IDENTITY, decision=Decision.REFUSED)], False),
    "withdrawn": ([entry(Purpose.DISCLOSE_IDENTITY, withdrawn=BEFORE)], False),
}
RECORDING = {
    "granted": ([entry(Purpose.RECORD_TESTIMONY)], True),
    "withdrawn": ([entry(Purpose.RECORD_TESTIMONY, withdrawn=BEFORE)], False),
    "refused": ([entry(Purpose.RECORD_TESTIMONY, decision=Decision.REFUSED)], False),
    "never asked": ([], False),
}
MEDIA = {"granted": ([entry(Purpose.RECORD_MEDIA)], True), "none": ([], False)}


@pytest.mark.parametrize(
    ("share", "identity", "recording", "media"),
    list(itertools.product(SHARE, IDENTITY, RECORDING, MEDIA)),
)
def test_every_combination_of_the_ledger(share, identity, recording, media):
    ledger = SHARE[share][0] + IDENTITY[identity][0] + RECORDING[recording][0] + MEDIA[media][0]
    policy = decide(ledger, RECIPIENT, NOW)
    can_share, disclose = SHARE[share][1], IDENTITY[identity][1]
    recorded, photos = RECORDING[recording][1], MEDIA[media][1]
    assert policy.allowed is can_share
    if not can_share:
        assert not any(policy.includes(s) for s in Section) and not any(
            policy.includes(c) for c in Sensitivity
        )
        assert policy.reason_key.startswith("withheld")
        return
    assert policy.includes(Section.IDENTITY) is disclose
    assert policy.includes(Sensitivity.IDENTIFYING) is disclose
    assert policy.includes(Sensitivity.CONTACT) is disclose  # contact details identify too
    assert (
        policy.includes(Section.STATEMENTS) is recorded
        and policy.includes(Sensitivity.NARRATIVE) is recorded
    )
    assert policy.includes(Section.MEDIA) is photos
    assert not policy.includes(Sensitivity.UNCLASSIFIED)
    for always in (
        Section.CONSENT_SUMMARY,
        Section.CHAIN_OF_CUSTODY,
        Sensitivity.INCIDENT,
        Sensitivity.ADMIN,
    ):
        assert policy.includes(always)
    withheld = policy.withheld()
    assert ("identity" in withheld) is (not disclose) and "class:unclassified" in withheld
    assert all(reason.startswith("withheld") for reason in withheld.values())


def test_the_reasons_read_as_sentences():
    policy = decide(
        [entry(Purpose.SHARE_INVESTIGATORS), entry(Purpose.RECORD_TESTIMONY)], RECIPIENT, NOW
    )
    assert (
        policy.classes[Sensitivity.IDENTIFYING].reason
        == "withheld: no consent to disclose the survivor's identity; the pseudonym is used"
    )
    refused = decide([], RECIPIENT, NOW)
    assert refused.reason == "withheld: no consent to share with this recipient"


def test_a_withdrawal_takes_effect_from_its_moment():
    ledger = [
        entry(Purpose.SHARE_INVESTIGATORS, withdrawn="2026-03-01T00:00:00.000000Z"),
        entry(Purpose.RECORD_TESTIMONY),
    ]
    assert decide(ledger, RECIPIENT, "2026-02-28T23:59:59.000000Z").allowed
    assert not decide(ledger, RECIPIENT, "2026-03-01T00:00:00.000000Z").allowed


def test_another_legal_basis_stands_in_for_consent_to_share():
    override = Consent(
        "o",
        "case",
        None,
        Purpose.SHARE_INVESTIGATORS,
        "category:investigators",
        Decision.GRANTED,
        Basis.OTHER_LEGAL_BASIS,
        "Court order 12/2026",
        "coord",
        GivenBy.NOT_APPLICABLE,
        None,
        None,
        None,
        None,
        "coord",
        BEFORE,
        None,
        None,
        None,
        None,
    )
    policy = decide([override, entry(Purpose.RECORD_TESTIMONY)], RECIPIENT, NOW)
    assert policy.allowed and not policy.includes(
        Section.IDENTITY
    )  # identity still needs its own consent


purposes = st.sampled_from(list(Purpose))
scopes = st.sampled_from(
    ["any", "category:investigators", "category:prosecutors", "recipient:r1", "recipient:r2"]
)
moments = st.sampled_from([BEFORE, NOW, LATER, None])


@st.composite
def ledgers(draw):
    return [
        entry(
            draw(purposes),
            draw(scopes),
            draw(st.sampled_from(list(Decision))),
            withdrawn=draw(moments),
            expires=draw(moments),
            at=draw(st.sampled_from([BEFORE, LATER])),
        )
        for _ in range(draw(st.integers(0, 8)))
    ]


@given(ledgers())
@settings(max_examples=400)
def test_invariants_hold_for_any_ledger(ledger):
    from intake_app.core import consent as rules

    policy = decide(ledger, RECIPIENT, NOW)
    scopes_for = rules.recipient_scopes("r1", "investigators")
    assert policy.allowed is rules.status(ledger, Purpose.SHARE_INVESTIGATORS, scopes_for, NOW).live
    assert policy.includes(Section.IDENTITY) is (
        policy.allowed and rules.status(ledger, Purpose.DISCLOSE_IDENTITY, scopes_for, NOW).live
    )
    assert not policy.includes(Sensitivity.UNCLASSIFIED)
    assert all(reason for reason in policy.withheld().values())
    if not policy.allowed:
        assert not any(policy.includes(s) for s in Section)


def test_an_export_override_stands_in_for_sharing_only():
    """A coordinator's override opens the export, never identity, testimony or media."""
    ledger = [entry(Purpose.SHARE_INVESTIGATORS, decision=Decision.REFUSED)]
    assert not decide(ledger, RECIPIENT, NOW).allowed
    policy = decide(ledger, RECIPIENT, NOW, override=True)
    assert policy.allowed and policy.reason_key == OVERRIDDEN
    assert not policy.includes(Section.IDENTITY) and not policy.includes(Section.STATEMENTS)
    assert not policy.includes(Section.MEDIA) and not policy.includes(Sensitivity.IDENTIFYING)
    assert policy.includes(Section.CHAIN_OF_CUSTODY) and policy.includes(Sensitivity.INCIDENT)


def test_a_recipient_without_category_is_covered_only_by_named_or_general_consent():
    named_only = Recipient("r1", None)
    by_category = [entry(Purpose.SHARE_INVESTIGATORS, "category:investigators")]
    assert not decide(by_category, named_only, NOW).allowed
    assert decide([entry(Purpose.SHARE_INVESTIGATORS, "any")], named_only, NOW).allowed
    assert decide([entry(Purpose.SHARE_INVESTIGATORS, "recipient:r1")], named_only, NOW).allowed
