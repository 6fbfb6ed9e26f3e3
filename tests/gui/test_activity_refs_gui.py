"""Issue 16, through the real widgets: provider import in the Vault menu, the referral override
mark and the refusal that names it, the Activity tab's filter and folded views, and the "draft
recovered" notice after a crash."""

from __future__ import annotations

import os
import re

import pytest
from gui_helpers import accept_next_dialog, unlock
from support import PASSPHRASE, FakeClock, cheap_options, create_vault
from support import unlock as unlock_services

from intake_app.core.clock import parse_iso
from intake_app.core.i18n import format_datetime
from intake_app.core.records import PersonRole, ProviderType, ReferralStatus, Role
from intake_app.ui.provider_import import ProviderImportDialog
from intake_app.ui.shell import ShellWindow
from intake_app.ui.tasks import ImmediateRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def vault(tmp_path):
    clock = FakeClock()
    options = cheap_options(clock=clock)
    services, _key = create_vault(tmp_path / "vault", options)
    services.users.add("adv", "Advocate Nour", Role.ADVOCATE, PASSPHRASE + "adv")
    case = services.cases.open(languages=["ar"])
    services.cases.add_person(
        case.reference, role=PersonRole.SURVIVOR, pseudonym="Amal 7", legal_name="Amal H"
    )
    provider = services.referrals.add_provider(type=ProviderType.SHELTER, organisation="Haven")
    services.referrals.create(case.reference, provider_id=provider.id)
    return tmp_path / "vault", options, services, case.reference


def _window(qtbot, vault_dir, options):
    shell = ShellWindow(vault_dir, options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    shell.show()
    return shell


@pytest.fixture
def window(qtbot, vault):
    vault_dir, options, services, reference = vault
    services.lock()
    shell = _window(qtbot, vault_dir, options)
    yield shell, reference, vault_dir.parent
    shell.lock()


# -- provider import -----------------------------------------------------------------------------
def test_the_vault_menu_imports_providers_for_coordinators_only(window):
    shell, _reference, tmp = window
    assert not shell.providers_action.isVisible()
    unlock(shell)
    assert shell.providers_action.isVisible()
    assert shell.providers_action in shell.vault_menu.actions()
    assert shell.providers_action.text() == "&Import providers (CSV)…"
    dialog = shell.import_providers()
    assert isinstance(dialog, ProviderImportDialog) and dialog.isVisible()
    assert "legal_aid" in dialog.findChildren(type(dialog.summary))[0].text()  # the valid types

    bad = tmp / "bad.csv"
    bad.write_text("type,organisation\nlegal,Bar association\nshelter,Safe house\nclinic,X\n")
    outcome = dialog.load(str(bad))
    assert not outcome.imported
    assert dialog.summary.text() == "Nothing was imported: 2 rows must be corrected first."
    rows = [dialog.details.item(i).text() for i in range(dialog.details.count())]
    assert rows[0].startswith("Row 2: unknown type 'legal' — use one of: medical, psychosocial")
    assert rows[1].startswith("Row 4: unknown type 'clinic'") and dialog.details.isVisible()
    assert [p.organisation for p in shell.services.referrals.providers()] == ["Haven"]

    good = tmp / "good.csv"
    good.write_text("type,organisation\nlegal_aid,Bar association\nshelter,Haven\n")
    dialog.load(str(good))
    assert dialog.summary.text() == (
        "1 provider added. 1 already in the directory, left as it was."
    )
    assert dialog.details.item(0).text() == "Added: Bar association (legal aid)"
    shell.lock()
    assert not dialog.isVisible() and not shell.providers_action.isVisible()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: os.mkfifo(p), "not a file"),
        (lambda p: p.mkdir(), "not a file"),
        (lambda p: p.write_bytes(b"type,organisation\n" + b"medical,X\n" * 200_000), "too large"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 200), "not CSV"),
    ],
)
def test_a_pipe_a_folder_a_huge_file_or_a_spreadsheet_is_refused_in_one_sentence(
    window, make, words
):
    shell, _reference, tmp = window
    unlock(shell)
    path = tmp / "providers.csv"
    make(path)
    dialog = shell.import_providers()
    outcome = dialog.load(str(path))  # a FIFO with no writer must not hang
    assert words in dialog.summary.text() and outcome.lines == ()
    assert not dialog.details.isVisible()


def test_an_advocate_has_no_vault_menu_import(window):
    shell, _reference, _tmp = window
    unlock(shell, "adv", PASSPHRASE + "adv")
    assert not shell.providers_action.isVisible() and shell.import_providers() is None


# -- referral overrides ------------------------------------------------------------------------
def _send(status_box_dialog, justification=""):
    status = status_box_dialog.fields["status"]
    status.setCurrentIndex(status.findData(ReferralStatus.SENT.value))
    if justification:
        status_box_dialog.fields["override"].setPlainText(justification)


def test_the_refusal_says_an_override_exists_and_the_table_marks_one(window):
    shell, reference, _tmp = window
    unlock(shell)
    shell.open_case(reference)
    tab = shell.case_view.referrals
    tab.table.selectRow(0)
    accept_next_dialog(_send)
    tab.status_button.click()
    assert "cannot be sent" in tab.message.text()
    assert "As a coordinator you may override this" in tab.message.text()
    assert tab.table.item(0, tab.CONSENT_COLUMN).text() == ""

    tab.table.selectRow(0)
    accept_next_dialog(lambda d: _send(d, "Imminent danger: the survivor asked for shelter"))
    tab.status_button.click()
    assert tab.table.item(0, 2).text() == "sent"
    mark = tab.table.item(0, tab.CONSENT_COLUMN)
    assert mark.text() == "override"
    assert tab.table.horizontalHeaderItem(tab.CONSENT_COLUMN).text() == "Consent"
    tip = mark.toolTip().replace("\u2068", "").replace("\u2069", "")
    assert "Sent without the survivor's referral consent, on a coordinator's" in tip
    assert "Coordinator" in tip and "Imminent danger: the survivor asked for shelter" in tip
    sent_at = shell.services.referrals.overrides(tab._rows)[tab._rows[0].id].at
    assert format_datetime(parse_iso(sent_at), width="short") in tip  # when
    assert tab.table.item(0, 0).toolTip() == mark.toolTip()  # the whole row says it


