"""Repositories build records by column name, and each shared rule has one home."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from intake_app.core.errors import InvalidInput
from intake_app.core.records import (
    CaseStatus,
    CaseSummary,
    Decision,
    GivenBy,
    Person,
    PersonRole,
    Purpose,
    User,
)
from intake_app.core.services.views import case_view
from intake_app.core.vault.repositories import people
from intake_app.core.vault.repositories.rows import from_row


def test_from_row_fills_each_field_from_its_column_in_the_declared_type(coordinator):
    case_ref = coordinator.cases.open().reference
    coordinator.cases.add_person(
        case_ref, role=PersonRole.SURVIVOR, pseudonym="S-1", languages=["ar", "fr"], is_minor=True
    )
    row = coordinator.ctx.db.one("SELECT * FROM person WHERE pseudonym = 'S-1'")
    person = from_row(Person, row)
    assert person.role is PersonRole.SURVIVOR and person.languages == ("ar", "fr")
    assert person.is_minor is True and person.legal_name is None and person.pseudonym == "S-1"
    summary = from_row(CaseSummary, coordinator.ctx.case_row(case_ref))
    assert summary.status is CaseStatus.OPEN and summary.reference == case_ref


def test_from_row_fails_by_name_on_a_missing_column_or_an_unknown_field(coordinator):
    db = coordinator.ctx.db
    with pytest.raises(LookupError, match=r"User\.display_name"):
        from_row(User, db.one("SELECT id, username, role, created_at FROM app_user"))
    with pytest.raises(TypeError, match="no field nickname"):
        from_row(User, db.one("SELECT * FROM app_user"), nickname="x")
    user = from_row(User, db.one("SELECT * FROM app_user"), display_name="Given")
    assert user.display_name == "Given" and user.removed_at is None


@dataclass(frozen=True)
class _WithMapping:
    id: str
    data: dict[str, str]


def test_from_row_refuses_a_field_type_it_cannot_read_unless_given(coordinator):
    row = coordinator.ctx.db.one("SELECT 'a' AS id, '{}' AS data")
    with pytest.raises(TypeError, match=r"_WithMapping\.data"):
        from_row(_WithMapping, row)
    assert from_row(_WithMapping, row, data={}).data == {}


def test_the_survivor_is_the_first_person_recorded_in_that_role(coordinator):
    case_ref = coordinator.cases.open().reference
    assert coordinator.cases.survivor(case_ref) is None
    coordinator.cases.add_person(case_ref, role=PersonRole.WITNESS, pseudonym="W-1")
    first = coordinator.cases.add_person(case_ref, role=PersonRole.SURVIVOR, pseudonym="S-1")
    coordinator.cases.add_person(case_ref, role=PersonRole.SURVIVOR, pseudonym="S-2")
    case_id = coordinator.cases.get(case_ref).id
    assert (
        coordinator.cases.survivor(case_ref)
        == first
        == people.survivor(coordinator.ctx.db, case_id)
    )
    assert case_view(coordinator, case_ref)["survivor"]["pseudonym"] == "S-1"
    consent = coordinator.consent.record(
        case_ref, purpose=Purpose.CONTACT, decision=Decision.GRANTED, explained_language="en"
    )
    assert consent.person_id == first.id


def test_a_child_survivor_named_by_id_needs_a_guardian(coordinator):
    case_ref = coordinator.cases.open().reference
    coordinator.cases.add_person(case_ref, role=PersonRole.SURVIVOR, pseudonym="S-1")
    child = coordinator.cases.add_person(
        case_ref, role=PersonRole.SURVIVOR, pseudonym="S-2", is_minor=True
    )
    with pytest.raises(InvalidInput, match="guardian"):
        coordinator.consent.record(
            case_ref, purpose=Purpose.CONTACT, decision=Decision.GRANTED,
            explained_language="en", person_id=child.id,
        )  # fmt: skip
    consent = coordinator.consent.record(
        case_ref, purpose=Purpose.CONTACT, decision=Decision.GRANTED, explained_language="en",
        person_id=child.id, given_by=GivenBy.GUARDIAN, child_assent="given",
    )  # fmt: skip
    assert consent.person_id == child.id


def test_a_referral_form_password_follows_the_sealed_file_rule(coordinator):
    from support import build_export_case

    ref = build_export_case(coordinator)
    coordinator.consent.record(
        ref, purpose=Purpose.REFER_SERVICES, scope="provider:medical", decision=Decision.GRANTED,
        explained_language="ar",
    )  # fmt: skip
    referral = coordinator.referrals.for_case(ref)[0]
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        coordinator.referral_forms.form(referral.id, password=b"eleven char")
    events = coordinator.admin.events(limit=20)
    assert not [e for e in events if e.action == "referral.form_made"]
