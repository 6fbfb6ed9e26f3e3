"""Check a sealed file, as its recipient would: drop it on the window, give the signer's
certificate and the password or the recipient's key; with the vault open, match it to its record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError, InvalidInput
from intake_app.core.export.keys import certificate_from_bytes, private_key_der
from intake_app.core.export.sealing import SealCheck, verify_sealed_pdf
from intake_app.core.i18n import N_, _
from intake_app.core.services.exports import match_line
from intake_app.core.services.recipients import load_certificate
from intake_app.core.user_files import read_capped
from intake_app.ui.tasks import Runner

if TYPE_CHECKING:
    from intake_app.core.services import Services

MAX_SEALED = 512 * 1024 * 1024
MAX_KEY = 64 * 1024


class PathField(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(title)
        browse = QPushButton(_("Choose…"))
        browse.setAccessibleName(_("Choose a file for: {what}").format(what=title))
        browse.clicked.connect(
            lambda: self.edit.setText(
                QFileDialog.getOpenFileName(self, title)[0] or self.edit.text()
            )
        )
        layout.addWidget(self.edit)
        layout.addWidget(browse)

    def path(self) -> str:
        return self.edit.text().strip()


class VerifyDialog(QDialog):
    def __init__(
        self, runner: Runner, services: Services | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner, self.services = runner, services
        self.check: SealCheck | None = None
        self.setWindowTitle(_("Check a sealed file"))
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Drop a sealed PDF here, or choose it.")))
        form = QFormLayout()
        self.file = PathField(_("Sealed file"))
        self.signer = PathField(_("Signer's certificate"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.key = PathField(_("Recipient's private key"))
        self.cert = PathField(_("Recipient's certificate"))
        for label, widget in (
            (N_("Sealed file"), self.file),
            (N_("Signer's certificate"), self.signer),
            (N_("Password (if sealed with one)"), self.password),
            (N_("Recipient's private key"), self.key),
            (N_("Recipient's certificate"), self.cert),
        ):
            form.addRow(_(label), widget)
        self.password.setAccessibleName(_("Password (if sealed with one)"))
        layout.addLayout(form)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setAccessibleName(_("Result of the check"))
        layout.addWidget(self.result_label)
        buttons = QHBoxLayout()
        self.check_button = QPushButton(_("Check"))
        self.check_button.clicked.connect(self.run_check)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons.addStretch()
        buttons.addWidget(self.check_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(640, 360)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.file.edit.setText(urls[0])
            event.acceptProposedAction()

    def run_check(self) -> None:
        try:
            data = _read(self.file.path(), MAX_SEALED, _("a sealed file"))
            signer = load_certificate(_read(self.signer.path(), MAX_KEY, _("a certificate")))
            password = self.password.text().encode() or None
            key = cert = None
            if password is None:
                if not (self.key.path() and self.cert.path()):
                    raise InvalidInput(
                        _("Give the password, or the recipient's key and certificate.")
                    )
                key = private_key_der(_read(self.key.path(), MAX_KEY, _("a private key")))
                cert = certificate_from_bytes(_read(self.cert.path(), MAX_KEY, _("a certificate")))
        except IntakeError as exc:
            self._show(False, exc.message)
            return
        self.check_button.setEnabled(False)
        self._show(None, _("Checking…"))
        self.runner.run(
            lambda: verify_sealed_pdf(
                data, signer, password=password, recipient_key_der=key, recipient_certificate=cert
            ),
            lambda check: self._checked(check, data),
            self._failed,
        )

    def _checked(self, check: SealCheck, data: bytes) -> None:
        self.check = check
        self.check_button.setEnabled(True)
        lines = check.summary()
        if self.services is not None and self.services.ctx.vault.is_open:
            lines.append(match_line(self.services.exports.find_by_file(data)))
        self._show(True, "\n".join(lines))

    def _failed(self, error: BaseException) -> None:
        self.check = None
        self.check_button.setEnabled(True)
        message = error.message if isinstance(error, IntakeError) else type(error).__name__
        self._show(False, _("NOT VALID: {reason}").format(reason=message))

    def _show(self, valid: bool | None, text: str) -> None:
        colour = {True: "#1b5e20", False: "#b71c1c", None: ""}[valid]
        self.result_label.setStyleSheet(f"color: {colour};" if colour else "")
        self.result_label.setText(text)


def _read(path: str, limit: int, what: str) -> bytes:
    if not path:
        raise InvalidInput(_("Choose the file first."))
    return read_capped(path, limit, what)
