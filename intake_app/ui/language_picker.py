"""Choosing the languages a person speaks, by name, never by code.

Each language is listed under its name in the interface language and, for the languages most
often heard in the field, its own name too ("Arabic — العربية"), so a survivor can point at it.
The chosen ones come first; typing filters the list. Every language CLDR names can be chosen.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from intake_app.core.i18n import (
    SHIPPED_LANGUAGES,
    _,
    current_language,
    language_codes,
    language_name,
)

# The languages this tool's users most often interview in (the five interface languages first):
# these carry their own name beside the interface's name for them.
FIELD_LANGUAGES = (
    *SHIPPED_LANGUAGES,
    "ru", "fa", "ps", "ur", "ckb", "ku", "tr", "so", "ti", "am", "sw", "ha", "ln", "rw",
    "pt", "my", "bn", "hi", "ta", "si", "ne", "sd", "kab", "zgh", "wo", "ff",
    "sq", "sr", "bs", "hr", "hy", "ka", "az", "ky", "tg", "uz", "zh", "vi", "th", "id",
)  # fmt: skip
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
KEYS_ROLE = Qt.ItemDataRole.UserRole + 2  # what typing finds it by: both names and the English


@functools.cache
def _autonym(code: str) -> str:
    own = language_name(code, language=code)
    return "" if own == code else own


def label(code: str, shown: Callable[[str], bool] = lambda _text: True) -> str:
    """The interface's name and the language's own ("Arabic — العربية" in English); the name
    alone where the two agree, or where no font here can show the own name (never boxes)."""
    name = language_name(code)
    own = _autonym(code) if code in FIELD_LANGUAGES else ""
    if own and own.casefold() != name.casefold() and shown(own):
        return f"{name} — {own}"
    return name


class LanguagePicker(QWidget):
    """A filter field over a checkable list; ``codes()`` gives the chosen ones in the order
    they were chosen (the first is the person's main language)."""

    changed = Signal()

    def __init__(self, codes: tuple[str, ...] | list[str] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self._chosen: list[str] = [c for c in codes if c]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setMinimumHeight(150)
        self.list.setMinimumWidth(320)  # a language and its own name side by side
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.filter.textChanged.connect(self._apply_filter)
        self.list.itemChanged.connect(self._toggled)
        self.retranslate()

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(_("Type to find a language"))
        self.filter.setAccessibleName(_("Find a language"))
        self.list.setAccessibleName(_("Languages"))
        self._fill()

    def codes(self) -> list[str]:
        return list(self._chosen)

    def set_codes(self, codes: list[str] | tuple[str, ...]) -> None:
        self._chosen = [c for c in codes if c]
        self._fill()
        self.changed.emit()

    def _fill(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        language = current_language()
        rest = (set(language_codes()) | set(FIELD_LANGUAGES)) - set(self._chosen)
        common = [c for c in FIELD_LANGUAGES if c in rest]
        others = sorted(
            rest - set(common), key=lambda c: language_name(c, language=language).casefold()
        )
        metrics = QFontMetrics(self.list.font())

        def shown(text: str) -> bool:  # Qt looks through its fallback fonts too
            return all(metrics.inFontUcs4(ord(c)) for c in text if not c.isspace())

        for code in [*self._chosen, *common, *others]:
            item = QListWidgetItem(label(code, shown))
            item.setData(CODE_ROLE, code)
            item.setData(
                KEYS_ROLE, f"{item.text()} {language_name(code, language='en')}".casefold()
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = code in self._chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._apply_filter(self.filter.text())

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.list.count()):
            item = self.list.item(row)
            code = item.data(CODE_ROLE)
            hit = not needle or needle in item.data(KEYS_ROLE) or needle == code.casefold()
            item.setHidden(not hit)

    def _toggled(self, item: QListWidgetItem) -> None:
        code = item.data(CODE_ROLE)
        if item.checkState() == Qt.CheckState.Checked and code not in self._chosen:
            self._chosen.append(code)
        elif item.checkState() != Qt.CheckState.Checked and code in self._chosen:
            self._chosen.remove(code)
        self.changed.emit()
