"""A problem in a form file, located in its sheet, row and column, in words a form author
understands; ``FormError`` carries every one found."""

from __future__ import annotations

from dataclasses import dataclass

from intake_app.core.i18n import _


@dataclass(frozen=True)
class Problem:
    """One problem in a form file, in words a form author understands."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.file,
                _("sheet {sheet}").format(sheet=self.sheet) if self.sheet else "",
                _("row {row}").format(row=self.row) if self.row else "",
                _("column {column}").format(column=self.column) if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}"


class FormError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
