"""The case list: lazy table, status filter, search-as-you-type over the vault's index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError
from intake_app.core.i18n import _, _n, language_name
from intake_app.core.permissions import Permission
from intake_app.core.records import CaseStatus, SearchHit
from intake_app.ui.dialogs import accepted
from intake_app.ui.models import RECORD_ROLE, CaseTableModel
from intake_app.ui.tasks import ImmediateRunner, Runner, with_reader

if TYPE_CHECKING:
    from intake_app.core.services import Services

SEARCH_DELAY_MS = 300


class CasesPage(QWidget):
    open_case = Signal(str)  # reference
    show_follow_up = Signal()

    def __init__(self, runner: Runner | None = None) -> None:
        super().__init__()
        self._services: Services | None = None
        self._runner: Runner = runner or ImmediateRunner()
        self._search_token: object | None = None
        self.model = CaseTableModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.search_label, self.status_label = QLabel(), QLabel()
        self.search_label.setBuddy(self.search)
        self.status_label.setBuddy(self.status)
        bar.addWidget(self.search_label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_label)
        bar.addWidget(self.status)
        self.assigned, self.language = QComboBox(), QComboBox()
        self.overdue, self.show_closed = QCheckBox(), QCheckBox()
        for widget in (self.assigned, self.language, self.overdue, self.show_closed):
            bar.addWidget(widget)
        layout.addLayout(bar)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table)
        bottom = QHBoxLayout()
        self.message = QLabel()
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.new_case)
        self.follow_up_button = QPushButton()
        self.follow_up_button.clicked.connect(self.show_follow_up.emit)
        bottom.addWidget(self.follow_up_button)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.new_button)
        layout.addLayout(bottom)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.assigned.currentIndexChanged.connect(lambda _i: self.refresh())
        self.language.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue.toggled.connect(lambda _on: self.refresh())
        self.show_closed.toggled.connect(lambda _on: self.refresh())
        self.retranslate_ui()

    def set_follow_up_count(self, overdue: int) -> None:
        """A reminder on the way in: how many promises and follow-ups are late."""
        self._overdue = overdue
        self._label_follow_up()

    def _label_follow_up(self) -> None:
        overdue = getattr(self, "_overdue", 0)
        self.follow_up_button.setText(
            _n("Follow-up ({count} late)…", "Follow-up ({count} late)…", overdue).format(
                count=overdue
            )
            if overdue
            else _("Follow-up…")
        )

    def retranslate_ui(self) -> None:
        self.search_label.setText(_("&Search"))
        self.search.setPlaceholderText(_("Reference, name or words from testimony"))
        self.search.setAccessibleName(_("Search"))
        self.table.setAccessibleName(_("Cases"))
        self.status_label.setText(_("S&tatus"))
        self.status.setAccessibleName(_("Status"))
        current = self.status.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(_("All"), None)
        for status in CaseStatus:
            self.status.addItem(_(CaseTableModel.STATUS[status.value]), status.value)
        index = self.status.findData(current)
        self.status.setCurrentIndex(max(index, 0))
        self.status.blockSignals(False)
        self.overdue.setText(_("Overdue only"))
        self.show_closed.setText(_("Show closed"))
        self.new_button.setText(_("New case…"))
        self._label_follow_up()
        self.assigned.setAccessibleName(_("Assigned to"))
        self.language.setAccessibleName(_("Language"))
        self._fill_filters()
        self.model.retranslate()

    def _fill_filters(self) -> None:
        """Users and languages come from the vault; the first entry of each means 'any'."""
        services = self._services
        for combo, label, values in (
            (
                self.assigned,
                _("Anyone's cases"),
                [u.username for u in services.users.list()] if services else [],
            ),
            (self.language, _("Any language"), services.cases.languages() if services else []),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(label, "")
            for value in values:
                combo.addItem(language_name(value) if combo is self.language else value, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)

    def set_services(self, services: Services | None) -> None:
        self._services = services
        self._search_token = None
        self.search.clear()
        self.message.clear()
        self._fill_filters()
        self.new_button.setVisible(services is not None and services.ctx.can(Permission.CASE_WRITE))
        if services is None:
            self.model.clear()
        else:
            self.refresh()

    def refresh(self) -> None:
        services = self._services
        if services is None:
            return
        text = self.search.text().strip()
        data = self.status.currentData()  # Qt hands enum members back as plain strings
        status = CaseStatus(data) if data else None
        assigned = self.assigned.currentData() or None
        language = self.language.currentData() or None
        overdue = self.overdue.isChecked()
        # closed cases are hidden unless asked for (or the status filter names them)
        hide_closed = not self.show_closed.isChecked() and status is None
        try:
            if text:
                self._search(services, text, status, assigned, language, overdue, hide_closed)
            else:
                self.model.set_loader(
                    lambda after, limit: services.cases.list(
                        status=status,
                        assigned_to=assigned,
                        language=language,
                        overdue=overdue,
                        hide_closed=hide_closed,
                        limit=limit,
                        after=after,
                    )
                )
                self.model.fetchMore()
                total = services.cases.count(
                    status,
                    assigned_to=assigned,
                    language=language,
                    overdue=overdue,
                    hide_closed=hide_closed,
                )
                self.message.setText(
                    _n("{count} case.", "{count} cases.", total).format(count=total)
                )
        except IntakeError as exc:
            self.message.setText(exc.message)

    def _search(
        self,
        services: Services,
        text: str,
        status: CaseStatus | None,
        assigned: str | None,
        language: str | None,
        overdue: bool,
        hide_closed: bool,
    ) -> None:
        """The full-text query runs off the GUI thread on its own connection; the newest wins."""
        run = services.search.prepare(text, limit=200)
        work = with_reader(services.ctx.vault.reader(), run)
        token = self._search_token = object()

        def done(hits: list[SearchHit]) -> None:
            if token is not self._search_token or self._services is not services:
                return  # the user typed on, or the vault was locked meanwhile
            services.search.record(hits)
            references = list(dict.fromkeys(h.reference for h in hits))
            rows = services.cases.list(
                status=status,
                assigned_to=assigned,
                language=language,
                overdue=overdue,
                hide_closed=hide_closed,
                references=references,
                limit=len(references) or 1,
            )
            self.model.set_rows(rows)
            self.message.setText(
                _n("{count} case matches.", "{count} cases match.", len(rows)).format(
                    count=len(rows)
                )
            )

        def failed(error: BaseException) -> None:
            if token is self._search_token:
                self.message.setText(
                    error.message if isinstance(error, IntakeError) else str(type(error).__name__)
                )

        self._runner.run(work, done, failed)

    def new_case(self) -> None:
        """Ask the survivor's languages, open a case (its reference is made up, never
        identifying) and go straight to it."""
        if self._services is None:
            return
        from intake_app.ui.new_case_dialog import NewCaseDialog  # not at cold start

        dialog = NewCaseDialog(self)
        if not accepted(dialog):
            return
        try:
            case = self._services.cases.open(languages=dialog.languages())
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.refresh()
        self.open_case.emit(case.reference)

    def _activated(self, index: QModelIndex) -> None:
        case = self.proxy.data(index, RECORD_ROLE)
        if case is not None:
            self.open_case.emit(case.reference)

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.table.selectRow(0)
            self.table.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.table.currentIndex().isValid()
        ):
            self._activated(self.table.currentIndex())
            return
        super().keyPressEvent(event)
