"""Issue 16 item 9, through the Users dialog: removing asks first, the role is chosen for every
new user, a role can be changed, and the dialog opens wide enough to read."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from intake_app.core.records import Role
from intake_app.ui.users_dialog import UsersDialog

NEW = "a brand new passphrase for the second amira"


def _select(dialog: UsersDialog, username: str) -> None:
    for row in range(dialog.table.rowCount()):
        if dialog.table.item(row, 0).text() == username:
            dialog.table.setCurrentCell(row, 0)
            return
    raise AssertionError(username)


def _add(dialog: UsersDialog, username: str, role: Role) -> None:
    dialog.username.setText(username)
    dialog.display_name.setText(username.title())
    dialog.role.setCurrentIndex(dialog.role.findData(role.value))
    dialog.passphrase.setText(NEW)
    dialog.confirm.setText(NEW)
    dialog.add_button.click()


def test_removing_asks_first_and_cancel_changes_nothing(qtbot, coordinator, monkeypatch):
    dialog = UsersDialog(coordinator)
    qtbot.addWidget(dialog)
    _add(dialog, "amira", Role.LIAISON)
    asked: list[str] = []

    def answer(reply):
        def ask(parent, title, text, *args, **kwargs):
            asked.append(text)
            return reply

        return ask

    _select(dialog, "amira")
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    dialog.remove_button.click()
    assert asked and "amira" in asked[0]
    assert not {u.username: u for u in coordinator.users.list()}["amira"].removed_at
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    dialog.remove_button.click()
    assert {u.username: u for u in coordinator.users.list()}["amira"].removed_at
    _add(dialog, "amira", Role.ADVOCATE)  # the name is free again
    assert "amira" in dialog.message.text() and "advocate" in dialog.message.text()


def test_the_role_is_chosen_for_each_new_user_and_can_be_changed(qtbot, coordinator):
    dialog = UsersDialog(coordinator)
    qtbot.addWidget(dialog)
    assert dialog.role.currentIndex() == -1
    dialog.username.setText("nobody")
    dialog.passphrase.setText(NEW)
    dialog.confirm.setText(NEW)
    dialog.add_button.click()
    assert "role" in dialog.message.text()
    assert "nobody" not in {u.username for u in coordinator.users.list()}
    _add(dialog, "amira", Role.COORDINATOR)
    assert dialog.role.currentIndex() == -1  # the last choice is not kept for the next user
    _select(dialog, "amira")
    dialog.new_role.setCurrentIndex(dialog.new_role.findData(Role.INVESTIGATOR.value))
    dialog.role_button.click()
    assert {u.username: u.role for u in coordinator.users.list()}["amira"] is Role.INVESTIGATOR
    _select(dialog, "coord")
    dialog.new_role.setCurrentIndex(dialog.new_role.findData(Role.ADVOCATE.value))
    dialog.role_button.click()
    assert "own role" in dialog.message.text()


def test_the_dialog_opens_wide_enough_to_read(qtbot, coordinator):
    dialog = UsersDialog(coordinator)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= 760 and dialog.height() >= 520


def test_a_coordinator_sets_the_idle_lock_and_the_window_follows_it(qtbot, gui_vault):
    from gui_helpers import unlock

    from intake_app.ui.shell import ShellWindow
    from intake_app.ui.tasks import ImmediateRunner

    vault_dir, options, _reference = gui_vault
    shell = ShellWindow(vault_dir, options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    unlock(shell)
    assert shell.idle_lock_action.isVisible()  # a coordinator sees it
    assert shell.idle_timer.interval() == 5 * 60_000
    dialog = shell.set_idle_lock()
    assert dialog is not None and dialog.minutes.value() == 5
    dialog.minutes.setValue(2)
    dialog.save()
    assert shell.idle_timer.interval() == 2 * 60_000
    shell.lock()
    assert not shell.idle_lock_action.isVisible()
    unlock(shell)
    assert shell.idle_timer.interval() == 2 * 60_000  # kept in the vault
    assert shell.services.admin.idle_lock_minutes() == 2
