"""S43 in the window: creating a vault or changing a passphrase refuses what the meter calls weak,
with the reason, and changes nothing."""

from __future__ import annotations

from gui_helpers import unlock
from support import PASSPHRASE, cheap_options

from intake_app.ui.shell import ShellWindow
from intake_app.ui.tasks import ImmediateRunner


def test_first_run_refuses_a_weak_passphrase_with_the_reason(qtbot, tmp_path):
    options = cheap_options()
    shell = ShellWindow(tmp_path / "new", options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    page = shell.first_run
    page.username.setText("amira")
    page.passphrase.setText("password123")
    page.confirm.setText("password123")
    assert page.meter.format() == "weak"
    page.create_vault()
    assert "weak" in page.message.text() and "common word" in page.message.text()
    assert shell.stack.currentWidget() is shell.first_run
    assert not (tmp_path / "new" / "vault.keys").exists()


def test_changing_to_a_weak_passphrase_is_refused_with_the_reason(window):
    unlock(window)
    change = window.change_passphrase()
    change.current.setText(PASSPHRASE)
    change.new.setText("abcdefgh")
    change.confirm.setText("abcdefgh")
    change.change()
    assert "too easy to guess" in change.message.text()
    change.close()
    window.lock()
    unlock(window)  # the old passphrase still opens it
