"""Sealed export from the case workspace: the history, and a dialog that shows exactly what will
be included and withheld before anything is sealed, seals in the background, and shows the
result's fingerprint."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.clock import parse_iso
from intake_app.core.errors import IntakeError, InvalidInput
from intake_app.core.i18n import N_, _, _n, format_datetime
from intake_app.core.labels import PURPOSES
from intake_app.core.permissions import Permission
from intake_app.core.records import Purpose
from intake_app.core.services.export_job import ExportJob
from intake_app.core.services.export_view import is_media
from intake_app.core.services.exports import (
    SECTION_NAMES,
    ExportRequest,
    PreparedExport,
    SealedFile,
)
from intake_app.ui.tables import fill, record_table
from intake_app.ui.tasks import Runner

if TYPE_CHECKING:
    from intake_app.core.services import Services

PREVIEW_PAUSE_MS = 300  # the preview follows the justification once the typing pauses

PROTECTIONS = {
    "certificate": N_("Encrypt to the recipient's certificate"),
    "password": N_("Encrypt with a password (tell it to them another way)"),
}


def isolate(text: str) -> str:
    """A path or a hash kept in one piece inside right-to-left text (Unicode first-strong isolate)."""
    return f"\u2068{text}\u2069"


class ExportDialog(QDialog):
    """Choose recipient, purpose and protection; preview; seal; see the fingerprint."""

    def __init__(
        self, services: Services, reference: str, runner: Runner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services, self.reference, self.runner = services, reference, runner
        self.prepared: PreparedExport | None = None
        self.out_path: str | None = None  # set by tests instead of the file dialog
        self.result_sha256: str | None = None
        self.on_exported: Callable[[], None] | None = None
        self.setWindowTitle(_("Sealed export of case {reference}").format(reference=reference))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.recipient, self.purpose, self.protection = QComboBox(), QComboBox(), QComboBox()
        for recipient in services.recipients.list():
            self.recipient.addItem(f"{recipient.name} — {recipient.organisation}", recipient.name)
        for purpose in (Purpose.SHARE_INVESTIGATORS, Purpose.REFER_SERVICES):
            self.purpose.addItem(_(PURPOSES[purpose]), purpose.value)
        for key, label in PROTECTIONS.items():
            self.protection.addItem(_(label), key)
        self.password, self.password_again = QLineEdit(), QLineEdit()
        for field in (self.password, self.password_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.override = QPlainTextEdit()
        self.override.setPlaceholderText(
            _("Only when the survivor has not consented: the legal basis and why it applies.")
        )
        self.override.setMaximumHeight(70)
        self.fingerprint = QLabel()
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setWordWrap(True)
        rows = [
            (N_("Recipient"), self.recipient),
            (N_("Their certificate (confirm by phone)"), self.fingerprint),
            (N_("Purpose"), self.purpose),
            (N_("Protection"), self.protection),
            (N_("Password"), self.password),
            (N_("Password again"), self.password_again),
        ]
        if services.ctx.can(Permission.CONSENT_OVERRIDE):
            rows.append((N_("Override (coordinator)"), self.override))
        for label, widget in rows:
            form.addRow(_(label), widget)
            widget.setAccessibleName(_(label))
        layout.addLayout(form)
        self.evidence = QListWidget()
        self.evidence.setAccessibleName(_("Evidence files to carry inside"))
        if services.ctx.can(Permission.ATTACHMENT_READ):
            layout.addWidget(QLabel(_("Evidence files to carry inside (optional):")))
            for attachment in services.attachments.for_case(reference):
                item = QListWidgetItem(f"{attachment.filename} ({attachment.sha256[:12]}…)")
                item.setData(Qt.ItemDataRole.UserRole, attachment.id)
                item.setData(Qt.ItemDataRole.UserRole + 1, is_media(attachment))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.evidence.addItem(item)
            self.evidence.setMaximumHeight(90)
            layout.addWidget(self.evidence)
        layout.addWidget(QLabel(_("What the recipient will receive:")))
        self.preview = record_table(
            (N_("Part"), N_("Decision")), _("What the recipient will receive")
        )
        self.preview.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.preview)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName(_("Export status"))
        layout.addWidget(self.message)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: sealing reports steps, not percentages
        self.progress.hide()
        layout.addWidget(self.progress)
        buttons = QHBoxLayout()
        self.seal_button = QPushButton(_("Seal and save…"))
        self.close_button = QPushButton(_("Close"))
        self.seal_button.clicked.connect(self.seal)
        self.close_button.clicked.connect(self.reject)
        buttons.addStretch()
        buttons.addWidget(self.seal_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        for widget in (self.recipient, self.purpose, self.protection):
            widget.currentIndexChanged.connect(self.refresh)
        self.evidence.itemChanged.connect(self.refresh)
        # Typing a justification re-checks it once the typing pauses, not at every keystroke.
        self._pending_refresh = QTimer(self)
        self._pending_refresh.setSingleShot(True)
        self._pending_refresh.setInterval(PREVIEW_PAUSE_MS)
        self._pending_refresh.timeout.connect(self.refresh)
        self.override.textChanged.connect(self._pending_refresh.start)
        self.finished.connect(self._pending_refresh.stop)  # closed (by the lock too): no preview
        self.resize(720, 640)
        self.refresh()

    def request(self, password: bytes | None = None) -> ExportRequest:
        embed = tuple(
            self.evidence.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.evidence.count())
            if self.evidence.item(i).checkState() == Qt.CheckState.Checked
        )
        override = self.override.toPlainText().strip() or None
        return ExportRequest(
            reference=self.reference,
            recipient=str(self.recipient.currentData() or ""),
            purpose=Purpose(self.purpose.currentData()),
            password=password,
            override_justification=override,
            embed=embed,
        )

    def refresh(self) -> None:
        """Recompute the preview: the policy decides; nothing is sealed, nothing is audited."""
        self._pending_refresh.stop()
        password_mode = self.protection.currentData() == "password"
        self.password.setEnabled(password_mode)
        self.password_again.setEnabled(password_mode)
        self.preview.setRowCount(0)
        self.prepared = None
        if self.recipient.count() == 0:
            self._say(
                _("There are no recipients yet. A coordinator adds them with their certificate.")
            )
            self.seal_button.setEnabled(False)
            return
        try:
            recipient = self.services.recipients.get(str(self.recipient.currentData()))
            self.fingerprint.setText(recipient.fingerprint or _("no certificate: use a password"))
            placeholder = b"x" * 12 if password_mode else None  # checked for real when sealing
            self.prepared = self.services.exports.preview(self.request(placeholder))
        except IntakeError as exc:
            self._say(exc.message)
            self.seal_button.setEnabled(False)
            return
        policy = self.prepared.policy
        rows = [(_(SECTION_NAMES[s]), _(v.reason_key)) for s, v in policy.sections.items()]
        rows += [
            (
                _("Person: {who} ({role})").format(who=p.legal_name or p.pseudonym, role=_(p.role)),
                _(p.reason),
            )
            for p in self.prepared.view.people
        ]
        rows += [(_("Note"), _(w)) for w in self.prepared.view.warnings]
        fill(self.preview, rows)
        self.preview.resizeColumnToContents(0)
        self._say(
            _("{count} sealed statement versions; {answers} forms; {files} files listed.").format(
                count=len(self.prepared.view.statements),
                answers=len(self.prepared.view.answers),
                files=len(self.prepared.view.attachments),
            )
        )
        self.seal_button.setEnabled(True)

    def seal(self) -> None:
        password = None
        try:
            if self.protection.currentData() == "password":
                if self.password.text() != self.password_again.text():
                    raise InvalidInput(_("The two passwords differ."))
                password = self.password.text().encode()
            request = self.request(password)
            self.services.exports.preview(request)  # refusals said before a file is chosen
        except IntakeError as exc:
            self._say(exc.message)
            return
        path = (
            self.out_path
            or QFileDialog.getSaveFileName(
                self, _("Save the sealed file"), f"{self.reference}.pdf", "PDF (*.pdf)"
            )[0]
        )
        if not path:
            return
        try:  # the audited reading, once per export
            job = ExportJob(self.services, request, path)
        except IntakeError as exc:
            self._say(exc.message)
            return
        self.seal_button.setEnabled(False)
        self.progress.show()
        self._say(_("Laying out, encrypting and signing…"))
        # The sealing touches no vault connection of this thread (S35 checked the case in
        # prepare and checks it again in record); writing and recording come back here.
        self.runner.run(job.seal, lambda sealed: self._sealed(job, sealed), self._failed)

    def _sealed(self, job: ExportJob, sealed: SealedFile) -> None:
        self.progress.hide()
        try:  # a file that could not be recorded is removed again, whatever the failure
            job.save(sealed)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes one sentence
            self._failed(exc)
            return
        path = job.path or ""
        self.result_sha256 = sealed.sha256
        if self.on_exported is not None:
            self.on_exported()
        message = _("Sealed and saved: {path}\nSHA-256 of the file: {sha256}").format(
            path=isolate(path), sha256=isolate(sealed.sha256)
        )
        if sealed.missing_glyphs:
            message += "\n" + _n(
                "{count} character has no font here and shows as a box; check the file.",
                "{count} characters have no font here and show as boxes; check the file.",
                sealed.missing_glyphs,
            ).format(count=sealed.missing_glyphs)
        self._say(message)
        self.seal_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.seal_button.setEnabled(True)
        message = error.message if isinstance(error, IntakeError) else None
        self._say(
            message
            or _("Sealing failed ({kind}); nothing was saved.").format(kind=type(error).__name__)
        )

    def _say(self, text: str) -> None:
        self.message.setText(text)


class ExportsTab(QWidget):
    """The case's export history, and the way to make a new sealed export."""

    HEADERS = (N_("Time"), N_("Recipient"), N_("Purpose"), N_("Protection"), N_("SHA-256"))

    def __init__(self, services: Services, reference: str, runner: Runner) -> None:
        super().__init__()
        self.services, self.reference, self.runner = services, reference, runner
        layout = QVBoxLayout(self)
        self.table = record_table(self.HEADERS, _("Exports of this case"))
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.export_button = QPushButton(_("New sealed export…"))
        self.export_button.clicked.connect(lambda: self.new_export())
        self.export_button.setVisible(services.ctx.can(Permission.EXPORT))
        row.addStretch()
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        fill(
            self.table,
            (
                (
                    format_datetime(parse_iso(r.exported_at), width="short"),
                    r.recipient_name,
                    _(PURPOSES[r.purpose]),
                    _(PROTECTIONS[r.protection]),
                    r.file_sha256,
                )
                for r in self.services.exports.history(self.reference)
            ),
        )

    def new_export(self) -> ExportDialog:
        dialog = ExportDialog(self.services, self.reference, self.runner, self)
        dialog.on_exported = self.reload
        dialog.open()
        return dialog
