"""Opening a case starts with the survivor's languages: forms, consent "explained in",
statements and letters start in the first one (design §4, the case's languages follow its
people)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from intake_app.core.i18n import _, current_language
from intake_app.ui.language_picker import LanguagePicker


class NewCaseDialog(QDialog):
    """The interface language is ticked to start with; OK needs at least one language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New case"))
        layout = QVBoxLayout(self)
        question = QLabel(
            _(
                "Which languages does the survivor speak? Tick each one; the first is used for "
                "forms, consent, statements and letters."
            )
        )
        question.setWordWrap(True)
        self.picker = LanguagePicker([current_language()])
        question.setBuddy(self.picker.filter)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Open the case"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.picker.changed.connect(self._allow)
        layout.addWidget(question)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.buttons)
        self.resize(440, 420)
        self._allow()

    def languages(self) -> list[str]:
        return self.picker.codes()

    def _allow(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.picker.codes()))
