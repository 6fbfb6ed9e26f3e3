"""Table models: one per list, holding frozen records, with named columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from intake_app.core.i18n import N_, _, format_list, format_moment, language_name
from intake_app.core.records import CaseSummary

Index = QModelIndex | QPersistentModelIndex
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 200
Loader = Callable[[CaseSummary | None, int], Sequence[CaseSummary]]


class CaseTableModel(QAbstractTableModel):
    """Cases, loaded a page at a time as the view scrolls (stays instant with 100,000 cases).

    The loader takes the last case loaded (None for the first page) and how many to load."""

    COLUMNS = (
        N_("Reference"),
        N_("Pseudonym"),
        N_("People"),
        N_("Assigned to"),
        N_("Status"),
        N_("Languages"),
        N_("Updated"),
    )
    STATUS = {
        "open": N_("open"),
        "active": N_("active"),
        "closed": N_("closed"),
        "archived": N_("archived"),
    }

    def __init__(self, loader: Loader | None = None) -> None:
        super().__init__()
        self._rows: list[CaseSummary] = []
        self._loader = loader
        self._exhausted = loader is None

    def set_loader(self, loader: Loader | None) -> None:
        self.beginResetModel()
        self._rows, self._loader, self._exhausted = [], loader, loader is None
        self.endResetModel()

    def set_rows(self, rows: Sequence[CaseSummary]) -> None:
        """Show exactly these (search results); no further loading."""
        self.beginResetModel()
        self._rows, self._loader, self._exhausted = list(rows), None, True
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def record(self, row: int) -> CaseSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._loader is None or self._exhausted:
            return
        batch = list(self._loader(self._rows[-1] if self._rows else None, PAGE_SIZE))
        if len(batch) < PAGE_SIZE:
            self._exhausted = True
        if batch:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        case = self._rows[index.row()]
        if role == RECORD_ROLE:
            return case
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        column = index.column()
        if column == 0:
            return case.reference
        if column == 1:
            return case.pseudonym or "—"
        if column == 2:
            return str(case.people)
        if column == 3:
            return case.members
        if column == 4:
            return _(self.STATUS.get(case.status.value, case.status.value))
        if column == 5:
            return format_list([language_name(code) for code in case.languages])
        return format_moment(case.updated_at)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.COLUMNS[section])
        return None

    def retranslate(self) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.COLUMNS) - 1)
            )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
