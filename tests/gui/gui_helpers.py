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
    """When the next modal dialog opens, let ``inspect`` look at it and act, then accept it."""

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, handle)
            return
        inspect(dialog)
        dialog.accept()

    QTimer.singleShot(0, handle)
