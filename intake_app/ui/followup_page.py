"""The follow-up dashboard across cases: overdue referrals and follow-ups, promised news, updates
awaiting acknowledgement, survivors not reached for a long time. Opening a row opens the case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.i18n import N_, _, format_day
from intake_app.ui.access import user_message
from intake_app.ui.tables import fill, record_table
from intake_app.ui.tasks import Runner, with_reader

if TYPE_CHECKING:
    from intake_app.core.services import Services
    from intake_app.core.services.followup import Dashboard, FollowUpRow
    from intake_app.core.session import Database

SECTIONS = (
    ("promises", N_("Promised news")),
    ("referrals_overdue", N_("Referrals without an answer")),
    ("referral_follow_ups", N_("Referral follow-ups")),
    ("awaiting_acknowledgement", N_("Updates not yet acknowledged")),
    ("not_contacted", N_("Survivors not reached for 60 days")),
)


class FollowUpPage(QWidget):
    open_case = Signal(str)
    closed = Signal()
    HEADERS = (N_("Case"), N_("What"), N_("Date"), N_("Overdue"))

    def __init__(self, runner: Runner) -> None:
        super().__init__()
        self._runner = runner
        self._services: Services | None = None
        self.board: Dashboard | None = None
        self._rows: dict[str, list[FollowUpRow]] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back = QPushButton(_("Back to the cases"))
        self.back.clicked.connect(self.closed.emit)
        self.summary = QLabel()
        self.summary.setAccessibleName(_("Follow-up summary"))
        top.addWidget(self.back)
        top.addWidget(self.summary, 1)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        self.tables: dict[str, QTableWidget] = {}
        for key, title in SECTIONS:
            table = record_table(self.HEADERS, _(title))
            table.cellActivated.connect(lambda row, _col, k=key: self._activated(k, row))
            self.tables[key] = table
            self.tabs.addTab(table, _(title))
        layout.addWidget(self.tabs)

    def retranslate_ui(self) -> None:
        self.back.setText(_("Back to the cases"))
        self.summary.setAccessibleName(_("Follow-up summary"))
        for index, (key, title) in enumerate(SECTIONS):
            self.tables[key].setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
            self.tables[key].setAccessibleName(_(title))
            self.tabs.setTabText(index, _(title))
        self.refresh()

    def set_services(self, services: Services | None) -> None:
        self._services = services
        if services is None:
            for table in self.tables.values():
                table.setRowCount(0)
            self.board, self._rows = None, {}
            self.summary.clear()
        else:
            self.refresh()

    def refresh(self) -> None:
        """The dashboard reads across every case (a second at 60,000 cases): a worker builds it on
        its own read-only connection, and the tables fill when it is done."""
        services = self._services
        if services is None:
            return
        followup = services.followup

        def build(db: Database) -> Dashboard:
            return followup.dashboard(db=db)

        def show(board: Dashboard) -> None:
            if self._services is services:  # not locked (or unlocked again) meanwhile
                self._show(board)

        def failed(error: BaseException) -> None:
            if self._services is services:
                self.summary.setText(user_message(error))

        self._runner.run(with_reader(services.ctx.vault.reader(), build), show, failed)

    def _show(self, board: Dashboard) -> None:
        self.board = board
        for index, (key, title) in enumerate(SECTIONS):
            rows: list[FollowUpRow] = getattr(board, key)
            self._rows[key] = rows
            fill(
                self.tables[key],
                (
                    (
                        item.reference,
                        _(item.label),
                        format_day(item.due_at),
                        _("overdue") if item.overdue else "",
                    )
                    for item in rows
                ),
            )
            self.tabs.setTabText(index, f"{_(title)} ({len(rows)})")
        self.summary.setText(
            _("Overdue: {count}. Open a row to go to the case.").format(count=board.total_overdue)
        )

    def _activated(self, key: str, row: int) -> None:
        rows = self._rows.get(key, [])
        if 0 <= row < len(rows):
            self.open_case.emit(rows[row].reference)
