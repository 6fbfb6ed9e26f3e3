"""Opening a vault in the real window: what opening noticed reaches the user."""

from __future__ import annotations

import pytest
from gui_helpers import unlock
from PySide6.QtWidgets import QMessageBox
from support import cheap_options, create_vault

from intake_app.ui.shell import ShellWindow
from intake_app.ui.tasks import ImmediateRunner

pytestmark = pytest.mark.gui


def test_a_key_file_repaired_from_its_copy_is_said_after_unlocking(qtbot, tmp_path):
    options = cheap_options()
    services, _key = create_vault(tmp_path / "vault", options)
    services.lock()
    keys = tmp_path / "vault" / "vault.keys"
    keys.write_bytes(keys.read_bytes()[:100])  # the primary damaged; its mirror intact
    shell = ShellWindow(tmp_path / "vault", options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    shell.show()
    unlock(shell)
    assert shell.stack.currentWidget() is shell.cases  # opened, not blocked by the notice
    (box,) = shell.findChildren(QMessageBox)
    assert box.isVisible()
    assert box.text() == "The vault's key file was damaged and has been repaired from its copy."
    shell.lock()
    assert not box.isVisible()  # the lock closes it like every dialog


def test_an_ordinary_unlock_says_nothing_more(qtbot, tmp_path):
    options = cheap_options()
    services, _key = create_vault(tmp_path / "vault", options)
    services.lock()
    shell = ShellWindow(tmp_path / "vault", options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    unlock(shell)
    assert shell.services is not None and shell.findChildren(QMessageBox) == []
    shell.lock()
