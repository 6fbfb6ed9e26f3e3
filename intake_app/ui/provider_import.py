"""Importing the directory of service providers from CSV (Vault menu, coordinators; the referrals
tab's button goes the same way): the file is checked as every file a user hands in (S40: a pipe,
a folder, a huge file or a spreadsheet is refused in one sentence), then all rows or none are
added, and the dialog lists what was added or each rejected row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListView,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.choices import valid_list
from intake_app.core.errors import IntakeError
from intake_app.core.i18n import _, _n, is_rtl
from intake_app.core.labels import PROVIDER_TYPES
from intake_app.core.provider_csv import MAX_CSV, DirectoryRejected
from intake_app.core.records import ProviderType
from intake_app.core.user_files import read_capped

if TYPE_CHECKING:
    from intake_app.core.services import Services


@dataclass(frozen=True)
class ImportOutcome:
    """One sentence for a status line, and one line per provider added or row rejected."""

    summary: str
    lines: tuple[str, ...] = field(default=())
    imported: bool = False


def import_file(services: Services, path: str) -> ImportOutcome:
    try:
        data = read_capped(path, MAX_CSV, _("a directory of providers"))
        added, skipped = services.referrals.import_providers(data)
    except DirectoryRejected as exc:
        return ImportOutcome(
            _n(
                "Nothing was imported: {count} row must be corrected first.",
                "Nothing was imported: {count} rows must be corrected first.",
                len(exc.problems),
            ).format(count=len(exc.problems)),
            exc.problems,
        )
    except IntakeError as exc:
        # The path inside the sentence keeps its own order in an Arabic one (FSI … PDI): the
        # bidi algorithm would move its leading slash to the end. Only here: a terminal is shown
        # no such marks.
        return ImportOutcome(exc.message.replace(path, "\u2068" + path + "\u2069"))
    summary = (
        _n("{count} provider added.", "{count} providers added.", len(added)).format(
            count=len(added)
        )
        + " "
        + _n(
            "{count} already in the directory, left as it was.",
            "{count} already in the directory, left as they were.",
            skipped,
        ).format(count=skipped)
    )
    lines = tuple(
        _("Added: {organisation} ({type})").format(
            organisation=p.organisation, type=_(PROVIDER_TYPES[p.type])
        )
        for p in added
    )
    return ImportOutcome(summary, lines, imported=True)


class ProviderImportDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("Import providers"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        explain = QLabel(
            _(
                "A CSV file (UTF-8) with a header row: type and organisation, and optionally "
                "contact, languages, locations and notes. The type is one of: {types}. One wrong "
                "row and nothing is imported: every problem is listed here."
            ).format(types=valid_list(ProviderType, None))
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.choose_button = QPushButton(_("Choose a CSV file…"))
        self.choose_button.clicked.connect(lambda: self.choose())
        layout.addWidget(self.choose_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(_("Message"))
        layout.addWidget(self.summary)
        self.details = QListWidget()
        self.details.setAccessibleName(_("Providers added or rows rejected"))
        self.details.setVisible(False)
        self.details.setWordWrap(True)  # a row's problem names every valid type: it is long
        self.details.setResizeMode(QListView.ResizeMode.Adjust)
        self.details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.details, 10)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choose(self) -> None:
        path = QFileDialog.getOpenFileName(
            self, _("Import providers"), "", _("CSV files (*.csv);;All files (*)")
        )[0]
        if path:
            self.load(path)

    def load(self, path: str) -> ImportOutcome:
        outcome = import_file(self._services, path)
        # A sentence that begins with a path or a code would be laid out left to right in an
        # Arabic window: the mark makes the paragraph follow the interface.
        mark = "\u200f" if is_rtl() else ""
        self.summary.setText(mark + outcome.summary)
        self.details.clear()
        self.details.addItems([mark + line for line in outcome.lines])
        self.details.setVisible(bool(outcome.lines))
        return outcome
