"""Adding a form to the vault (Vault menu, coordinators): an XLSForm file and the CSV or XML
files it reads, checked as ``forms add`` checks them; the dialog says what was added, or each
problem in the form's own cells, and adds nothing then."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError
from intake_app.core.i18n import _

if TYPE_CHECKING:
    from intake_app.core.services import Services


class AddFormDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("Add a form"))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.form_file = QLineEdit()
        self.form_file.setPlaceholderText(_("An XLSForm: .xlsx, .xls, .csv or .md"))
        self.form_file.setAccessibleName(_("The form file"))
        browse = QPushButton(_("Choose the form…"))
        browse.clicked.connect(self._choose_form)
        row.addWidget(self.form_file, 1)
        row.addWidget(browse)
        layout.addWidget(QLabel(_("The form")))
        layout.addLayout(row)
        layout.addWidget(QLabel(_("Media files it reads (CSV or XML lists), if any")))
        self.media = QListWidget()
        self.media.setAccessibleName(_("Media files"))
        layout.addWidget(self.media)
        media_row = QHBoxLayout()
        add_media = QPushButton(_("Add media files…"))
        add_media.clicked.connect(self._choose_media)
        remove_media = QPushButton(_("Remove"))
        remove_media.clicked.connect(lambda: self.media.takeItem(self.media.currentRow()))
        media_row.addWidget(add_media)
        media_row.addWidget(remove_media)
        media_row.addStretch()
        layout.addLayout(media_row)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Add the form"))
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def _choose_form(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the form"), "", _("XLSForms (*.xlsx *.xls *.csv *.md)")
        )
        if path:
            self.form_file.setText(path)

    def _choose_media(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, _("Media files"), "", _("CSV or XML files (*.csv *.xml)")
        )
        for path in paths:
            self.media.addItem(path)

    def add(self) -> bool:
        """Add the form and its media; the outcome in one sentence (the problems listed)."""
        path = self.form_file.text().strip()
        if not path:
            self.outcome.setText(_("Choose the form file first."))
            return False
        media = [Path(self.media.item(i).text()) for i in range(self.media.count())]
        try:
            added = self._services.form_definitions.add_file(Path(path), media)
        except IntakeError as exc:
            self.outcome.setText(exc.message)
            return False
        self.outcome.setText(
            _("Form {form} version {version} is in the vault ({languages}).").format(
                form=added.form_id, version=added.version, languages=", ".join(added.languages)
            )
        )
        return True
