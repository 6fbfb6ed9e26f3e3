"""The desktop app through its real widgets (offscreen): unlock, lock, cases, testimony, consent."""

from __future__ import annotations

import shutil

from gui_helpers import accept_next_dialog, unlock
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit, QWidget
from support import PASSPHRASE, cheap_options

from intake_app.core.records import Readback, StatementStatus
from intake_app.ui.dialogs import ReasonDialog, RecoveryKeyDialog
from intake_app.ui.models import CaseTableModel
from intake_app.ui.shell import APP_TITLE, ShellWindow
from intake_app.ui.tasks import ImmediateRunner
from intake_app.ui.testimony_tab import SealDialog


def test_first_run_creates_a_vault_shows_the_recovery_key_once_then_unlocks(qtbot, tmp_path):
    options = cheap_options()
    shell = ShellWindow(tmp_path / "new", options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    assert shell.stack.currentWidget() is shell.first_run
    page = shell.first_run
    page.username.setText("amira")
    page.display_name.setText("Amira")
    page.passphrase.setText("short")
    assert page.meter.value() == 5 and page.meter.format() == "too short"
    page.passphrase.setText("river lantern orchard 1987!")
    page.confirm.setText("river lantern orchard 1987!")
    assert page.meter.value() >= 75
    seen = {}

    def on_dialog(dialog):
        assert isinstance(dialog, RecoveryKeyDialog)
        seen["key"] = dialog.key_label.text()
        ok = dialog.buttons.buttons()[0]
        assert not ok.isEnabled()  # not before the user confirms the key is stored
        dialog.confirm.setChecked(True)
        assert ok.isEnabled()

    accept_next_dialog(on_dialog)
    page.create_vault()
    assert len(seen["key"].split("-")) == 6
    assert not shell.findChildren(RecoveryKeyDialog)  # the key does not linger in a hidden dialog
    assert shell.stack.currentWidget() is shell.unlock_page
    assert shell.unlock_page.user.currentText() == "amira"
    # Issue 16: the page was built before the vault existed; it must not say it is damaged.
    assert shell.unlock_page.message.text() == ""
    unlock(shell, "amira", "river lantern orchard 1987!")
    assert shell.stack.currentWidget() is shell.cases
    shell.lock()


def test_wrong_passphrase_is_explained_and_nothing_opens(window):
    unlock(window, passphrase="not the passphrase")
    assert window.stack.currentWidget() is window.unlock_page
    assert window.unlock_page.message.text() == "The passphrase is not correct."
    assert window.unlock_page.passphrase.text() == "" and window.services is None


def test_damaged_vault_is_a_clear_message(qtbot, gui_vault, tmp_path):
    vault_dir, options, _reference = gui_vault
    damaged = tmp_path / "damaged"
    shutil.copytree(vault_dir, damaged)
    data = bytearray((damaged / "vault.db").read_bytes())
    for offset in range(5000, len(data), 4096):
        data[offset] ^= 0xFF
    (damaged / "vault.db").write_bytes(bytes(data))
    shell = ShellWindow(damaged, options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    unlock(shell)
    assert (
        "damaged" in shell.unlock_page.message.text()
        and "backup" in shell.unlock_page.message.text()
    )
    assert shell.services is None


def test_damage_unlocking_does_not_read_is_found_by_the_page_check_and_locks(qtbot, tmp_path):
    """Unlocking no longer reads every page (seconds on a large vault); the shell checks them
    right after, in a worker. Damage only that check can see still locks and says so."""
    from io import BytesIO

    from support import create_vault, decrypt_page

    options = cheap_options()
    services, _key = create_vault(tmp_path / "vault", options)
    reference = services.cases.open().reference
    services.attachments.add(reference, BytesIO(b"SCANNEDPAGE" * 40_000), filename="scan.bin")
    dek = bytes(services.ctx.vault._dek)
    services.lock()
    path = tmp_path / "vault" / "vault.db"
    data = bytearray(path.read_bytes())
    pages = [i for i in range(len(data) // 4096) if b"SCANNEDPAGE" in decrypt_page(data, i, dek)]
    target = pages[len(pages) // 2]  # one page in the middle of the attachment's chunks
    data[target * 4096 + 100] ^= 0xFF
    path.write_bytes(bytes(data))
    shell = ShellWindow(tmp_path / "vault", options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    unlock(shell)
    assert shell.services is None and shell.stack.currentWidget() is shell.unlock_page
    assert "damaged" in shell.unlock_page.message.text()
    assert shell.cases.model.rowCount() == 0  # nothing of the vault stays on screen


def test_missing_keyring_secret_points_to_the_recovery_key(qtbot, tmp_path):
    from support import create_vault

    from intake_app.core.vault.device_secret import MemoryStore

    store = MemoryStore()
    services, _key = create_vault(tmp_path / "bound", cheap_options(store))
    services.lock()
    elsewhere = cheap_options(None)  # this computer has no keyring
    shell = ShellWindow(tmp_path / "bound", elsewhere, elsewhere.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    unlock(shell)
    assert "recovery key" in shell.unlock_page.message.text()


def test_unlock_shows_the_cases_and_the_model_is_sound(window, qtmodeltester):
    unlock(window)
    assert window.stack.currentWidget() is window.cases
    assert window.cases.model.rowCount() == 1 and window.cases.message.text() == "1 case."
    qtmodeltester.check(window.cases.model)
    assert window.windowTitle() == APP_TITLE


def test_case_model_loads_lazily(qtmodeltester):
    from intake_app.core.records import CaseStatus, CaseSummary

    rows = [
        CaseSummary(str(i), f"C-{i:04d}", CaseStatus.OPEN, ("en",), "2026-03-01T09:00:00.000000Z")
        for i in range(450)
    ]
    calls = []

    def loader(after, limit):  # keyset paging: continues after the last case loaded
        start = 0 if after is None else rows.index(after) + 1
        calls.append(start)
        return rows[start : start + limit]

    model = CaseTableModel(loader)
    assert model.rowCount() == 0 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 200 and calls == [0]
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 450 and calls == [0, 200, 400]
    qtmodeltester.check(model)


def test_quick_lock_clears_everything_and_shows_a_neutral_screen(qtbot, window):
    unlock(window)
    window.open_case(window.cases.model.record(0).reference)
    testimony = window.case_view.testimony
    testimony.text.setPlainText(testimony.text.toPlainText() + " extra words")
    window.clipboard.copy("copied testimony")
    vault = window.services.ctx.vault
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.locked
    assert window.services is None and window.case_view is None and not vault.is_open
    assert window.cases.model.rowCount() == 0
    assert QGuiApplication.clipboard().text() == ""
    assert window.windowTitle() == APP_TITLE
    assert testimony.text.toPlainText() == "" and not testimony.text.document().isUndoAvailable()
    # what was typed before the lock was saved first
    unlock(window)
    window.open_case(window.cases.model.record(0).reference)
    assert window.case_view.testimony.text.toPlainText().endswith("extra words")


def test_idle_lock(qtbot, gui_vault):
    vault_dir, options, _reference = gui_vault
    shell = ShellWindow(vault_dir, options, options.clock, ImmediateRunner(), idle_minutes=0.003)
    qtbot.addWidget(shell)
    unlock(shell)
    assert shell.stack.currentWidget() is shell.cases
    qtbot.waitUntil(lambda: shell.stack.currentWidget() is shell.locked, timeout=3000)
    assert shell.services is None


def test_search_as_you_type_and_status_filter(qtbot, window, gui_vault):
    unlock(window)
    window.cases.search.setText("الصباح")
    qtbot.waitUntil(lambda: window.cases.message.text() == "1 case matches.", timeout=2000)
    window.cases.search.setText("nothing-like-this")
    qtbot.waitUntil(lambda: window.cases.model.rowCount() == 0, timeout=2000)
    window.cases.search.clear()
    qtbot.waitUntil(lambda: window.cases.model.rowCount() == 1, timeout=2000)
    window.cases.status.setCurrentIndex(window.cases.status.count() - 1)  # archived
    assert window.cases.model.rowCount() == 0


def test_testimony_autosaves_seals_and_amends(qtbot, window):
    unlock(window)
    window.open_case(window.cases.model.record(0).reference)
    tab = window.case_view.testimony
    tab.text.moveCursor(tab.text.textCursor().MoveOperation.End)
    qtbot.keyClicks(tab.text, " and then they left")  # ASCII only: pytest-qt aborts on non-ASCII
    assert tab.saved.text() == "Not saved yet…"
    window.clock.advance(seconds=0.5)  # a pause in the typing: the autosave is due
    tab.tick()
    assert tab.saved.text().startswith("Saved")
    services = window.services
    statement = services.statements.for_case(window.case_view.reference)[0]
    assert statement.current.text == "كان ذلك في الصباح and then they left"

    def read_back(dialog):
        assert isinstance(dialog, SealDialog)
        dialog.readback.setCurrentIndex(dialog.readback.findData(Readback.DECLINED.value))
        dialog.note.setText("She was tired")

    accept_next_dialog(read_back)
    tab.seal()
    assert tab.text.isReadOnly() and "SHA-256" in tab.banner.text()
    sealed = services.statements.for_case(window.case_view.reference)[0].current
    assert (sealed.readback, sealed.readback_note) == (Readback.DECLINED, "She was tired")
    assert (
        services.statements.for_case(window.case_view.reference)[0].current.status
        is StatementStatus.SEALED
    )
    accept_next_dialog(lambda dialog: dialog.text.setPlainText("The survivor corrected the time"))
    tab.amend()
    assert not tab.text.isReadOnly() and "version 2" in tab.banner.text()
    tab.text.setPlainText("كان ذلك في المساء and then they left")
    tab.flush()
    tab.reload()
    history = tab.history.toHtml()
    assert (
        "الصباح" in history and "المساء" in history and "The survivor corrected the time" in history
    )
    current = services.statements.for_case(window.case_view.reference)[0]
    assert [v.status for v in current.versions] == [StatementStatus.SEALED, StatementStatus.DRAFT]
    assert current.versions[0].text == "كان ذلك في الصباح and then they left"


def test_consent_withdrawal_from_the_ledger(window):
    from intake_app.core.records import Decision, Purpose

    unlock(window)
    reference = window.cases.model.record(0).reference
    window.services.consent.record(
        reference,
        purpose=Purpose.SHARE_INVESTIGATORS,
        scope="category:investigators",
        decision=Decision.GRANTED,
        explained_language="ar",
    )
    window.open_case(reference)
    tab = window.case_view.consent
    assert tab.table.rowCount() == 1 and tab.table.item(0, 2).text() == "granted"
    assert "nothing of this case is exported" in tab.table.item(0, 7).text()
    tab.table.selectRow(0)

    def give_the_reason(dialog):
        assert isinstance(dialog, ReasonDialog) and dialog.windowTitle() == "Withdraw consent"
        dialog.text.setPlainText("She fears for her family")

    accept_next_dialog(give_the_reason)
    tab.withdraw()
    assert tab.table.item(0, 2).text() == "withdrawn"
    assert window.services.consent.ledger(reference)[0].withdrawal_reason == (
        "She fears for her family"
    )
    assert "Earlier exports to follow up: 0" in tab.message.text()


def test_typing_autosaves_at_once_and_the_search_catches_up_when_the_typing_pauses(window):
    """Autosaves during continuous typing leave the search entry for the pause (migration
    0008): the text is saved each second, the index two seconds after the last keystroke."""
    clock = window.clock  # the shell's, which times the autosave: moved by hand here
    unlock(window)
    window.open_case(window.cases.model.record(0).reference)
    tab, services = window.case_view.testimony, window.services
    for step in range(4):  # a word every 0.3 s: never a pause, saved at least every second
        tab.text.moveCursor(tab.text.textCursor().MoveOperation.End)
        tab.text.insertPlainText(f" xqword{step}")
        clock.advance(seconds=0.3)
        tab.tick()
    saved = services.statements.for_case(window.case_view.reference)[0].current.text
    assert "xqword2" in saved  # on disk already (S24)
    assert not services.search.search("xqword2")  # the search entry waits for a pause
    clock.advance(seconds=1.0)
    tab.tick()  # the last word is saved (a short pause), the entry still waits
    assert "xqword3" in services.statements.for_case(window.case_view.reference)[0].current.text
    assert not services.search.search("xqword3")
    clock.advance(seconds=2.0)
    tab.tick()  # two seconds without typing: the search catches up
    assert services.search.search("xqword3") and services.search.search("xqword0")


def test_a_liaison_officer_never_sees_the_testimony_tab(window):
    unlock(window, "liaison", PASSPHRASE + "liaison")
    window.open_case(window.cases.model.record(0).reference)
    titles = [window.case_view.tabs.tabText(i) for i in range(window.case_view.tabs.count())]
    assert titles == ["Overview", "Consent", "Referrals", "Liaison", "Activity"]
    assert window.case_view.testimony is None
    consent = window.case_view.consent
    assert consent.record_button.isHidden() and consent.withdraw_button.isHidden()
    assert window.case_view.overview.add_button.isHidden()
    window.cases.search.setText("الصباح")
    window.cases.refresh()
    assert window.cases.model.rowCount() == 0  # search does not reveal testimony words either


def test_switching_to_arabic_translates_and_flips_the_layout(window):
    window.set_language("ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.unlock_page.button.text() == "فتح القفل"
    unlock(window)
    window.open_case(window.cases.model.record(0).reference)
    assert window.case_view.tabs.tabText(1) == "الشهادة"
    window.set_language("uk")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.case_view.tabs.tabText(1) == "Свідчення"


def test_reason_dialog_needs_text(qtbot):
    dialog = ReasonDialog("Title", "Why?")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    dialog.text.setPlainText("because")
    assert ok.isEnabled() and dialog.result() != QDialog.DialogCode.Accepted


def test_interview_session_with_a_break_and_an_early_stop(window):
    unlock(window)
    window.open_case(window.cases.model.record(0).reference)
    tab = window.case_view.interview
    tab.interpreter.setText("Interpreter A")
    tab.present.setText("survivor, advocate, interpreter")
    tab.start_button.click()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 1).text() == "in progress"
    assert not tab.start_button.isEnabled() and tab.pause_button.isEnabled()
    accept_next_dialog(lambda dialog: dialog.text.setPlainText("The survivor asked for a rest"))
    tab.pause_button.click()
    assert tab.table.item(0, 1).text() == "on a break" and tab.resume_button.isEnabled()
    tab.resume_button.click()
    accept_next_dialog(
        lambda dialog: dialog.text.setPlainText("Only what was said before the break")
    )
    tab.stop_early()
    assert (
        tab.table.item(0, 1).text() == "ended"
        and "Only what was said" in tab.table.item(0, 4).text()
    )
    session = window.services.interviews.for_case(window.case_view.reference)[0]
    assert (
        session.persons_present == ("survivor", "advocate", "interpreter")
        and len(session.breaks) == 1
    )


def test_attachments_are_added_with_their_fingerprint_and_viewed_inside(qtbot, window, tmp_path):
    import hashlib

    from intake_app.ui.session_tabs import AttachmentsTab

    unlock(window)
    reference = window.cases.model.record(0).reference
    note = tmp_path / "note.txt"
    note.write_text("the doctor's note", encoding="utf-8")
    tab = AttachmentsTab(window.services, reference, choose_file=lambda _parent: note)
    qtbot.addWidget(tab)
    tab.add()
    digest = hashlib.sha256(note.read_bytes()).hexdigest()
    assert digest in tab.message.text() and tab.table.item(0, 3).text() == digest
    tab.table.selectRow(0)
    dialog = tab.view()
    assert (
        dialog is not None
        and dialog.findChildren(QPlainTextEdit)[0].toPlainText() == "the doctor's note"
    )
    dialog.close()


def test_coordinators_manage_users_and_everyone_changes_their_own_passphrase(window):
    unlock(window, "liaison", PASSPHRASE + "liaison")
    assert not window.users_action.isVisible() and window.passphrase_action.isEnabled()
    assert not window.cases.new_button.isVisibleTo(
        window.cases
    )  # what a role cannot do is not shown
    window.lock()
    unlock(window)
    assert window.users_action.isVisible() and window.users_action.isEnabled()
    users = window.manage_users()
    users.username.setText("new.advocate")
    users.display_name.setText("New Advocate")
    users.role.setCurrentIndex(users.role.findData("advocate"))
    users.passphrase.setText("a fresh orchard lantern")
    users.confirm.setText("a fresh orchard lantern")
    users.add_button.click()
    assert "new.advocate" in users.message.text()
    names = [users.table.item(r, 0).text() for r in range(users.table.rowCount())]
    assert "new.advocate" in names
    users.table.selectRow(names.index("coord"))
    users.remove_button.click()
    assert "cannot remove yourself" in users.message.text()
    users.close()
    change = window.change_passphrase()
    change.current.setText(PASSPHRASE)
    change.new.setText("another long passphrase")
    change.confirm.setText("another long passphrase")
    change.change()
    assert change.result() == QDialog.DialogCode.Accepted
    window.lock()
    unlock(window, passphrase="another long passphrase")
    assert window.services is not None


def test_reset_by_recovery_key_on_a_computer_without_the_keyring(qtbot, tmp_path):
    from support import create_vault

    from intake_app.core.vault.device_secret import MemoryStore
    from intake_app.ui.access import RecoveryDialog

    services, recovery_key = create_vault(tmp_path / "bound", cheap_options(MemoryStore()))
    services.lock()
    elsewhere = cheap_options(None)
    shell = ShellWindow(tmp_path / "bound", elsewhere, elsewhere.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    shell.unlock_page.user.setCurrentText("coord")

    def fill(dialog):
        assert isinstance(dialog, RecoveryDialog) and dialog.username.text() == "coord"
        dialog.key.setText(recovery_key.lower())
        dialog.passphrase.setText("a brand new passphrase")
        dialog.confirm.setText("a brand new passphrase")

    accept_next_dialog(fill)
    shell.unlock_page.recover_button.click()
    assert shell.unlock_page.message.text() == "coord has a new passphrase."
    unlock(shell, "coord", "a brand new passphrase")
    assert shell.services is not None
    shell.lock()


def test_recording_a_consent_decision_for_a_child_needs_the_guardian(window):
    from intake_app.core.records import PersonRole
    from intake_app.ui.consent_tab import ConsentDialog

    unlock(window)
    case = window.services.cases.open(languages=["uk"])
    window.services.cases.add_person(
        case.reference, role=PersonRole.SURVIVOR, pseudonym="Зоря 3", is_minor=True
    )
    window.open_case(case.reference)
    tab = window.case_view.consent

    def share_with_investigators(dialog):
        assert isinstance(dialog, ConsentDialog)
        assert dialog.given_by.currentData() == "guardian"  # the survivor is a child
        dialog.purpose.setCurrentIndex(dialog.purpose.findData("share_investigators"))
        assert "nothing of this case is exported" in dialog.meaning.text()
        dialog.scope.setCurrentIndex(dialog.scope.findData("category:investigators"))

    accept_next_dialog(share_with_investigators)
    tab.record()
    assert "child" in tab.message.text() and tab.table.rowCount() == 0  # assent not recorded yet

    def with_the_childs_assent(dialog):
        share_with_investigators(dialog)
        dialog.assent.setCurrentIndex(dialog.assent.findData("given"))
        dialog.expires.setText("2030-01-31")

    accept_next_dialog(with_the_childs_assent)
    tab.record()
    assert tab.message.text() == "Recorded." and tab.table.rowCount() == 1
    consent = window.services.consent.ledger(case.reference)[0]
    assert (consent.child_assent, consent.explained_language, consent.expires_at) == (
        "given",
        "uk",
        "2030-01-31T23:59:59.999999Z",
    )


def test_case_list_filters_by_assigned_user_language_and_overdue(window):
    unlock(window)
    services = window.services
    services.cases.open(languages=["uk"])
    window.cases.refresh()
    page = window.cases
    page.set_services(services)
    assert page.model.rowCount() == 2
    page.language.setCurrentIndex(page.language.findData("uk"))
    assert page.model.rowCount() == 1 and page.language.currentText() == "Ukrainian"
    page.language.setCurrentIndex(0)
    page.assigned.setCurrentIndex(page.assigned.findData("liaison"))
    assert page.model.rowCount() == 0 and page.message.text() == "0 cases."
    page.assigned.setCurrentIndex(0)
    page.overdue.setChecked(True)
    assert page.model.rowCount() == 0


def test_the_os_locking_the_screen_locks_the_vault(window):
    unlock(window)
    window.screen_lock.active_changed(False)  # the screensaver went away: nothing happens
    assert window.services is not None
    window.screen_lock.active_changed(True)
    assert window.services is None and window.stack.currentWidget() is window.locked
    unlock(window)
    window.screen_lock.session_lock()  # logind's Lock
    assert window.services is None


def test_a_new_case_and_its_survivor_from_the_gui(window):
    from intake_app.ui.overview_tab import PersonDialog

    unlock(window)
    page = window.cases

    def ukrainian(dialog):
        dialog.picker.set_codes(["uk"])

    accept_next_dialog(ukrainian)
    page.new_button.click()
    view = window.case_view
    assert view is not None and window.services.cases.get(view.reference).languages == ("uk",)

    def a_child(dialog):
        assert isinstance(dialog, PersonDialog)
        dialog.pseudonym.setText("Калина 4")
        dialog.age_range.setText("13-17")
        dialog.minor.setChecked(True)

    accept_next_dialog(a_child)
    view.overview.add_person()
    assert (
        view.overview.people.rowCount() == 1
        and view.overview.people.item(0, 1).text() == "Калина 4"
    )
    survivor = window.services.cases.survivor(view.reference)
    assert survivor.is_minor and survivor.legal_name is None
    accept_next_dialog(lambda dialog: None)  # accepted as it opens: no pseudonym
    view.overview.add_person()
    assert "pseudonym" in view.overview.message.text()


def test_with_the_real_thread_pool_unlock_and_search_run_in_workers(qtbot, gui_vault):
    import threading

    from intake_app.ui.tasks import ThreadPoolRunner

    vault_dir, options, _reference = gui_vault
    runner = ThreadPoolRunner()
    shell = ShellWindow(vault_dir, options, options.clock, runner)
    qtbot.addWidget(shell)
    threads, work = set(), set()
    original = runner.run

    def spy(fn, on_success, on_error):
        def wrapped():
            threads.add(threading.get_ident())
            work.add(fn.__qualname__)
            return fn()

        original(wrapped, on_success, on_error)

    runner.run = spy
    unlock(shell)
    assert (
        not shell.unlock_page.busy.isHidden() and not shell.unlock_page.button.isEnabled()
    )  # busy
    qtbot.waitUntil(lambda: shell.services is not None, timeout=10000)
    shell.cases.search.setText("الصباح")
    shell.cases.refresh()
    qtbot.waitUntil(lambda: shell.cases.message.text() == "1 case matches.", timeout=10000)
    assert threads and threading.get_ident() not in threads  # the work ran off the GUI thread
    assert shell.services.admin.events(limit=1)[0].action == "search.performed"
    shell.show_follow_up()  # reads across every case: built in a worker, shown when done
    qtbot.waitUntil(lambda: shell.follow_up.board is not None, timeout=10000)
    assert "FollowUpPage.refresh.<locals>.build" in work
    assert shell.follow_up.summary.text().startswith("Overdue:")
    shell.lock()
    runner.wait()


def test_every_control_has_a_name_and_takes_keyboard_focus(window):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTableView

    def check(root):
        for widget in root.findChildren(QWidget):
            if not isinstance(
                widget, (QLineEdit, QComboBox, QPlainTextEdit, QAbstractButton, QTableView)
            ):
                continue
            if isinstance(
                widget.parent(), (QComboBox, QLineEdit, QTableView)
            ) or widget.objectName().startswith("qt_"):
                continue  # Qt's own parts (a combo's editor, a clear button, a table's corner) are named by Qt
            name = widget.accessibleName() or (
                widget.text() if isinstance(widget, QAbstractButton) else ""
            )
            assert name.strip(), (
                f"{type(widget).__name__} in {type(root).__name__} has no accessible name"
            )
            assert widget.focusPolicy() != Qt.FocusPolicy.NoFocus, (
                f"{name} cannot be reached by keyboard"
            )

    check(window.unlock_page)
    check(window.first_run)
    unlock(window)
    check(window.cases)
    window.open_case(window.cases.model.record(0).reference)
    window.case_view.intake.start_form("survivor_profile")
    check(window.case_view)


def test_copied_testimony_is_marked_sensitive_and_cleared_on_lock(qtbot, window):
    unlock(window)
    window.open_case(window.cases.model.record(0).reference)
    editor = window.case_view.testimony.text
    editor.selectAll()
    editor.copy()  # what Ctrl+C and the context menu do
    data = QGuiApplication.clipboard().mimeData()
    assert QGuiApplication.clipboard().text() == "كان ذلك في الصباح"
    assert data.data("x-kde-passwordManagerHint").data() == b"secret"  # clipboard managers skip it
    assert data.hasFormat("application/x-nspasteboard-concealed-type")
    window.lock()
    assert QGuiApplication.clipboard().text() == ""


def test_the_users_own_clipboard_is_never_cleared(qtbot, window):
    unlock(window)
    window.clipboard.copy("our secret")
    QGuiApplication.clipboard().setText("the user's own note")  # copied elsewhere since
    window.lock()
    assert QGuiApplication.clipboard().text() == "the user's own note"


def test_owned_clipboard_content_expires(qtbot):
    from intake_app.ui.clipboard import SensitiveClipboard

    clipboard = SensitiveClipboard(clear_after_ms=50)
    clipboard.copy("recovery key")
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=2000)
