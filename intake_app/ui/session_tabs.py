"""Interview sessions (start, breaks with reasons, stop early on the survivor's word) and
attachments (added inside the vault, fingerprint shown; originals never change)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError
from intake_app.core.i18n import N_, _, format_moment, format_number
from intake_app.core.records import InterviewSession
from intake_app.ui.dialogs import ReasonDialog, accepted

if TYPE_CHECKING:
    from intake_app.core.services import Services

SESSION_STATES = {"active": N_("in progress"), "paused": N_("on a break"), "ended": N_("ended")}


class InterviewTab(QWidget):
    HEADERS = (N_("Started"), N_("State"), N_("Interpreter"), N_("Breaks"), N_("Stopped early"))

    def __init__(self, services: Services, reference: str) -> None:
        super().__init__()
        self._services, self._reference = services, reference
        self._sessions: list[InterviewSession] = []
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.interpreter, self.present, self.location = QLineEdit(), QLineEdit(), QLineEdit()
        for label, field in (
            (_("Interpreter"), self.interpreter),
            (_("Persons present"), self.present),
            (_("Place"), self.location),
        ):
            field.setAccessibleName(label)
            form.addRow(label, field)
        self.present.setPlaceholderText(_("Separate names or roles with commas"))
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.start_button, self.pause_button = (
            QPushButton(_("Start the interview")),
            QPushButton(_("Break…")),
        )
        self.resume_button, self.end_button = QPushButton(_("Resume")), QPushButton(_("End"))
        self.stop_button = QPushButton(_("Stop early…"))
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.pause)
        self.resume_button.clicked.connect(self.resume)
        self.end_button.clicked.connect(lambda: self.end())
        self.stop_button.clicked.connect(self.stop_early)
        for button in (
            self.start_button,
            self.pause_button,
            self.resume_button,
            self.end_button,
            self.stop_button,
        ):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(_("Interview sessions"))
        layout.addWidget(self.table)
        self.message = QLabel()
        layout.addWidget(self.message)
        self.reload()

    @property
    def current(self) -> InterviewSession | None:
        return next((s for s in reversed(self._sessions) if s.status != "ended"), None)

    def reload(self) -> None:
        self._sessions = self._services.interviews.for_case(self._reference)
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.setRowCount(len(self._sessions))
        for row, session in enumerate(self._sessions):
            values = (
                format_moment(session.started_at),
                _(SESSION_STATES[session.status]),
                session.interpreter or "—",
                str(len(session.breaks)),
                _("yes: {instruction}").format(instruction=session.survivor_instruction)
                if session.stopped_early
                else _("no"),
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        current = self.current
        self.start_button.setEnabled(current is None)
        self.pause_button.setEnabled(current is not None and current.status == "active")
        self.resume_button.setEnabled(current is not None and current.status == "paused")
        self.end_button.setEnabled(current is not None)
        self.stop_button.setEnabled(current is not None)

    def _do(self, action: Callable[[], object]) -> None:
        try:
            action()
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.clear()
        self.reload()

    def start(self) -> None:
        present = [p.strip() for p in self.present.text().split(",") if p.strip()]
        self._do(
            lambda: self._services.interviews.start(
                self._reference,
                interpreter=self.interpreter.text().strip() or None,
                persons_present=present,
                location=self.location.text().strip() or None,
            )
        )

    def pause(self) -> None:
        current = self.current
        if current is None:
            return
        dialog = ReasonDialog(_("A break"), _("Why is the interview paused?"), self)
        if accepted(dialog):
            self._do(lambda: self._services.interviews.pause(current.id, dialog.reason()))

    def resume(self) -> None:
        current = self.current
        if current is not None:
            self._do(lambda: self._services.interviews.resume(current.id))

    def end(self) -> None:
        current = self.current
        if current is not None:
            self._do(lambda: self._services.interviews.end(current.id))

    def stop_early(self) -> None:
        current = self.current
        if current is None:
            return
        dialog = ReasonDialog(
            _("Stop the interview early"),
            _("In the survivor's words: what may still be used of what was said?"),
            self,
        )
        if accepted(dialog):
            self._do(
                lambda: self._services.interviews.end(
                    current.id, stopped_early=True, survivor_instruction=dialog.reason()
                )
            )


class AttachmentsTab(QWidget):
    HEADERS = (N_("File"), N_("Type"), N_("Size"), N_("SHA-256"))

    def __init__(
        self,
        services: Services,
        reference: str,
        choose_file: Callable[[QWidget], Path | None] | None = None,
    ) -> None:
        super().__init__()
        self._services, self._reference = services, reference
        self._choose = choose_file or _ask_file
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(_("Attachments"))
        self.table.doubleClicked.connect(lambda _i: self.view())
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.message = QLabel()
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.add_button, self.view_button = QPushButton(_("Add a file…")), QPushButton(_("View"))
        self.add_button.clicked.connect(self.add)
        self.view_button.clicked.connect(self.view)
        row.addWidget(self.message, 1)
        row.addWidget(self.view_button)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self._rows = self._services.attachments.for_case(self._reference)
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.setRowCount(len(self._rows))
        for index, item in enumerate(self._rows):
            for column, value in enumerate(
                (item.filename, item.media_type, format_number(item.size), item.sha256)
            ):
                self.table.setItem(index, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def add(self) -> None:
        path = self._choose(self)
        if path is None:
            return
        try:
            attachment = self._services.attachments.add_file(self._reference, path)
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(
            _("Added {file} · SHA-256 {digest}").format(
                file=attachment.filename, digest=attachment.sha256
            )
        )
        self.reload()

    def view(self) -> QDialog | None:
        """Images and text are shown inside the app; nothing is written out to open it elsewhere."""
        row = self.table.currentRow()
        if not 0 <= row < len(self._rows):
            return None
        attachment = self._rows[row]
        try:
            data = self._services.attachments.read(attachment.id)
        except IntakeError as exc:
            self.message.setText(exc.message)
            return None
        dialog = QDialog(self)
        dialog.setWindowTitle(attachment.filename)
        layout = QVBoxLayout(dialog)
        if attachment.media_type.startswith("image/"):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(QImage.fromData(data)))
            area = QScrollArea()
            area.setWidget(label)
            layout.addWidget(area)
        elif attachment.media_type == "text/plain":
            text = QPlainTextEdit(data.decode("utf-8", errors="replace"))
            text.setReadOnly(True)
            layout.addWidget(text)
        else:
            layout.addWidget(QLabel(_("This kind of file cannot be shown inside intake_app.")))
        dialog.resize(700, 500)
        dialog.show()
        return dialog


def _ask_file(parent: QWidget) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(parent, _("Add a file"))
    return Path(chosen) if chosen else None
