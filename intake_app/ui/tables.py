"""Read-only record tables: one way to build them (headers, accessible name, whole-row selection)
and one way to fill them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

from intake_app.core.i18n import _


def record_table(headers: Sequence[str], name: str) -> QTableWidget:
    """``headers`` are message keys (translated here); ``name`` is already translated."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels([_(h) for h in headers])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAccessibleName(name)
    return table


def fill(table: QTableWidget, rows: Iterable[Sequence[str]]) -> None:
    rows = list(rows)
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))
    table.resizeColumnsToContents()
