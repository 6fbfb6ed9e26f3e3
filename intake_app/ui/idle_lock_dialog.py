"""Vault → Idle lock… (coordinators): how many minutes without input lock the window, for
everyone who opens this vault (1–30, default 5; audited by the service)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError
from intake_app.core.i18n import _
from intake_app.core.services.admin import IDLE_LOCK_RANGE

if TYPE_CHECKING:
    from intake_app.core.services import Services


class IdleLockDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("Idle lock"))
        layout = QVBoxLayout(self)
        explain = QLabel(
            _(
                "The window locks itself when nobody has typed or moved the mouse for this "
                "long. A shorter time protects an unattended laptop; the setting applies to "
                "everyone who opens this vault."
            )
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        self.minutes = QSpinBox()
        self.minutes.setRange(IDLE_LOCK_RANGE.start, IDLE_LOCK_RANGE.stop - 1)
        self.minutes.setValue(services.admin.idle_lock_minutes())
        label = _("Minutes without input before the window locks")
        self.minutes.setAccessibleName(label)
        form.addRow(label, self.minutes)  # the unit in the label: a suffix breaks in Arabic
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.chosen: int | None = None

    def save(self) -> None:
        try:
            self.chosen = self._services.admin.set_idle_lock_minutes(self.minutes.value())
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.accept()
