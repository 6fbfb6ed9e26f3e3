"""One case: overview, testimony, consent and activity, as the user's role allows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.clock import Clock
from intake_app.core.i18n import N_, _
from intake_app.core.permissions import Permission
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

if TYPE_CHECKING:
    from intake_app.core.services import Services

ACTIONS = {
    "case.opened": N_("case opened"),
    "case.viewed": N_("case viewed"),
    "case.assigned": N_("case assigned"),
    "case.status_changed": N_("status changed"),
    "case.closed": N_("case closed"),
    "case.reopened": N_("case reopened"),
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


@dataclass(frozen=True)
class ViewState:
    """Where the user was in a case view: kept across a rebuild (a language switch)."""

    tab: int
    scrolls: tuple[tuple[int, int], ...]
    statement_row: int
    focus: int | None  # index of the focused widget among the view's descendants
    cursor: tuple[int, int]  # position and anchor of its text cursor


def _descendants(root: QWidget) -> list[QWidget]:
    return root.findChildren(QWidget)  # depth-first, in creation order: the same after a rebuild


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

    def view_state(self) -> ViewState:
        widgets = _descendants(self)
        scrolls = tuple(
            (w.horizontalScrollBar().value(), w.verticalScrollBar().value())
            for w in widgets
            if isinstance(w, QAbstractScrollArea)
        )
        focused = QApplication.focusWidget()
        focus = widgets.index(focused) if focused in widgets else None
        cursor = (0, 0)
        if isinstance(focused, QTextEdit | QPlainTextEdit):
            text_cursor = focused.textCursor()
            cursor = (text_cursor.position(), text_cursor.anchor())
        elif isinstance(focused, QLineEdit):
            cursor = (focused.cursorPosition(), focused.cursorPosition())
        row = self.testimony.statements.currentRow() if self.testimony is not None else -1
        return ViewState(self.tabs.currentIndex(), scrolls, row, focus, cursor)

    def restore_view_state(self, state: ViewState) -> None:
        """The same tab, statement, scroll positions and cursor (the tabs are built in the
        same order for the same user, so positions among the descendants match)."""
        self.tabs.setCurrentIndex(state.tab)
        if (
            self.testimony is not None
            and 0 <= state.statement_row < self.testimony.statements.count()
        ):
            self.testimony.statements.setCurrentRow(state.statement_row)
        widgets = _descendants(self)
        if state.focus is not None and state.focus < len(widgets):
            focused: Any = widgets[state.focus]
            focused.setFocus()
            position, anchor = state.cursor
            if isinstance(focused, QTextEdit | QPlainTextEdit):
                text_cursor = focused.textCursor()
                length = len(focused.toPlainText())
                text_cursor.setPosition(min(anchor, length))
                text_cursor.setPosition(min(position, length), text_cursor.MoveMode.KeepAnchor)
                focused.setTextCursor(text_cursor)
            elif isinstance(focused, QLineEdit):
                focused.setCursorPosition(position)
        areas = [w for w in widgets if isinstance(w, QAbstractScrollArea)]
        for area, (horizontal, vertical) in zip(areas, state.scrolls, strict=False):
            area.horizontalScrollBar().setValue(horizontal)
            area.verticalScrollBar().setValue(vertical)

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