def test_an_advocate_is_told_a_coordinator_may_override(window):
    shell, reference, _tmp = window
    unlock(shell, "adv", PASSPHRASE + "adv")
    shell.open_case(reference)
    tab = shell.case_view.referrals
    tab.table.selectRow(0)

    def no_override_field(dialog):
        assert "override" not in dialog.fields
        _send(dialog)

    accept_next_dialog(no_override_field)
    tab.status_button.click()
    assert "An override exists: a coordinator may send it" in tab.message.text()


# -- the Activity tab ------------------------------------------------------------------------------
def test_the_activity_tab_filters_by_kind_and_folds_repeated_reads(qtbot, vault):
    vault_dir, options, services, reference = vault
    statement = services.statements.create(reference, title="T", language="ar", text="words")
    for _n in range(12):
        services.statements.get(statement.id)  # each read of testimony is audited
    services.lock()
    shell = _window(qtbot, vault_dir, options)
    try:
        unlock(shell)
        shell.open_case(reference)
        activity = shell.case_view.activity
        texts = [activity.table.item(r, 1).text() for r in range(activity.table.rowCount())]
        folded = [t for t in texts if re.fullmatch(r"testimony read (\d+) times today", t)]
        assert len(folded) == 1 and int(folded[0].split()[2]) >= 12  # + the Testimony tab's
        row = texts.index(folded[0])
        assert activity.table.item(row, 2).text() == "coord"
        assert activity.table.item(row, 1).toolTip().startswith("First ")
        assert "referral drafted" in texts and "person added" in texts
        activity.kind.setCurrentIndex(activity.kind.findData("referrals"))
        assert [activity.table.item(r, 1).text() for r in range(activity.table.rowCount())] == [
            "referral drafted"
        ]
        activity.kind.setCurrentIndex(activity.kind.findData("testimony"))
        shown = {activity.table.item(r, 1).text() for r in range(activity.table.rowCount())}
        assert shown == {"statement started", folded[0]}
        activity.kind.setCurrentIndex(0)
        assert activity.table.rowCount() == len(texts)
    finally:
        shell.lock()


def test_opening_the_activity_tab_is_not_a_read_of_the_testimony(qtbot, vault):
    vault_dir, options, services, reference = vault
    services.statements.create(reference, title="T", language="ar", text="words")
    services.lock()
    shell = _window(qtbot, vault_dir, options)
    try:
        unlock(shell)  # the case is not opened: only its activity is shown
        from intake_app.ui.activity_tab import ActivityTab
        from intake_app.ui.case_view import ACTIONS

        def reads():
            events = shell.services.admin.events(None, limit=10_000)
            return [e for e in events if e.action == "statement.viewed"]

        before = reads()
        ActivityTab(shell.services, reference, ACTIONS)
        assert reads() == before
    finally:
        shell.lock()


# -- the draft recovered notice ------------------------------------------------------------------
def test_a_draft_saved_before_a_crash_is_announced_with_what_was_restored(qtbot, vault):
    vault_dir, options, services, reference = vault
    services.lock()
    typing = unlock_services(vault_dir, options)
    statement = typing.statements.create(reference, title="First account", language="ar")
    saved_at = typing.statements.save_draft(
        statement.current.id, text="she said the men came at night"
    )
    typing.ctx.vault.close()  # the app stops here: no lock is recorded
    options.clock.advance(minutes=3)
    shell = _window(qtbot, vault_dir, options)
    try:
        unlock(shell)
        shell.open_case(reference)
        tab = shell.case_view.testimony
        assert not tab.recovered.isHidden()
        text = tab.recovered.text()
        assert f"\u2068{reference}\u2069" in text  # set apart for the bidi algorithm
        text = text.replace("\u2068", "").replace("\u2069", "")
        assert text.startswith("Draft recovered: the app closed without locking in the session")
        assert f"“First account”, version 1, of case {reference}, 7 words." in text
        when = format_datetime(parse_iso(saved_at), width="short")
        assert f"Restored from the autosave of {when}: " in text
        assert tab.text.toPlainText() == "she said the men came at night"
        tab.text.setPlainText("she said the men came at night, three of them")
        tab.flush()
        assert tab.recovered.isHidden()  # the typing goes on: the notice has done its work
    finally:
        shell.lock()
    shell2 = _window(qtbot, vault_dir, options)
    try:
        unlock(shell2)
        shell2.open_case(reference)
        assert shell2.case_view.testimony.recovered.isHidden()  # locked cleanly last time
    finally:
        shell2.lock()


def test_in_arabic_the_refusal_keeps_the_interface_direction_and_the_path_its_order(window):
    shell, _reference, tmp = window
    unlock(shell)
    shell.set_language("ar")
    path = tmp / "pipe.csv"
    os.mkfifo(path)
    dialog = shell.import_providers()
    dialog.load(str(path))
    text = dialog.summary.text()
    assert text.startswith("\u200f") and f"\u2068{path}\u2069" in text
    bad = tmp / "bad.csv"
    bad.write_text("type,organisation\nlegal,X\n")
    dialog.load(str(bad))
    row = dialog.details.item(0).text()
    assert row.startswith("\u200fالصف 2: ") and "legal_aid" in row
