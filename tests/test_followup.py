"""Follow-up (issue 6, first part): the provider directory from CSV, and the reporting commands."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from support import PASSPHRASE, Cli, FakeClock, cheap_options, unlock

from intake_app.core.clock import iso
from intake_app.core.errors import InvalidInput
from intake_app.core.records import (
    Channel,
    Decision,
    PersonRole,
    ProviderType,
    Purpose,
    ReferralStatus,
    Role,
    UpdateKind,
    UpdateStatus,
)

DIRECTORY = (
    "\ufeffType,Organisation,Contact,Languages,Locations,Notes\n"
    "medical,Clinique Espoir,+33 1 00 00 00,fr ar,Lyon,Walk-in on Tuesdays\n"
    "Legal aid,Avocats Sans Frontières,,fr;en,Paris,\n"
    'psychosocial,"Centre Nour, trauma care",,ar,Marseille,"Women counsellors"\n'
    "\n"
)


def test_a_directory_is_imported_from_csv_and_duplicates_are_left_alone(coordinator):
    added, skipped = coordinator.referrals.import_providers(DIRECTORY.encode())
    assert skipped == 0 and [p.type for p in added] == [
        ProviderType.MEDICAL, ProviderType.LEGAL_AID, ProviderType.PSYCHOSOCIAL,
    ]  # fmt: skip
    assert added[2].organisation == "Centre Nour, trauma care" and added[0].languages == (
        "fr",
        "ar",
    )
    again, skipped = coordinator.referrals.import_providers(DIRECTORY.encode())
    assert again == [] and skipped == 3
    assert len(coordinator.referrals.providers()) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"type,organisation\nclinic,X\n", "Row 2: unknown type 'clinic'"),
        (b"type,organisation\nmedical,\n", "Row 2: the organisation is missing"),
        (
            b"type,organisation,languages\nmedical,X,fr\nmedical,Y,<script>\n",
            "Row 3: not a language",
        ),
        (b"organisation\nX\n", "needs the columns: type"),
        (b"", "empty"),
        ("type,organisation\nmedical,Zürich".encode("latin-1"), "UTF-8"),
        (b"type,organisation\n" + b"medical,X\n" * 200_000, "too large"),
        (b"type,organisation\n\n", "no providers"),
    ],
)
def test_a_bad_directory_imports_nothing_and_says_where(coordinator, data, message):
    with pytest.raises(InvalidInput, match=message):
        coordinator.referrals.import_providers(data)
    assert coordinator.referrals.providers() == []


def test_only_coordinators_and_advocates_add_providers(team):
    team.current.referrals.import_providers(DIRECTORY.encode())
    from intake_app.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        team.as_(Role.INVESTIGATOR).referrals.import_providers(DIRECTORY.encode())


@pytest.fixture
def followup_cli(tmp_path):
    clock = FakeClock(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    cli = Cli(tmp_path / "vault")
    cli.options = cheap_options(clock=clock)
    assert cli("init", "--vault", str(cli.vault), "--user", "coord")[0] == 0
    (tmp_path / "providers.csv").write_text(DIRECTORY, encoding="utf-8")
    return cli, clock, tmp_path


def test_cli_reports_overdue_referrals_and_due_updates_without_any_text(followup_cli):
    cli, clock, tmp = followup_cli
    imported = cli.json("providers", "import", str(tmp / "providers.csv"))
    assert len(imported["added"]) == 3 and imported["skipped"] == 0
    services = unlock(cli.vault, cli.options)
    ref = services.cases.open(languages=["ar"]).reference
    services.cases.add_person(
        ref, role=PersonRole.SURVIVOR, pseudonym="A-1", legal_name="Secret Name"
    )
    for purpose, scope in (
        (Purpose.REFER_SERVICES, "provider:medical"),
        (Purpose.CONTACT, "channel:phone"),
    ):
        services.consent.record(
            ref, purpose=purpose, scope=scope, decision=Decision.GRANTED, explained_language="ar"
        )
    medical = next(p for p in services.referrals.providers() if p.type is ProviderType.MEDICAL)
    referral = services.referrals.create(
        ref, provider_id=medical.id, due_at=iso(clock.now() + timedelta(days=2))
    )
    services.referrals.transition(referral.id, ReferralStatus.SENT)
    services.liaison.set_contact_plan(ref, safe_channels=[Channel.PHONE], unsafe_channels=[])
    services.liaison.prepare_update(
        ref, kind=UpdateKind.HEARING, channel=Channel.PHONE, language="ar",
        body="Secret Name: the hearing is on 3 December.",
        feedback_due=iso(clock.now() + timedelta(days=5)),
    )  # fmt: skip
    services.lock()
    assert cli.json("referrals", "--overdue") == []
    (listed,) = cli.json("referrals")
    assert listed["case"] == ref and listed["provider"] == "Clinique Espoir"
    assert listed["status"] == "sent" and listed["overdue"] is False
    assert cli.json("updates", "--due") == []
    (listed_update,) = cli.json("updates")
    assert listed_update["case"] == ref and listed_update["status"] == "prepared"
    clock.advance(days=6)
    (overdue,) = cli.json("referrals", "--overdue")
    assert overdue["id"] == referral.id and overdue["overdue"] is True
    code, out, _ = cli("updates", "--due")
    assert code == 0 and ref in out and "hearing" in out
    (due,) = cli.json("updates", "--due")
    assert due["feedback_due"] and "body" not in due
    assert "Secret Name" not in out and "Secret Name" not in str(due)


def test_a_liaison_officer_can_run_the_follow_up_reports(followup_cli):
    cli, _clock, tmp = followup_cli
    code, _, err = cli(
        "user", "add", "--user", "coord", "--name", "lia", "--role", "liaison",
        stdin=f"{PASSPHRASE}\n{PASSPHRASE}lia\n",
    )  # fmt: skip
    assert code == 0, err
    assert cli.json("referrals", "--user", "lia", stdin=f"{PASSPHRASE}lia\n") == []
    assert cli.json("updates", "--user", "lia", stdin=f"{PASSPHRASE}lia\n") == []
    code, _, err = cli("providers", "import", "x.csv", "--user", "lia", stdin=f"{PASSPHRASE}lia\n")
    assert code != 0


# -- case updates drafted in the survivor's language ----------------------------------------------
MONTHS = {"en": "December", "fr": "décembre", "es": "diciembre", "ar": "ديسمبر", "uk": "грудня"}


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "uk"])
@pytest.mark.parametrize("kind", list(UpdateKind))
def test_every_template_is_filled_in_every_language(language, kind):
    from intake_app.core.update_templates import draft

    text = draft(kind, language, name="Amal 7", when=date(2026, 12, 3), details="Room 4.")
    assert "Amal 7" in text and "3" in text and MONTHS[language] in text and "Room 4." in text
    assert "{" not in text and "  " not in text and ".." not in text
    bare = draft(kind, language, name="Amal 7", when=date(2026, 12, 3))
    assert "  " not in bare and "{details}" not in bare


def test_a_liaison_officer_drafts_in_the_survivors_language_with_the_pseudonym(team, case_ref):
    team.current.liaison.set_contact_plan(
        case_ref, safe_channels=[Channel.LETTER], unsafe_channels=[Channel.SMS],
        preferred_language="uk",
    )  # fmt: skip
    liaison = team.as_(Role.LIAISON)
    text = liaison.liaison.draft_update(case_ref, UpdateKind.HEARING, when=date(2026, 12, 3))
    survivor = liaison.cases.survivor(case_ref)
    assert text.startswith(f"Вітаємо, {survivor.pseudonym}.") and "3 грудня 2026" in text
    assert survivor.legal_name not in text
    named = liaison.liaison.draft_update(
        case_ref, UpdateKind.DECISION, language="ar", when=date(2026, 12, 3), use_legal_name=True
    )
    assert named.startswith(survivor.legal_name) and "ديسمبر" in named


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "uk"])
def test_the_letter_renders_in_every_language_with_every_glyph(language, tmp_path):
    import shutil
    import subprocess

    from intake_app.core.export.letter import render_letter
    from intake_app.core.update_templates import draft

    text = draft(UpdateKind.ARREST, language, name="Ліля", when=date(2026, 12, 3))
    pdf, missing = render_letter(text, language, date(2026, 12, 5))
    assert missing == 0 and pdf.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils needed")
    (tmp_path / "letter.pdf").write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", str(tmp_path / "letter.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ліля" in out
    if language != "ar":  # Arabic comes out as shaped glyphs in visual order (see the export)
        assert MONTHS[language] in out


# -- follow-up: referral follow-up dates, promises, the dashboard ----------------------------------
def test_the_dashboard_surfaces_every_promise_that_is_due(team, case_ref, clock):
    from intake_app.core.clock import iso

    coordinator = team.current
    for purpose, scope in (
        (Purpose.REFER_SERVICES, "provider:medical"),
        (Purpose.CONTACT, "channel:phone"),
    ):
        coordinator.consent.record(
            case_ref, purpose=purpose, scope=scope, decision=Decision.GRANTED,
            explained_language="ar",
        )  # fmt: skip
    provider = coordinator.referrals.add_provider(type=ProviderType.MEDICAL, organisation="Clinic")
    referral = coordinator.referrals.create(
        case_ref, provider_id=provider.id, due_at=iso(clock.now() + timedelta(days=3))
    )
    coordinator.referrals.transition(referral.id, ReferralStatus.SENT)
    coordinator.referrals.set_follow_up(referral.id, iso(clock.now() + timedelta(days=10)))
    coordinator.liaison.set_contact_plan(
        case_ref, safe_channels=[Channel.PHONE], unsafe_channels=[]
    )
    liaison = team.as_(Role.LIAISON)
    update = liaison.liaison.prepare_update(
        case_ref, kind=UpdateKind.HEARING, channel=Channel.PHONE, language="ar",
        body="…", feedback_due=iso(clock.now() + timedelta(days=5)),
    )  # fmt: skip
    liaison.liaison.set_status(update.id, UpdateStatus.SENT)
    said = liaison.liaison.promise(
        case_ref, due_at=iso(clock.now() + timedelta(days=30)), what="Call back about shelter"
    )
    board = liaison.followup.dashboard()
    assert board.referrals_overdue == [] and board.referral_follow_ups == []
    assert [p.due_at for p in board.promises] == [update.feedback_due]  # the one within a week
    assert [r.item_id for r in board.awaiting_acknowledgement] == [update.id]
    assert board.not_contacted == []  # the case is new
    clock.advance(days=12)
    board = liaison.followup.dashboard()
    assert [r.item_id for r in board.referrals_overdue] == [referral.id]
    assert [r.item_id for r in board.referral_follow_ups] == [referral.id]
    assert board.promises[0].overdue and board.promises[0].label == "hearing scheduled"
    liaison.liaison.keep(board.promises[0].item_id, "Told her on the phone.")
    assert [p.id for p in liaison.liaison.promises(case_ref)] == [said.id]
    with pytest.raises(InvalidInput):
        liaison.liaison.keep(board.promises[0].item_id)
    liaison.liaison.set_status(update.id, UpdateStatus.DELIVERED)
    clock.advance(days=61)
    board = liaison.followup.dashboard()
    assert [r.reference for r in board.not_contacted] == [case_ref]
    assert board.total_overdue >= 3
    assert team.as_(Role.COORDINATOR).admin.verify().ok  # promises are audited rows too


def test_a_closed_referral_needs_no_follow_up(coordinator, case_ref):
    provider = coordinator.referrals.add_provider(type=ProviderType.SHELTER, organisation="Haven")
    referral = coordinator.referrals.create(case_ref, provider_id=provider.id)
    coordinator.referrals.transition(referral.id, ReferralStatus.REVOKED, note="Moved away")
    with pytest.raises(InvalidInput, match="closed"):
        coordinator.referrals.set_follow_up(referral.id, "2026-04-01T00:00:00.000000Z")


# -- the referral form for the provider ------------------------------------------------------------
@pytest.fixture
def referred(coordinator, clock):
    from support import build_export_case

    ref = build_export_case(coordinator)  # identity refused; the needs mention the name
    coordinator.consent.record(
        ref, purpose=Purpose.REFER_SERVICES, scope="provider:medical", decision=Decision.GRANTED,
        explained_language="ar",
    )  # fmt: skip
    coordinator.consent.record(
        ref, purpose=Purpose.CONTACT, scope="channel:phone", decision=Decision.GRANTED,
        explained_language="ar",
    )  # fmt: skip
    coordinator.liaison.set_contact_plan(
        ref, safe_channels=[Channel.PHONE, Channel.LETTER], unsafe_channels=[Channel.SMS],
        safe_times="Mornings", code_word="olive tree",
    )  # fmt: skip
    referral = next(iter(coordinator.referrals.for_case(ref)))
    coordinator.referrals.transition(referral.id, ReferralStatus.SENT)
    return ref, referral


def _text(tmp_path, pdf: bytes, password: str | None = None) -> str:
    import subprocess

    (tmp_path / "form.pdf").write_bytes(pdf)
    command = ["pdftotext", "-enc", "UTF-8"]
    if password:
        command += ["-upw", password]
    return subprocess.run(
        [*command, str(tmp_path / "form.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(not __import__("shutil").which("pdftotext"), reason="poppler-utils needed")
def test_the_referral_form_holds_only_what_the_consent_allows(coordinator, referred, tmp_path):
    from support import LEGAL_NAME

    ref, referral = referred
    text = _text(tmp_path, coordinator.referral_forms.form(referral.id))
    flat = " ".join(text.split())
    assert "Survivor A-17" in flat and "Follow-up for a wrist injury" in flat
    assert LEGAL_NAME not in text and "1990-05-04" not in text and "olive" not in text
    assert "Mornings" in flat
    view = coordinator.referral_forms.view(referral.id)
    assert view.contact_channels == ("phone call",)  # letter is safe but has no contact consent
    assert view.language == "ar" and view.identity_withheld and view.legal_name is None
    coordinator.consent.record(
        ref, purpose=Purpose.DISCLOSE_IDENTITY, scope="provider:medical",
        decision=Decision.GRANTED, explained_language="ar",
    )  # fmt: skip
    sealed = coordinator.referral_forms.form(referral.id, password=b"a long shared secret")
    assert b"Survivor A-17" not in sealed
    opened = _text(tmp_path, sealed, "a long shared secret")
    assert LEGAL_NAME in opened
    events = [e for e in coordinator.admin.events(limit=5) if e.action == "referral.form_made"]
    assert events[0].details["identity"] is True and events[0].details["sealed"] is True


def test_no_form_without_referral_consent(coordinator, case_ref):
    provider = coordinator.referrals.add_provider(type=ProviderType.SHELTER, organisation="Haven")
    referral = coordinator.referrals.create(case_ref, provider_id=provider.id)
    from intake_app.core.errors import ConsentRequired

    with pytest.raises(ConsentRequired, match="not consented"):
        coordinator.referral_forms.form(referral.id)
