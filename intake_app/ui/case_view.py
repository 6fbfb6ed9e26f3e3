"""One case: overview, testimony, consent and activity, as the user's role allows."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.clock import Clock
from intake_app.core.i18n import N_, _
from intake_app.core.permissions import Permission
from intake_app.core.services import Services
from intake_app.ui.activity_tab import ActivityTab
from intake_app.ui.clipboard import SensitiveClipboard
from intake_app.ui.consent_tab import ConsentTab
from intake_app.ui.export_dialog import ExportsTab
from intake_app.ui.intake_tab import IntakeTab
from intake_app.ui.liaison_tab import LiaisonTab
from intake_app.ui.overview_tab import OverviewTab
from intake_app.ui.referrals_tab import ReferralsTab
from intake_app.ui.session_tabs import AttachmentsTab, InterviewTab
from intake_app.ui.tasks import ImmediateRunner, Runner
from intake_app.ui.testimony_tab import TestimonyTab

ACTIONS = {
    "case.opened": N_("case opened"),
    "case.viewed": N_("case viewed"),
    "case.assigned": N_("case assigned"),
    "case.status_changed": N_("status changed"),
    "person.added": N_("person added"),
    "person.updated": N_("person updated"),
    "statement.created": N_("statement started"),
    "statement.draft_saved": N_("testimony saved"),
    "statement.sealed": N_("statement sealed"),
    "statement.amendment_started": N_("amendment started"),
    "statement.viewed": N_("testimony read"),
    "consent.recorded": N_("consent recorded"),
    "consent.withdrawn": N_("consent withdrawn"),
    "consent.override": N_("other legal basis recorded"),
    "interview.started": N_("interview started"),
    "interview.paused": N_("interview paused"),
    "interview.resumed": N_("interview resumed"),
    "interview.ended": N_("interview ended"),
    "attachment.added": N_("file attached"),
    "attachment.viewed": N_("file viewed"),
    "attachment.purged": N_("file removed"),
    "form.response_started": N_("form started"),
    "form.response_saved": N_("form answers saved"),
    "referral.created": N_("referral drafted"),
    "referral.sent": N_("referral sent"),
    "referral.accepted": N_("referral accepted"),
    "referral.declined": N_("referral declined"),
    "referral.completed": N_("referral completed"),
    "referral.revoked": N_("referral revoked"),
    "contact_plan.saved": N_("contact plan saved"),
    "update.prepared": N_("update prepared"),
    "update.sent": N_("update sent"),
    "update.delivered": N_("update delivered"),
    "update.acknowledged": N_("update acknowledged"),
    "update.failed": N_("update failed"),
    "referral.follow_up_set": N_("referral follow-up date set"),
    "promise.made": N_("news promised to the survivor"),
    "promise.kept": N_("promised news given"),
    "provider.added": N_("provider added"),
    "export.sealed": N_("sealed export made"),
    "identity.created": N_("signing identity made"),
    "identity.imported": N_("signing identity imported"),
}


class CaseView(QWidget):
    closed = Signal()

    def __init__(
        self,
        services: Services,
        reference: str,
        clock: Clock,
        clipboard: SensitiveClipboard | None = None,
        runner: Runner | None = None,
    ) -> None:
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
            self.testimony = TestimonyTab(services, reference, clock, clipboard)
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
        self.referrals = ReferralsTab(services, reference)
        self.tabs.addTab(self.referrals, _("Referrals"))
        self.liaison = LiaisonTab(services, reference)
        self.tabs.addTab(self.liaison, _("Liaison"))
        if services.ctx.can(Permission.ATTACHMENT_READ):
            self.attachments = AttachmentsTab(services, reference)
            self.tabs.addTab(self.attachments, _("Attachments"))
        self.exports: ExportsTab | None = None
        if services.ctx.can(Permission.EXPORT) or services.ctx.can(Permission.CONSENT_RECORD):
            self.exports = ExportsTab(services, reference, runner or ImmediateRunner())
            self.tabs.addTab(self.exports, _("Exports"))
        self.activity = ActivityTab(services, reference, ACTIONS)
        self.tabs.addTab(self.activity, _("Activity"))

    def flush(self) -> None:
        if self.testimony is not None:
            self.testimony.flush()

    def tab_name(self) -> str:
        """The guide (ui/help_menu.py) for the tab on screen."""
        names = {
            id(self.overview): "overview", id(self.testimony): "testimony",
            id(self.intake): "intake", id(self.interview): "testimony",
            id(self.consent): "consent", id(self.referrals): "referrals",
            id(self.liaison): "liaison", id(self.exports): "exports",
            id(self.activity): "activity",
        }  # fmt: skip
        return names.get(id(self.tabs.currentWidget()), "overview")

    def clear(self) -> None:
        if self.testimony is not None:
            self.testimony.clear()
        if self.intake is not None:
            self.intake.clear()
        self.consent.table.clearContents()
