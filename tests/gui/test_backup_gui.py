"""Back up now… (S27): a verified backup from the window, with progress, and the weekly reminder."""

from __future__ import annotations

from gui_helpers import unlock
from support import PASSPHRASE

from intake_app.core.vault.backup import restore_backup


def test_a_coordinator_backs_up_from_the_window_and_the_reminder_goes(window, gui_vault, tmp_path):
    _vault_dir, options, _reference = gui_vault
    unlock(window)
    assert window.backup_action.isVisible()
    assert not window.backup_reminder_bar.isHidden()  # never backed up: reminded
    dialog = window.back_up()
    assert "never been backed up" in dialog.last.text()
    out = tmp_path / "monday.tar"
    dialog.path.setText(str(out))
    dialog.start()
    assert "written and verified" in dialog.message.text()
    assert "Last verified backup" in dialog.last.text()
    dialog.start()  # a second time: the file exists, nothing is overwritten
    assert "never overwrites" in dialog.message.text()
    dialog.close()
    assert window.backup_reminder_bar.isHidden()
    events = window.services.admin.events(limit=5)
    assert "vault.backup" in [e.action for e in events]
    window.lock()
    report = restore_backup(out, tmp_path / "restored", "coord", PASSPHRASE, options)
    assert report.ok
    # A week later the reminder is back.
    options.clock.advance(days=8)
    unlock(window)
    assert not window.backup_reminder_bar.isHidden()


def test_other_roles_neither_back_up_nor_are_reminded(window):
    unlock(window, "liaison", PASSPHRASE + "liaison")
    assert not window.backup_action.isVisible()
    assert window.backup_reminder_bar.isHidden()
    dialog = window.back_up()  # the service refuses what the menu hides
    dialog.start()
    assert "does not allow" in dialog.message.text()


def test_locking_stops_a_backup_under_way(window, gui_vault, tmp_path):
    unlock(window)
    dialog = window.back_up()
    dialog.path.setText(str(tmp_path / "stopped.tar"))
    dialog.close()  # as a lock does: whatever is under way stops at its next page
    dialog.start()
    assert not (tmp_path / "stopped.tar").exists()
    assert list(tmp_path.glob(".stopped.tar*")) == []
