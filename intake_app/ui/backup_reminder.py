"""The status bar's reminder to a coordinator: the last verified backup is more than a week old."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.ui.tasks import Runner, with_reader

if TYPE_CHECKING:
    from intake_app.core.services import Services


class BackupReminder(QWidget):
    def __init__(self, runner: Runner, back_up: Callable[[], object]) -> None:
        super().__init__()
        self._runner = runner
        self._services: Services | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.button = QPushButton()
        self.button.clicked.connect(lambda: back_up())
        row.addWidget(self.label)
        row.addWidget(self.button)
        self.hide()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.label.setText(_("The last verified backup is more than a week old, or there is none."))
        self.button.setText(_("Back up now…"))

    def check(self, services: Services | None) -> None:
        """Shown to those who may back up when the audit log, read by a worker (a vault never
        backed up is read whole), says the last backup is older than a week; None hides it."""
        self._services = services
        if services is None or not services.ctx.can(Permission.BACKUP):
            self.hide()
            return

        def show(overdue: bool) -> None:
            self.setVisible(overdue and self._services is services)

        self._runner.run(
            with_reader(services.ctx.vault.reader(), services.admin.backup_overdue),
            show,
            lambda _error: None,
        )
