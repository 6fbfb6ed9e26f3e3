"""Every person of the case appears in an export, and each person's identity leaves only by their
own decision (issue 16 items 5 and 8)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from support import (
    LEGAL_NAME,
    FakeClock,
    build_export_case,
    cheap_options,
    create_vault,
    recipient_key_and_certificate,
)

from intake_app.core.export.policy import PERSON_INCLUDED, PERSON_WITHHELD
from intake_app.core.records import Decision, GivenBy, PersonRole, Purpose
from intake_app.core.services.exports import ExportRequest

CHILD = "Mariam Child-Name"
GUARDIAN = "Huda Guardian-Name"


@pytest.fixture
def world(tmp_path):
    options = cheap_options(clock=FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)))
    services, _key = create_vault(tmp_path / "vault", options)
    ref = build_export_case(services, identity=True)
    _key_der, cert = recipient_key_and_certificate()
    recipient = services.recipients.add(
        name="Unit 3", organisation="Office of the Prosecutor", role="investigators",
        language="en", certificate=cert.public_bytes(serialization.Encoding.PEM),
    )  # fmt: skip
    child = services.cases.add_person(
        ref, role=PersonRole.SURVIVOR, pseudonym="Survivor C-2", legal_name=CHILD, is_minor=True
    )
    guardian = services.cases.add_person(
        ref, role=PersonRole.GUARDIAN, pseudonym="Guardian G-1", legal_name=GUARDIAN
    )
    yield services, ref, recipient, child, guardian
    services.lock()


def _preview(services, ref, recipient):
    return services.exports.preview(ExportRequest(ref, recipient.id, password=b"x" * 12))


def test_every_person_is_listed_and_withheld_without_their_own_consent(world):
    services, ref, recipient, child, guardian = world
    prepared = _preview(services, ref, recipient)
    people = {p.pseudonym: p for p in prepared.view.people}
    assert set(people) == {"Survivor A-17", "Survivor C-2", "Guardian G-1"}
    # the primary survivor consented to disclose her identity; that opens nobody else's
    assert people["Survivor A-17"].legal_name == LEGAL_NAME
    assert people["Survivor C-2"].legal_name is None
    assert people["Survivor C-2"].reason == PERSON_WITHHELD
    assert people["Guardian G-1"].legal_name is None
    assert f"person:{child.id}" in prepared.policy.withheld()


def test_a_guardian_decides_for_the_child_and_the_decision_names_the_child(world):
    services, ref, recipient, child, guardian = world
    consent = services.consent.record(
        ref, purpose=Purpose.DISCLOSE_IDENTITY, decision=Decision.GRANTED, person_id=child.id,
        given_by=GivenBy.GUARDIAN, child_assent="given", explained_language="ar",
    )  # fmt: skip
    assert consent.person_id == child.id
    people = {p.pseudonym: p for p in _preview(services, ref, recipient).view.people}
    assert people["Survivor C-2"].legal_name == CHILD
    assert people["Survivor C-2"].reason == PERSON_INCLUDED
    assert people["Guardian G-1"].legal_name is None  # the guardian's own identity: not given
    whose = [line.person for line in _preview(services, ref, recipient).view.consents]
    assert whose[-1] == CHILD and set(whose[:-1]) == {LEGAL_NAME}


def test_a_second_survivors_refusal_does_not_decide_for_the_primary(world):
    services, ref, recipient, child, guardian = world
    services.consent.record(
        ref, purpose=Purpose.DISCLOSE_IDENTITY, decision=Decision.REFUSED,
        person_id=guardian.id, explained_language="ar",
    )  # fmt: skip
    prepared = _preview(services, ref, recipient)
    people = {p.pseudonym: p for p in prepared.view.people}
    assert people["Survivor A-17"].legal_name == LEGAL_NAME  # decisions naming nobody: hers
    assert prepared.view.survivor is not None and prepared.view.survivor.legal_name == LEGAL_NAME


def test_the_pdf_lists_every_person_and_names_only_those_who_consented(world, tmp_path):
    import shutil

    if not all(shutil.which(t) for t in ("qpdf", "pdftotext")):
        pytest.skip("qpdf and pdftotext are needed")
    services, ref, recipient, child, guardian = world
    flat = _pdf_text(services, ref, recipient.id, tmp_path)
    assert "People in this case" in flat
    assert "Survivor C-2" in flat and "Guardian G-1" in flat
    assert CHILD not in flat and GUARDIAN not in flat
    assert "has not consented to disclose their identity" in flat


def test_decisions_naming_nobody_are_the_primary_survivors(world):
    import dataclasses

    from intake_app.core import consent as rules

    services, ref, _recipient, child, _guardian = world
    survivor = services.cases.survivor(ref)
    legacy = [dataclasses.replace(c, person_id=None) for c in services.consent.ledger(ref)]
    assert rules.of_person(legacy, survivor.id, survivor.id) == legacy
    assert rules.of_person(legacy, child.id, survivor.id) == []


def _pdf_text(services, ref, recipient_id, tmp_path) -> str:
    import subprocess

    password = b"a long shared password"
    _record, data = services.exports.export(ExportRequest(ref, recipient_id, password=password))
    sealed, plain = tmp_path / "s.pdf", tmp_path / "p.pdf"
    sealed.write_bytes(data)
    subprocess.run(
        ["qpdf", f"--password={password.decode()}", "--decrypt", str(sealed), str(plain)],
        check=True,
    )
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(plain), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def test_a_draft_form_is_marked_and_the_default_title_is_in_the_readers_language(world, tmp_path):
    import shutil

    from intake_app.core.records import Readback

    if not all(shutil.which(t) for t in ("qpdf", "pdftotext")):
        pytest.skip("qpdf and pdftotext are needed")
    services, ref, _recipient, _child, _guardian = world
    statement = services.statements.create(ref, title="Statement", language="ar")
    services.statements.save_draft(statement.current.id, text="شهادة قصيرة")
    services.statements.seal(statement.current.id, readback=Readback.CONFIRMED)
    _key, cert = recipient_key_and_certificate()
    arabic = services.recipients.add(
        name="Unit 4", organisation="Office", role="investigators", language="ar",
        certificate=cert.public_bytes(serialization.Encoding.PEM),
    )  # fmt: skip
    english = _pdf_text(services, ref, "Unit 3", tmp_path)
    assert "draft: this form was not completed" in english  # the incident form is unfinished
    text = _pdf_text(services, ref, arabic.id, tmp_path)
    import unicodedata

    from intake_app.core.i18n import translator

    assert "Statement" not in text
    shaped = unicodedata.normalize("NFKC", text)  # pdftotext gives Arabic presentation forms
    assert unicodedata.normalize("NFKC", translator("ar")("Statement")) in shaped


def test_the_gender_code_is_written_in_the_readers_language(tmp_path):
    """The survivor's gender is stored as a code ("female"); the PDF writes it in the reader's
    language, as every other label (an Arabic PDF printed "female")."""
    import shutil

    if not all(shutil.which(t) for t in ("qpdf", "pdftotext")):
        pytest.skip("qpdf and pdftotext are needed")
    options = cheap_options(clock=FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)))
    services, _key = create_vault(tmp_path / "vault", options)
    ref = build_export_case(services)  # its survivor's gender is "female"
    _key_der, cert = recipient_key_and_certificate()
    french = services.recipients.add(
        name="Unité 5", organisation="Bureau", role="investigators", language="fr",
        certificate=cert.public_bytes(serialization.Encoding.PEM),
    )  # fmt: skip
    text = _pdf_text(services, ref, french.id, tmp_path)
    services.lock()
    assert "femme" in text and "female" not in text
