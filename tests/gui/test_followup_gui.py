"""The Referrals and Liaison tabs and the follow-up dashboard, through the real widgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from gui_helpers import accept_next_dialog, unlock
from PySide6.QtCore import QDate
from support import PASSPHRASE, FakeClock, cheap_options, create_vault

from intake_app.core.clock import iso
from intake_app.core.records import (
    Channel,
    Decision,
    PersonRole,
    ProviderType,
    Purpose,
    ReferralStatus,
    Role,
    UpdateStatus,
)
from intake_app.ui.shell import ShellWindow
from intake_app.ui.tasks import ImmediateRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def followup_window(qtbot, tmp_path):
    clock = FakeClock()
    options = cheap_options(clock=clock)
    services, _key = create_vault(tmp_path / "vault", options)
    services.users.add("lia", "Lia", Role.LIAISON, PASSPHRASE + "lia")
    case = services.cases.open(languages=["ar"])
    services.cases.add_person(
        case.reference, role=PersonRole.SURVIVOR, pseudonym="أمل 7", legal_name="Amal Haddad",
        languages=["ar"],
    )  # fmt: skip
    services.statements.create(case.reference, title="T", language="ar", text="SECRET TESTIMONY")
    for purpose, scope in (
        (Purpose.REFER_SERVICES, "provider:medical"),
        (Purpose.CONTACT, "channel:phone"),
        (Purpose.CONTACT, "channel:letter"),
    ):
        services.consent.record(
            case.reference, purpose=purpose, scope=scope, decision=Decision.GRANTED,
            explained_language="ar",
        )  # fmt: skip
    services.referrals.add_provider(type=ProviderType.MEDICAL, organisation="Clinique Espoir")
    services.lock()
    shell = ShellWindow(tmp_path / "vault", options, clock, ImmediateRunner())
    qtbot.addWidget(shell)
    shell.show()
    yield shell, case.reference, clock, tmp_path
    shell.lock()


def test_referrals_tab_drafts_sends_and_follows_up(followup_window):
    window, reference, clock, _tmp = followup_window
    unlock(window)
    window.open_case(reference)
    tab = window.case_view.referrals

    def wound_care(dialog):
        provider = dialog.fields["provider"]
        assert provider.count() == 1 and provider.currentText().startswith("Clinique Espoir")
        dialog.fields["needs"].setPlainText("Wound care")
        dialog.fields["due"].setDate(QDate(2026, 3, 5))

    accept_next_dialog(wound_care)
    tab.new_button.click()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 2).text() == "draft"
    assert window.services.referrals.for_case(reference)[0].needs == "Wound care"
    tab.table.selectRow(0)

    def sent(dialog):
        status = dialog.fields["status"]
        status.setCurrentIndex(status.findData(ReferralStatus.SENT.value))

    accept_next_dialog(sent)
    tab.status_button.click()
    assert tab.table.item(0, 2).text() == "sent"
    tab.table.selectRow(0)
    accept_next_dialog(lambda dialog: dialog.fields["date"].setDate(QDate(2026, 3, 10)))
    tab.follow_up_button.click()
    assert tab.table.item(0, 4).text() == "Mar 10, 2026"
    clock.advance(days=6)
    tab.reload()
    assert "overdue" in tab.table.item(0, 2).text()
    tab.table.selectRow(0)
    tab.save_form(str(_tmp / "form.pdf"))
    assert (_tmp / "form.pdf").read_bytes().startswith(b"%PDF")
    assert "Referral form saved" in tab.message.text()
    (_tmp / "providers.csv").write_text("type,organisation\nshelter,Haven\nclinic,X\n")
    tab.import_providers(str(_tmp / "providers.csv"))
    assert "Row 3: unknown type" in tab.message.text()
    (_tmp / "providers.csv").write_text("type,organisation\nshelter,Haven\n")
    tab.import_providers(str(_tmp / "providers.csv"))
    assert tab.message.text().startswith("1 provider added.")
    window.close_case()
    assert "(1 late)" in window.cases.follow_up_button.text()  # the answer; the follow-up is soon


def test_liaison_tab_plans_drafts_in_arabic_prepares_and_saves_a_letter(followup_window):
    window, reference, _clock, tmp = followup_window
    unlock(window, "lia", PASSPHRASE + "lia")
    window.open_case(reference)
    titles = [window.case_view.tabs.tabText(i) for i in range(window.case_view.tabs.count())]
    assert "Testimony" not in titles and "Liaison" in titles
    tab = window.case_view.liaison
    assert "No contact plan yet" in tab.plan.text()
    tab.draft_update()
    assert "No contact plan yet" in tab.message.text()
    from PySide6.QtWidgets import QCheckBox

    def phone_or_letter_never_sms(plan):
        for check in plan.fields["safe"].findChildren(QCheckBox):
            check.setChecked(check.property("channel") in ("phone", "letter"))
        for check in plan.fields["never"].findChildren(QCheckBox):
            check.setChecked(check.property("channel") == "sms")
        plan.fields["code"].setText("olive")
        plan.fields["language"].setCurrentIndex(plan.fields["language"].findData("ar"))

    accept_next_dialog(phone_or_letter_never_sms)
    tab.edit_plan_button.click()
    assert tab.message.text() == "Contact plan saved."
    assert "olive" not in tab.plan.text() and "••••" in tab.plan.text()
    tab.show_code.setChecked(True)
    assert "olive" in tab.plan.text()
    drafted = {}

    def a_letter_with_a_promise(dialog):
        channels = dialog.fields["channel"]
        assert [channels.itemData(i) for i in range(channels.count())] == ["phone", "letter"]
        drafted["text"] = dialog.fields["text"].toPlainText()  # in the plan's language, Arabic
        channels.setCurrentIndex(channels.findData("letter"))
        dialog.fields["promise"].setChecked(True)

    accept_next_dialog(a_letter_with_a_promise)
    tab.draft_button.click()
    text = drafted["text"]
    assert text.startswith("أمل 7، تحية طيبة.") and "Amal Haddad" not in text
    assert tab.updates.rowCount() == 1 and tab.updates.item(0, 4).text() == "prepared"
    assert window.services.liaison.for_case(reference)[0].channel is Channel.LETTER
    assert tab.promises.rowCount() == 1
    tab.updates.selectRow(0)
    assert tab.body.toPlainText() == text
    tab.set_status(UpdateStatus.SENT)
    assert tab.updates.item(0, 4).text() == "sent"
    tab.save_letter(str(tmp / "letter.pdf"))
    assert (tmp / "letter.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp / "letter.pdf").stat().st_mode & 0o777 == 0o600
    tab.promises.selectRow(0)
    tab.keep_promise()
    assert tab.promises.rowCount() == 0
    accept_next_dialog(lambda dialog: dialog.fields["what"].setText("Call back about the hearing"))
    tab.promise_button.click()
    assert tab.promises.rowCount() == 1
    tab.updates.selectRow(0)
    accept_next_dialog(lambda dialog: dialog.text.setPlainText("The letter came back unopened"))
    tab.failed_button.click()
    failed = window.services.liaison.for_case(reference)[0]
    assert (failed.status, failed.failure_reason) == (
        UpdateStatus.FAILED,
        "The letter came back unopened",
    )


def test_the_dashboard_lists_what_is_due_and_opens_the_case(followup_window):
    window, reference, clock, _tmp = followup_window
    unlock(window)
    services = window.services
    provider = services.referrals.providers()[0]
    referral = services.referrals.create(
        reference, provider_id=provider.id, due_at=iso(clock.now() + timedelta(days=1))
    )
    services.referrals.transition(referral.id, ReferralStatus.SENT)
    services.liaison.promise(
        reference, due_at=f"{(clock.now() + timedelta(days=2)).date()}T23:59:59.999999Z",
        what="Call back about the hearing",
    )  # fmt: skip
    clock.advance(days=3)
    window.cases.show_follow_up.emit()
    page = window.follow_up
    assert window.stack.currentWidget() is page
    assert page.tables["referrals_overdue"].rowCount() == 1
    assert page.tables["promises"].item(0, 1).text() == "Call back about the hearing"
    assert page.tables["promises"].item(0, 3).text() == "overdue"
    assert "Overdue: 2" in page.summary.text()
    page._activated("promises", 0)
    assert window.case_view is not None and window.case_view.reference == reference
    window.lock()
    assert page.tables["promises"].rowCount() == 0  # nothing stays on screen after locking
