"""A case's activity: its audited events, filtered by kind, repeated views folded into one line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.activity import KINDS, ActivityRow, activity_rows, describe
from intake_app.core.clock import parse_iso
from intake_app.core.i18n import N_, _, format_datetime
from intake_app.core.permissions import Permission

if TYPE_CHECKING:
    from intake_app.core.services import Services

LIMIT = 500


class ActivityTab(QWidget):
    HEADERS = (N_("Time"), N_("Action"), N_("By"))

    def __init__(self, services: Services, reference: str, actions: Mapping[str, str]) -> None:
        super().__init__()
        self._services, self._actions = services, actions
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.kind_label = QLabel(_("Show:"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Kind of activity"))
        self.kind_label.setBuddy(self.kind)
        self.kind.addItem(_("All activity"), None)
        for key, label in KINDS.items():
            self.kind.addItem(_(label), key)
        self.kind.currentIndexChanged.connect(lambda _index: self.show_rows())
        top.addWidget(self.kind_label)
        top.addWidget(self.kind)
        top.addStretch()
        layout.addLayout(top)
        self._events = services.admin.events(case_entity_ids(services, reference), limit=LIMIT)
        self._names = {u.id: u.username for u in services.users.list()}
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(_("Activity"))
        layout.addWidget(self.table)
        self.rows: list[ActivityRow] = []
        self.show_rows()

    def show_rows(self) -> None:
        kind = self.kind.currentData()
        self.rows = activity_rows(self._events, kind=kind if isinstance(kind, str) else None)
        today = self._services.ctx.clock.now().date()
        self.table.setRowCount(len(self.rows))
        for row, entry in enumerate(self.rows):
            tip = ""
            if entry.count > 1 and entry.first_at:
                tip = _("First {first}, last {last}.").format(
                    first=_short(entry.first_at), last=_short(entry.at)
                )
            for column, value in enumerate(
                (
                    _short(entry.at),
                    describe(entry, self._actions, today),
                    self._names.get(entry.user_id or "", ""),
                )
            ):
                item = QTableWidgetItem(value)
                item.setToolTip(tip)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()


def case_entity_ids(services: Services, reference: str) -> list[str]:
    """The case and every record of it the user's role may list: the events of all of them make
    the case's activity (a referral's or a consent's events name that record, not the case)."""
    ctx = services.ctx
    ids = [services.cases.get(reference).id]
    ids += [p.id for p in services.cases.persons(reference)]
    # Not an audited read: no testimony is shown here (the Testimony tab audits reading it).
    for statement in services.statements.for_case(reference, audited=False):
        ids += [statement.id] + [v.id for v in statement.versions]
    sources = (
        (Permission.CONSENT_READ, lambda: services.consent.ledger(reference)),
        (Permission.REFERRAL_READ, lambda: services.referrals.for_case(reference)),
        (Permission.ATTACHMENT_READ, lambda: services.attachments.for_case(reference)),
        (Permission.FORM_READ, lambda: services.forms.for_case(reference)),
        (Permission.CONTACT_PLAN_READ, lambda: services.liaison.for_case(reference)),
        (Permission.CASE_READ, lambda: services.interviews.for_case(reference)),
    )
    for permission, records in sources:
        if ctx.can(permission):
            ids += [str(r.id) for r in records()]
    return ids


def _short(stamp: str) -> str:
    return format_datetime(parse_iso(stamp), width="short")
