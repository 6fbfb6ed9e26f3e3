"""Issue 16, "expected and missing": provider CSV errors that name the valid values, the
coordinator's referral override (who, when, why) and the refusal that says it exists, the case's
activity folded and filtered, and the drafts a crashed session leaves for the next one to restore."""

from __future__ import annotations

import pytest
from support import PASSPHRASE, unlock

from intake_app.core import i18n
from intake_app.core.activity import activity_rows, describe, kind_of
from intake_app.core.errors import ConsentRequired, InvalidInput
from intake_app.core.provider_csv import DirectoryRejected, parse_providers
from intake_app.core.records import ProviderType, ReferralStatus, Role
from intake_app.core.vault.audit import AuditEvent


# -- the provider directory ------------------------------------------------------------------
def test_an_unknown_provider_type_names_every_valid_one():
    with pytest.raises(DirectoryRejected) as refused:
        parse_providers(b"type,organisation\nlegal,Bar association\nmedical,Clinic\nclinic,X\n")
    problems = refused.value.problems
    assert len(problems) == 2 and problems[0].startswith("Row 2: unknown type 'legal' — use one")
    assert problems[1].startswith("Row 4: unknown type 'clinic'")
    assert all(t.value in problems[0] for t in ProviderType)
    assert "use one of: medical, psychosocial, legal_aid" in refused.value.message


def test_every_rejected_row_is_listed_not_only_the_first_ten():
    data = b"type,organisation\n" + b"nope,X\n" * 30
    with pytest.raises(DirectoryRejected) as refused:
        parse_providers(data)
    assert [p.split(":")[0] for p in refused.value.problems] == [f"Row {n}" for n in range(2, 32)]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04" + b"\x00" * 60, "not CSV"),  # an .xlsx or .ods spreadsheet
        (b"%PDF-1.7\n" + b"x" * 60, "not CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 60, "not CSV"),  # an old .xls
        (b"type,organisation\nmedical,X\x00Y\n", "not text"),
    ],
)
def test_a_file_that_is_not_csv_is_refused_in_one_sentence(data, words):
    with pytest.raises(InvalidInput) as refused:
        parse_providers(data)
    assert words in refused.value.message and refused.value.message.count(".") == 1
    assert not isinstance(refused.value, DirectoryRejected)


def test_the_csv_error_is_translated(coordinator):
    try:
        i18n.set_language("fr")
        with pytest.raises(DirectoryRejected) as refused:
            coordinator.referrals.import_providers(b"type,organisation\nlegal,X\n")
    finally:
        i18n.set_language("en")
    assert "Ligne 2" in refused.value.problems[0] and "legal_aid" in refused.value.problems[0]
    assert "unknown" not in refused.value.problems[0]


# -- referral overrides ------------------------------------------------------------------------
@pytest.fixture
def unconsented_referral(team, case_ref):
    provider = team.current.referrals.add_provider(type=ProviderType.SHELTER, organisation="Haven")
    return team.current.referrals.create(case_ref, provider_id=provider.id).id


def test_the_refusal_tells_an_advocate_a_coordinator_may_override(team, unconsented_referral):
    advocate = team.as_(Role.ADVOCATE)
    with pytest.raises(ConsentRequired) as refused:
        advocate.referrals.transition(unconsented_referral, ReferralStatus.SENT)
    assert "cannot be sent" in refused.value.message
    assert "An override exists: a coordinator may send it" in refused.value.message


def test_the_refusal_tells_a_coordinator_how_to_override(team, unconsented_referral):
    with pytest.raises(ConsentRequired) as refused:
        team.current.referrals.transition(unconsented_referral, ReferralStatus.SENT)
    assert "As a coordinator you may override this" in refused.value.message


def test_an_override_says_who_sent_it_when_and_why(team, case_ref, unconsented_referral):
    coordinator = team.current
    coordinator.referrals.transition(
        unconsented_referral, ReferralStatus.SENT, override_justification="Imminent danger"
    )
    found = coordinator.referrals.for_case(case_ref)
    overrides = coordinator.referrals.overrides(found)
    assert set(overrides) == {unconsented_referral}
    override = overrides[unconsented_referral]
    assert override.by_user == coordinator.ctx.actor.id and override.justification == (
        "Imminent danger"
    )
    assert found[0].updated_at[:19] <= override.at[:19] <= coordinator.ctx.now()[:19]


def test_a_referral_sent_with_consent_is_no_override(coordinator, case_ref):
    from intake_app.core.records import Decision, Purpose

    coordinator.consent.record(
        case_ref, purpose=Purpose.REFER_SERVICES, scope="provider:medical",
        decision=Decision.GRANTED, explained_language="ar",
    )  # fmt: skip
    provider = coordinator.referrals.add_provider(type=ProviderType.MEDICAL, organisation="C")
    referral = coordinator.referrals.create(case_ref, provider_id=provider.id)
    coordinator.referrals.transition(referral.id, ReferralStatus.SENT)
    assert coordinator.referrals.overrides(coordinator.referrals.for_case(case_ref)) == {}


