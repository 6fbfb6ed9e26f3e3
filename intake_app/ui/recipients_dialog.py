"""Recipients of sealed exports (coordinators add them, with their certificate and fingerprint)
and one's own signing certificate, to hand to recipients."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
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

from intake_app.core.consent import RECIPIENT_CATEGORIES
from intake_app.core.errors import IntakeError
from intake_app.core.i18n import N_, SHIPPED_LANGUAGES, _, language_name
from intake_app.core.labels import SCOPE_WORDS
from intake_app.core.permissions import Permission
from intake_app.core.user_files import read_capped, write_new_file
from intake_app.ui.tables import fill, record_table

if TYPE_CHECKING:
    from intake_app.core.services import Services

MAX_CERTIFICATE = 64 * 1024


class RecipientsDialog(QDialog):
    HEADERS = (N_("Name"), N_("Organisation"), N_("Category"), N_("Language"), N_("Fingerprint"))

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("Recipients and my signing certificate"))
        layout = QVBoxLayout(self)
        self.table = record_table(self.HEADERS, _("Recipients"))
        layout.addWidget(self.table)
        self.form = QWidget()
        form = QFormLayout(self.form)
        self.name, self.organisation, self.certificate = QLineEdit(), QLineEdit(), QLineEdit()
        self.category, self.language = QComboBox(), QComboBox()
        self.category.addItem(_("named recipient only"), None)
        for category in RECIPIENT_CATEGORIES:
            self.category.addItem(_(SCOPE_WORDS[f"category:{category}"]), category)
        for code in SHIPPED_LANGUAGES:
            self.language.addItem(language_name(code, language=code), code)
        browse = QPushButton(_("Choose…"))
        browse.setAccessibleName(_("Choose their certificate file"))
        browse.clicked.connect(
            lambda: self.certificate.setText(
                QFileDialog.getOpenFileName(self, _("Their certificate"))[0]
                or self.certificate.text()
            )
        )
        certificate_row = QHBoxLayout()
        certificate_row.addWidget(self.certificate)
        certificate_row.addWidget(browse)
        for label, field in (
            (N_("Name"), self.name),
            (N_("Organisation"), self.organisation),
            (N_("Category (for consent)"), self.category),
            (N_("Language of their exports"), self.language),
        ):
            form.addRow(_(label), field)
            field.setAccessibleName(_(label))
        self.certificate.setAccessibleName(_("Their certificate (PEM or DER)"))
        form.addRow(_("Their certificate (PEM or DER)"), certificate_row)
        self.add_button = QPushButton(_("Add recipient"))
        self.add_button.clicked.connect(self.add)
        form.addRow(self.add_button)
        layout.addWidget(self.form)
        self.form.setVisible(services.ctx.can(Permission.RECIPIENT_MANAGE))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName(_("Message"))
        layout.addWidget(self.message)
        identity = QHBoxLayout()
        self.own = QLabel(
            _("My signing certificate (SHA-256): {fingerprint}").format(
                fingerprint=services.identities.fingerprint()
            )
        )
        self.own.setWordWrap(True)
        self.own.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_own = QPushButton(_("Save my certificate…"))
        self.save_own.clicked.connect(lambda: self.save_certificate())
        identity.addWidget(self.own, 1)
        identity.addWidget(self.save_own)
        layout.addLayout(identity)
        self.resize(820, 520)
        self.reload()

    def reload(self) -> None:
        def category(role: str | None) -> str:
            return _(SCOPE_WORDS[f"category:{role}"]) if role in RECIPIENT_CATEGORIES else "—"

        fill(
            self.table,
            (
                (
                    r.name,
                    r.organisation,
                    category(r.role),
                    language_name(r.language) if r.language else "—",
                    r.fingerprint or _("no certificate: use a password"),
                )
                for r in self._services.recipients.list()
            ),
        )

    def add(self) -> None:
        try:
            certificate = None
            if self.certificate.text().strip():
                certificate = read_capped(
                    self.certificate.text().strip(), MAX_CERTIFICATE, _("a certificate")
                )
            recipient = self._services.recipients.add(
                name=self.name.text(),
                organisation=self.organisation.text(),
                role=self.category.currentData(),
                language=self.language.currentData(),
                certificate=certificate,
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(
            _("Recipient {name} added.").format(name=recipient.name)
            + " "
            + _("Confirm this fingerprint with them by phone: {fingerprint}").format(
                fingerprint=recipient.fingerprint or "—"
            )
        )
        for field in (self.name, self.organisation, self.certificate):
            field.clear()
        self.reload()

    def save_certificate(self, path: str | None = None) -> None:
        path = (
            path
            or QFileDialog.getSaveFileName(
                self, _("Save my certificate"), "signing-certificate.pem", "PEM (*.pem)"
            )[0]
        )
        if not path:
            return
        try:
            write_new_file(path, self._services.identities.certificate_pem())
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(
            _("Written to {path}; give it to recipients so they can check your exports.").format(
                path=path
            )
        )
