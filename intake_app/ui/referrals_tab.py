"""Referrals of one case: to which service, where each stands, when an answer is due and when to
check again. Sending needs the survivor's referral consent (a coordinator may override, audited)."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.clock import parse_iso
from intake_app.core.errors import IntakeError
from intake_app.core.i18n import N_, _, format_datetime, format_day
from intake_app.core.labels import PROVIDER_TYPES, REFERRAL_STATUSES
from intake_app.core.permissions import Permission
from intake_app.core.records import Referral, ReferralStatus
from intake_app.core.referrals import TRANSITIONS, Override, is_overdue
from intake_app.core.user_files import write_new_file
from intake_app.ui.dialogs import FieldsDialog, accepted, date_field, end_of_day, picked_date
from intake_app.ui.provider_import import import_file
from intake_app.ui.tables import fill, record_table

if TYPE_CHECKING:
    from intake_app.core.services import Services

# What a user must write when a referral moves to this status.
NOTE_PROMPTS = {
    ReferralStatus.DECLINED: N_("Why did the provider decline?"),
    ReferralStatus.COMPLETED: N_("What was the outcome for the survivor?"),
    ReferralStatus.REVOKED: N_("Why is the referral withdrawn?"),
}


class ReferralsTab(QWidget):
    HEADERS = (
        N_("Service"), N_("Provider"), N_("Status"), N_("Answer due"), N_("Follow up on"),
        N_("Needs"), N_("Consent"),
    )  # fmt: skip
    CONSENT_COLUMN = 6

    def __init__(self, services: Services, reference: str) -> None:
        super().__init__()
        self._services, self._reference = services, reference
        self._rows: list[Referral] = []
        layout = QVBoxLayout(self)
        self.table = record_table(self.HEADERS, _("Referrals"))
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(_("New referral…"))
        self.status_button = QPushButton(_("Change status…"))
        self.follow_up_button = QPushButton(_("Follow up on…"))
        self.form_button = QPushButton(_("Referral form (PDF)…"))
        self.form_button.clicked.connect(lambda: self.save_form())
        self.new_button.clicked.connect(self.new_referral)
        self.status_button.clicked.connect(self.change_status)
        self.follow_up_button.clicked.connect(self.set_follow_up)
        can_write = services.ctx.can(Permission.REFERRAL_WRITE)
        for button in (
            self.new_button,
            self.status_button,
            self.follow_up_button,
            self.form_button,
        ):
            button.setVisible(can_write)
            buttons.addWidget(button)
        self.import_button = QPushButton(_("Import providers (CSV)…"))
        self.import_button.clicked.connect(lambda: self.import_providers())
        self.import_button.setVisible(services.ctx.can(Permission.PROVIDER_WRITE))
        buttons.addStretch()
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Message"))
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        self._rows = self._services.referrals.for_case(self._reference)
        providers = {p.id: p.organisation for p in self._services.referrals.providers()}
        now = self._services.ctx.now()
        late = " — " + _("no answer yet, overdue")
        overrides = self._services.referrals.overrides(self._rows)
        fill(
            self.table,
            (
                (
                    _(PROVIDER_TYPES[r.service_type]),
                    providers.get(r.provider_id, "—"),
                    _(REFERRAL_STATUSES[r.status]) + (late if is_overdue(r, now) else ""),
                    format_day(r.due_at),
                    format_day(r.follow_up_at),
                    r.needs or "",
                    _("override") if r.id in overrides else "",
                )
                for r in self._rows
            ),
        )
        self._mark_overrides(overrides)

    def _mark_overrides(self, overrides: dict[str, Override]) -> None:
        """A coordinator's override shows on its row: who, when and on what basis (the tooltip),
        so nobody mistakes it for the survivor's consent."""
        names = {u.id: u.display_name or u.username for u in self._services.users.list()}
        for row, referral in enumerate(self._rows):
            found = overrides.get(referral.id)
            if found is None:
                continue
            tip = _(
                "Sent without the survivor's referral consent, on a coordinator's override: "
                "{who}, {when}. Legal basis and reason: {reason}"
            ).format(
                who="\u2068" + names.get(found.by_user, found.by_user) + "\u2069",  # bidi isolates
                when=format_datetime(parse_iso(found.at), width="short"),
                reason="\u2068" + found.justification + "\u2069",
            )
            # Rich text, so Qt wraps a long legal basis; the table sets a readable width (a plain
            # paragraph is wrapped to a narrow column).
            tip = f"<table width='440'><tr><td>{html.escape(tip, quote=False)}</td></tr></table>"
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None:
                    item.setToolTip(tip)
            mark = self.table.item(row, self.CONSENT_COLUMN)
            if mark is not None:
                mark.setForeground(QBrush(QColor("#a04000")))

    def selected(self) -> Referral | None:
        row = self.table.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def new_referral(self) -> None:
        providers = self._services.referrals.providers()
        if not providers:
            self.message.setText(_("The directory has no providers yet; import or add them first."))
            return
        provider = QComboBox()
        for item in providers:
            provider.addItem(f"{item.organisation} — {_(PROVIDER_TYPES[item.type])}", item.id)
        today = self._services.ctx.clock.now().date()
        dialog = FieldsDialog(
            _("New referral"),
            [
                ("provider", _("Provider"), provider),
                ("needs", _("What the survivor needs"), QPlainTextEdit()),
                ("due", _("Answer due"), date_field(today + timedelta(days=14))),
            ],
            self,
        )
        if not accepted(dialog):
            return
        fields = dialog.fields
        assert isinstance(fields["provider"], QComboBox)
        assert isinstance(fields["needs"], QPlainTextEdit)
        assert isinstance(fields["due"], QDateEdit)
        try:
            self._services.referrals.create(
                self._reference,
                provider_id=str(fields["provider"].currentData()),
                needs=fields["needs"].toPlainText().strip() or None,
                due_at=end_of_day(picked_date(fields["due"])),
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(_("Referral drafted. Send it when the survivor agrees."))
        self.reload()

    def change_status(self) -> None:
        referral = self.selected()
        if referral is None:
            self.message.setText(_("Choose a referral first."))
            return
        targets = sorted(TRANSITIONS[referral.status], key=list(ReferralStatus).index)
        if not targets:
            self.message.setText(_("This referral is closed."))
            return
        target = QComboBox()
        for status in targets:
            target.addItem(_(REFERRAL_STATUSES[status]), status.value)
        rows: list[tuple[str, str, QWidget]] = [
            ("status", _("New status"), target),
            ("note", _("Note (required to decline, complete or withdraw)"), QLineEdit()),
        ]
        override = QPlainTextEdit()
        override.setPlaceholderText(
            _("Only without the survivor's referral consent: the legal basis and why.")
        )
        if self._services.ctx.can(Permission.CONSENT_OVERRIDE):
            rows.append(("override", _("Override (coordinator)"), override))
        dialog = FieldsDialog(_("Change the referral's status"), rows, self)
        if not accepted(dialog):
            return
        target_box, note_field = dialog.fields["status"], dialog.fields["note"]
        assert isinstance(target_box, QComboBox) and isinstance(note_field, QLineEdit)
        note = note_field.text().strip() or None
        override_field = dialog.fields.get("override")
        justification = (
            override_field.toPlainText().strip()
            if isinstance(override_field, QPlainTextEdit)
            else ""
        )
        try:
            self._services.referrals.transition(
                referral.id,
                ReferralStatus(target_box.currentData()),
                note=note,
                override_justification=justification or None,
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(_("Status changed."))
        self.reload()

    def save_form(self, path: str | None = None, password: str | None = None) -> None:
        """The provider's form: only what the consent allows; sealed when a password is set."""
        referral = self.selected()
        if referral is None:
            self.message.setText(_("Choose a referral first."))
            return
        if path is None:
            first, again = QLineEdit(), QLineEdit()
            for field in (first, again):
                field.setEchoMode(QLineEdit.EchoMode.Password)
            dialog = FieldsDialog(
                _("Referral form"),
                [
                    ("password", _("Password (empty: a printable, unsealed form)"), first),
                    ("again", _("Password again"), again),
                ],
                self,
            )
            if not accepted(dialog):
                return
            if first.text() != again.text():
                self.message.setText(_("The two passwords differ."))
                return
            password = first.text() or None
            path = QFileDialog.getSaveFileName(
                self, _("Save the referral form"), "referral.pdf", "PDF (*.pdf)"
            )[0]
            if not path:
                return
        try:
            data = self._services.referral_forms.form(
                referral.id, password=password.encode() if password else None
            )
            write_new_file(path, data)
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(_("Referral form saved: {path}").format(path=path))

    def import_providers(self, path: str | None = None) -> None:
        """Add a directory of providers from CSV: all rows or none, every problem named."""
        path = (
            path or QFileDialog.getOpenFileName(self, _("Import providers"), "", "CSV (*.csv)")[0]
        )
        if not path:
            return
        outcome = import_file(self._services, path)
        shown = outcome.lines[:10] if not outcome.imported else ()  # the dialog lists them all
        self.message.setText(" ".join((outcome.summary, *shown)))

    def set_follow_up(self) -> None:
        referral = self.selected()
        if referral is None:
            self.message.setText(_("Choose a referral first."))
            return
        today = self._services.ctx.clock.now().date()
        dialog = FieldsDialog(
            _("Follow up on"),
            [("date", _("Check again on"), date_field(today + timedelta(days=7)))],
            self,
        )  # fmt: skip
        if not accepted(dialog):
            return
        field = dialog.fields["date"]
        assert isinstance(field, QDateEdit)
        try:
            self._services.referrals.set_follow_up(referral.id, end_of_day(picked_date(field)))
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(_("The follow-up date is on the dashboard."))
        self.reload()