# -- activity ------------------------------------------------------------------------------------
def _event(seq, at, action, user="u1", entity="s1"):
    return AuditEvent(seq, at, user, action, "statement", entity, {}, "", "")


ACTIONS = {"statement.viewed": "testimony read", "statement.sealed": "statement sealed"}


def test_repeated_views_fold_into_one_row_per_user_kind_and_day():
    from datetime import date

    events = [_event(20, "2026-12-02T10:00:00.000000Z", "statement.sealed")]
    events += [
        _event(
            19 - n, f"2026-12-02T09:{50 - n:02d}:00.000000Z", "statement.viewed", entity=f"s{n % 3}"
        )
        for n in range(12)
    ]
    events += [_event(5, "2026-12-02T08:00:00.000000Z", "statement.viewed", user="u2")]
    events += [_event(4, "2026-12-01T08:00:00.000000Z", "statement.viewed")]
    events += [_event(3, "2026-12-01T07:00:00.000000Z", "statement.viewed")]
    rows = activity_rows(events)
    assert [(r.action, r.user_id, r.count) for r in rows] == [
        ("statement.sealed", "u1", 1),
        ("statement.viewed", "u1", 12),
        ("statement.viewed", "u2", 1),
        ("statement.viewed", "u1", 2),
    ]
    assert (
        rows[1].at == "2026-12-02T09:50:00.000000Z"
        and rows[1].first_at == "2026-12-02T09:39:00.000000Z"
    )
    today = date(2026, 12, 2)
    assert describe(rows[1], ACTIONS, today) == "testimony read 12 times today"
    assert describe(rows[2], ACTIONS, today) == "testimony read"
    assert describe(rows[3], ACTIONS, today) == "testimony read 2 times on Dec 1, 2026"
    assert [r.action for r in activity_rows(events, kind="testimony")] == [r.action for r in rows]
    assert activity_rows(events, kind="consent") == []


def test_the_folded_count_is_translated_with_its_plural_forms():
    from datetime import date

    events = [
        _event(n, "2026-12-02T09:00:00.000000Z", "statement.viewed") for n in range(11, 0, -1)
    ]
    (row,) = activity_rows(events)
    try:
        i18n.set_language("ar")
        text = describe(row, ACTIONS, date(2026, 12, 2))
        i18n.set_language("fr")
        french = describe(row, ACTIONS, date(2026, 12, 2))
    finally:
        i18n.set_language("en")
    assert "11" in text and "اليوم" in text and "today" not in text
    assert french.endswith("11 fois aujourd’hui") or "11 fois aujourd" in french


def test_every_audited_action_has_a_kind():
    from intake_app.ui.case_view import ACTIONS as SHOWN

    others = {a for a in SHOWN if kind_of(a) == "other"}
    assert others == set(), others


# -- drafts restored after a crash ---------------------------------------------------------------
def _crash(services):
    """The app stops without locking: no session.locked event (the vault file is simply closed)."""
    services.ctx.vault.close()


def test_a_draft_autosaved_before_a_crash_is_reported_on_the_next_opening(
    vault_dir, options, coordinator, case_ref
):
    statement = coordinator.statements.create(case_ref, title="First account", language="ar")
    coordinator.statements.save_draft(statement.current.id, text="one two three", settle=False)
    options.clock.advance(seconds=30)
    saved_at = coordinator.statements.save_draft(
        statement.current.id, text="one two three four five"
    )
    _crash(coordinator)
    options.clock.advance(minutes=5)
    again = unlock(vault_dir, options)
    try:
        (draft,) = again.statements.recovered()
        assert (draft.kind, draft.record_id, draft.case_reference, draft.title) == (
            "testimony", statement.current.id, case_ref, "First account",
        )  # fmt: skip
        assert draft.size == 5 and draft.version == 1 and draft.autosaved_at == saved_at
        assert draft.session_started_at < saved_at
    finally:
        again.lock()
    after_a_clean_lock = unlock(vault_dir, options)
    try:
        assert after_a_clean_lock.statements.recovered() == []
    finally:
        after_a_clean_lock.lock()


def test_nothing_is_reported_after_a_lock_or_to_another_user(team, case_ref):
    coordinator = team.current
    statement = coordinator.statements.create(case_ref, title="T", language="ar")
    coordinator.statements.save_draft(statement.current.id, text="words")
    advocate = team.as_(Role.ADVOCATE)  # the coordinator locked first
    assert advocate.statements.recovered() == []
    advocate.statements.save_draft(statement.current.id, text="more words")
    _crash(advocate)
    coordinator = unlock(team.vault_dir, team.options, "coord", PASSPHRASE)
    team.current = coordinator
    assert coordinator.statements.recovered() == []  # the advocate's session: not theirs


def test_a_sealed_draft_is_not_reported(vault_dir, options, coordinator, case_ref):
    from intake_app.core.records import Readback

    statement = coordinator.statements.create(case_ref, title="T", language="ar")
    coordinator.statements.save_draft(statement.current.id, text="words")
    coordinator.statements.seal(statement.current.id, readback=Readback.CONFIRMED)
    _crash(coordinator)
    again = unlock(vault_dir, options)
    try:
        assert again.statements.recovered() == []
    finally:
        again.lock()
