"""One case: overview, testimony, consent and activity, as the user's role allows."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.core import consent as rules
from intake_app.core.errors import IntakeError
from intake_app.core.i18n import N_, _, language_name
from intake_app.core.permissions import Permission
from intake_app.core.records import Consent, GivenBy, Purpose
from intake_app.core.services import Services
from intake_app.ui.dialogs import ReasonDialog
from intake_app.ui.intake_tab import IntakeTab
from intake_app.ui.models import CaseTableModel
from intake_app.ui.session_tabs import AttachmentsTab, InterviewTab
from intake_app.ui.testimony_tab import TestimonyTab

PURPOSES = {
    Purpose.RECORD_TESTIMONY: N_("Record the testimony"),
    Purpose.SHARE_INVESTIGATORS: N_("Share with investigators or prosecutors"),
    Purpose.REFER_SERVICES: N_("Refer to services"),
    Purpose.DISCLOSE_IDENTITY: N_("Disclose the survivor's identity"),
    Purpose.CONTACT: N_("Contact the survivor"),
    Purpose.STATISTICS: N_("Anonymous statistics"),
    Purpose.RECORD_MEDIA: N_("Record audio or photographs"),
}
MEANING = {
    Purpose.SHARE_INVESTIGATORS: N_(
        "Without it, nothing of this case is exported to investigators."
    ),
    Purpose.DISCLOSE_IDENTITY: N_("Without it, exports show the pseudonym, never the name."),
    Purpose.REFER_SERVICES: N_("Without it, referrals cannot be sent."),
    Purpose.CONTACT: N_("Without it, no update may be sent through that channel."),
}
GIVEN_BY = {
    GivenBy.SURVIVOR: N_("the survivor"),
    GivenBy.GUARDIAN: N_("a parent or guardian"),
    GivenBy.REPRESENTATIVE: N_("a legal representative"),
    GivenBy.NOT_APPLICABLE: N_("another legal basis"),
}
SCOPE_WORDS = {
    "any": N_("anyone"),
    "category:investigators": N_("investigators"),
    "category:prosecutors": N_("prosecutors"),
    "category:service_providers": N_("service providers"),
}


def scope_label(scope: str) -> str:
    """A consent scope as a person reads it (channels and provider types by name, not by key)."""
    if scope in SCOPE_WORDS:
        return _(SCOPE_WORDS[scope])
    kind, _sep, value = scope.partition(":")
    return (
        f"{_(SCOPE_WORDS.get('category:' + kind, kind))}: {value}"
        if kind not in ("channel", "provider")
        else value.replace("_", " ")
    )


STATES = {
    rules.ConsentState.LIVE: N_("granted"),
    rules.ConsentState.REFUSED: N_("refused"),
    rules.ConsentState.WITHDRAWN: N_("withdrawn"),
    rules.ConsentState.EXPIRED: N_("expired"),
    rules.ConsentState.NOT_ASKED: N_("not asked"),
}


class OverviewTab(QWidget):
    def __init__(self, services: Services, reference: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        case = services.cases.get(reference)
        survivor = services.cases.survivor(reference)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        lines = [
            f"<h2>{case.reference}</h2>",
            _("Status: {status}").format(status=_(CaseTableModel.STATUS[case.status.value])),
            _("Languages: {languages}").format(
                languages=", ".join(language_name(c) for c in case.languages) or "—"
            ),
        ]
        if survivor is not None:
            lines.append(_("Survivor: {pseudonym}").format(pseudonym=survivor.pseudonym))
        self.summary.setText("<br>".join(lines))
        layout.addWidget(self.summary)
        layout.addStretch()


class ConsentTab(QWidget):
    """The ledger as the survivor would understand it: purpose by purpose, and what it means."""

    HEADERS = (
        N_("Purpose"),
        N_("Scope"),
        N_("Decision"),
        N_("Given by"),
        N_("Explained in"),
        N_("Recorded"),
        N_("Expires"),
        N_("What it means"),
    )

    def __init__(self, services: Services, reference: str) -> None:
        super().__init__()
        self._services, self._reference = services, reference
        self._rows: list[Consent] = []
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(_("Consent ledger"))
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.message = QLabel()
        self.withdraw_button = QPushButton(_("Withdraw…"))
        self.withdraw_button.clicked.connect(lambda: self.withdraw())
        self.withdraw_button.setEnabled(services.ctx.can(Permission.CONSENT_RECORD))
        row.addWidget(self.message, 1)
        row.addWidget(self.withdraw_button)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self._rows = self._services.consent.ledger(self._reference)
        now = self._services.ctx.now()
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.setRowCount(len(self._rows))
        for index, consent in enumerate(self._rows):
            state = rules.state_of(consent, now)
            values = (
                _(PURPOSES[consent.purpose]),
                scope_label(consent.scope),
                _(STATES[state]),
                _(GIVEN_BY[consent.given_by]),
                language_name(consent.explained_language) if consent.explained_language else "—",
                consent.recorded_at[:10],
                consent.expires_at or "—",
                _(MEANING[consent.purpose]) if consent.purpose in MEANING else "",
            )
            for column, value in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def withdraw(self, dialog: ReasonDialog | None = None) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._rows):
            self.message.setText(_("Choose the decision the survivor withdraws."))
            return
        dialog = dialog or ReasonDialog(
            _("Withdraw consent"), _("What did the survivor say? (or 'no reason given')"), self
        )
        if (
            dialog.result() != QDialog.DialogCode.Accepted
            and dialog.exec() != QDialog.DialogCode.Accepted
        ):
            return
        try:
            _consent, exports = self._services.consent.withdraw(self._rows[row].id, dialog.reason())
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(
            _("Withdrawn from now on. Earlier exports to follow up: {count}.").format(
                count=len(exports)
            )
        )
        self.reload()


class ActivityTab(QWidget):
    HEADERS = (N_("Time"), N_("Action"), N_("By"))

    def __init__(self, services: Services, reference: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        case = services.cases.get(reference)
        ids = [case.id] + [s.id for s in services.statements.for_case(reference)]
        events = services.admin.events(ids, limit=500)
        names = {u.id: u.username for u in services.users.list()}
        self.table = QTableWidget(len(events), len(self.HEADERS))
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, event in enumerate(events):
            for column, value in enumerate(
                (event.at[:19].replace("T", " "), event.action, names.get(event.user_id or "", ""))
            ):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)


class CaseView(QWidget):
    closed = Signal()

    def __init__(self, services: Services, reference: str) -> None:
        super().__init__()
        self.reference = reference
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back = QPushButton(_("Back to the cases"))
        self.back.clicked.connect(self.closed.emit)
        top.addWidget(self.back)
        top.addStretch()
        layout.addLayout(top)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.overview = OverviewTab(services, reference)
        self.tabs.addTab(self.overview, _("Overview"))
        self.testimony: TestimonyTab | None = None
        if services.ctx.can(Permission.TESTIMONY_READ):  # a liaison officer never sees testimony
            self.testimony = TestimonyTab(services, reference)
            self.tabs.addTab(self.testimony, _("Testimony"))
        self.intake: IntakeTab | None = None
        if services.ctx.can(Permission.FORM_READ):
            case = services.cases.get(reference)
            self.intake = IntakeTab(
                services, reference, case.languages[0] if case.languages else None
            )
            self.tabs.addTab(self.intake, _("Intake"))
        self.interview: InterviewTab | None = None
        if services.ctx.can(Permission.INTERVIEW_RUN):
            self.interview = InterviewTab(services, reference)
            self.tabs.addTab(self.interview, _("Interview"))
        self.consent = ConsentTab(services, reference)
        self.tabs.addTab(self.consent, _("Consent"))
        if services.ctx.can(Permission.ATTACHMENT_READ):
            self.attachments = AttachmentsTab(services, reference)
            self.tabs.addTab(self.attachments, _("Attachments"))
        self.tabs.addTab(ActivityTab(services, reference), _("Activity"))

    def flush(self) -> None:
        if self.testimony is not None:
            self.testimony.flush()

    def clear(self) -> None:
        if self.testimony is not None:
            self.testimony.clear()
        if self.intake is not None:
            self.intake.clear()
        self.consent.table.clearContents()
