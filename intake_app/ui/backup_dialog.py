"""Back up now…: a verified backup written by a worker on its own reader, with progress, while the
window stays usable (S27). The check and the copy are one pass (core/vault/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError, InvalidInput
from intake_app.core.i18n import _, _n, format_day
from intake_app.ui.access import user_message
from intake_app.ui.tasks import Runner

if TYPE_CHECKING:
    from intake_app.core.services import Services


def isolated(text: str) -> str:
    """A path inside a sentence keeps its own left-to-right order in an Arabic one (FSI … PDI):
    without it, the bidi algorithm moved its leading slash to the end."""
    return "\u2068" + text + "\u2069"


class _Progress(QObject):
    """Carries the worker's progress to the GUI thread (a queued signal)."""

    moved = Signal(int, int)


class BackupDialog(QDialog):
    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.runner = services, runner
        self._stopped = False
        self._running = False
        self.setWindowTitle(_("Back up the vault"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "A backup is an encrypted copy of the whole vault, opened with the same "
                "passphrases. It is checked page by page as it is written. Keep it on a drive "
                "apart from this laptop."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.last = QLabel(self._last_text())
        self.last.setWordWrap(True)
        layout.addWidget(self.last)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Backup file"))
        today = services.ctx.clock.now().date().isoformat()
        self.path.setText(str(Path.home() / f"intake_app-backup-{today}.tar"))
        self.choose = QPushButton(_("Choose…"))
        self.choose.setAccessibleName(_("Choose a file for: {what}").format(what=_("Backup file")))
        self.choose.clicked.connect(self._choose)
        row.addWidget(self.path)
        row.addWidget(self.choose)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Backup progress"))
        self.progress.hide()
        layout.addWidget(self.progress)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.start_button = QPushButton(_("Back up now"))
        self.start_button.clicked.connect(self.start)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.close)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._signals = _Progress()
        self._signals.moved.connect(self._moved)

    def _last_text(self) -> str:
        last = self.services.admin.last_backup()
        if last is None:
            return _("This vault has never been backed up.")
        return _("Last verified backup: {day}.").format(day=format_day(last.date().isoformat()))

    def _choose(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the backup"), self.path.text(), _("Backups (*.tar)")
        )
        if chosen:
            self.path.setText(chosen)

    def start(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.message.setText(_("Choose where to save the backup."))
            return
        out = Path(text)
        if out.exists():
            self.message.setText(_("That file already exists; a backup never overwrites a file."))
            return
        try:
            job = self.services.admin.prepare_backup()
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self._running = True
        self.start_button.setEnabled(False)
        self.progress.setRange(0, 0)  # the rows are checked first: no measure of it yet
        self.progress.show()
        self.message.setText(_("Checking the vault and writing the backup…"))
        signals = self._signals

        def report(done: int, total: int) -> None:
            if self._stopped:  # the dialog closed or the vault locked: stop, write nothing
                raise InvalidInput(_("The backup was stopped; nothing was written."))
            signals.moved.emit(done // 4096, total // 4096)

        admin = self.services.admin
        self.runner.run(lambda: admin.run_backup(job, out, report), self._done, self._failed)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, manifest: dict[str, Any]) -> None:
        self._running = False
        self.progress.hide()
        if self._stopped or not self.services.ctx.vault.is_open:
            return
        self.services.admin.record_backup(manifest)
        self.message.setText(
            _n(
                "Backup written and verified: {file} ({events} audit event).",
                "Backup written and verified: {file} ({events} audit events).",
                manifest["audit_seq"],
            ).format(file=isolated(self.path.text().strip()), events=manifest["audit_seq"])
        )
        self.last.setText(self._last_text())
        self.start_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self._running = False
        self.progress.hide()
        self.start_button.setEnabled(True)
        if not self._stopped:
            self.message.setText(user_message(error))

    def done(self, result: int) -> None:  # closing (or a lock) stops a backup under way
        self._stopped = True
        super().done(result)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self._stopped = True
        super().closeEvent(event)
