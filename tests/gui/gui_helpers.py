"""Helpers for driving the real widgets."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from support import PASSPHRASE

from intake_app.ui.shell import ShellWindow


def unlock(window: ShellWindow, user: str = "coord", passphrase: str = PASSPHRASE) -> None:
    page = window.unlock_page
    page.user.setCurrentText(user)
    page.passphrase.setText(passphrase)
    page.unlock()


def accept_next_dialog(inspect: Callable[[QDialog], None]) -> None:
    """When the next modal dialog opens, let ``inspect`` look at it and act, then accept it.

    Should ``inspect`` fail, the dialog is rejected: the test fails on the error (pytest-qt catches
    it) instead of waiting forever on a dialog nobody closes."""

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, handle)
            return
        assert isinstance(dialog, QDialog)
        try:
            inspect(dialog)
        except BaseException:
            dialog.reject()
            raise
        dialog.accept()

    QTimer.singleShot(0, handle)
