"""One question on screen: its label (and second-language label), hint, input and error line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError
from intake_app.core.forms.answers import At
from intake_app.core.forms.session import FormSession
from intake_app.core.forms.spec import ATTACHMENT_TYPES, Question, QuestionType
from intake_app.core.forms.types import degraded_text
from intake_app.core.i18n import _, is_rtl

HIDDEN_TYPES = (QuestionType.CALCULATE, QuestionType.HIDDEN, QuestionType.METADATA)
PLACEHOLDERS = {
    QuestionType.DATE: "2026-03-01",
    QuestionType.TIME: "14:30",
    QuestionType.DATETIME: "2026-03-01T14:30",
    QuestionType.GEOPOINT: "48.85 2.35",
    QuestionType.GEOTRACE: "48.85 2.35; 48.86 2.36",
    QuestionType.GEOSHAPE: "48.85 2.35; 48.86 2.36; 48.86 2.35; 48.85 2.35",
}


class RankingList(QListWidget):
    """A ranking: drag an item, or move the current one with Alt+Up and Alt+Down."""

    def __init__(self, move: Callable[[int], None]) -> None:
        super().__init__()
        self._move = move

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        offsets = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
        if event.modifiers() == Qt.KeyboardModifier.AltModifier and event.key() in offsets:
            self._move(offsets[Qt.Key(event.key())])
            return
        super().keyPressEvent(event)


class QuestionWidget(QWidget):
    """Label (and second-language label), hint, the input, and an error line."""

    changed = Signal()

    def __init__(
        self,
        form: FormSession,
        question: Question,
        at: At,
        attach: Callable[[QWidget], tuple[str, str] | None],
    ) -> None:
        super().__init__()
        self.form, self.question, self.at, self._attach = form, question, at, attach
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.second = QLabel()
        self.second.setWordWrap(True)
        self.second.setStyleSheet("font-style: italic; color: palette(mid);")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.label)
        layout.addWidget(self.second)
        self.input = self._make_input()
        if self.input is not None:
            layout.addWidget(self.input)
            self.label.setBuddy(self.input)
        if question.type is QuestionType.RANK:  # the order shown may already be the answer
            how = QLabel(_("Drag the choices into order, or move one with Alt+Up and Alt+Down."))
            how.setWordWrap(True)
            how.setStyleSheet("color: palette(mid);")
            layout.addWidget(how)
            self.keep_order = QPushButton(_("Keep this order"))
            self.keep_order.clicked.connect(self._rank_changed)
            layout.addWidget(self.keep_order)
        layout.addWidget(self.hint)
        if question.degraded:  # what this question cannot do here, said where it is asked
            self.degraded = QLabel(degraded_text(question.degraded))
            self.degraded.setWordWrap(True)
            self.degraded.setStyleSheet("color: palette(mid); font-style: italic;")
            layout.addWidget(self.degraded)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)

    # -- the input per question type -------------------------------------------------------------
    def _make_input(self) -> QWidget | None:
        kind = self.question.type
        value = self.form.value(self.question.name, self.at)
        if kind is QuestionType.NOTE:
            return None
        if kind is QuestionType.SELECT_ONE:
            combo = QComboBox()
            combo.activated.connect(lambda _i: self._commit(combo.currentData() or ""))
            return combo
        if kind is QuestionType.SELECT_MULTIPLE:
            box = QWidget()
            QVBoxLayout(box).setContentsMargins(0, 0, 0, 0)
            return box
        if kind is QuestionType.ACKNOWLEDGE:
            check = QCheckBox(_("OK"))
            check.setChecked(value == "OK")
            check.toggled.connect(lambda on: self._commit("OK" if on else ""))
            return check
        if kind is QuestionType.RANK:
            return self._make_rank()
        if kind in ATTACHMENT_TYPES:
            button = QPushButton(_("Attach a file…"))
            button.clicked.connect(self._attach_file)
            return button
        if kind is QuestionType.TEXT and (self.question.appearance or "").startswith("multiline"):
            area = QPlainTextEdit(value)
            area.setTabChangesFocus(True)
            area.textChanged.connect(lambda: self._commit(area.toPlainText(), refresh=False))
            return area
        line = QLineEdit(value)
        line.setPlaceholderText(PLACEHOLDERS.get(kind, ""))
        if kind is QuestionType.RANGE:
            start, end = (
                self.question.parameters.get(k, d) for k, d in (("start", "1"), ("end", "10"))
            )
            line.setPlaceholderText(f"{start} – {end}")
        line.editingFinished.connect(lambda: self._commit(line.text()))
        return line

    def _make_rank(self) -> QWidget:
        """The choices in a list the interviewer puts in order (drag, or Alt+Up/Alt+Down);
        the order is kept once it has been set, as ODK keeps a ranking."""
        ranking = RankingList(self._move_rank)
        ranking.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        ranking.model().rowsMoved.connect(lambda *_args: self._rank_changed())
        return ranking

    def _move_rank(self, offset: int) -> None:
        ranking = self.input
        assert isinstance(ranking, QListWidget)
        row = ranking.currentRow()
        if row < 0 or not 0 <= row + offset < ranking.count():
            return
        item = ranking.takeItem(row)
        ranking.insertItem(row + offset, item)
        ranking.setCurrentRow(row + offset)
        self._rank_changed()

    def _rank_changed(self) -> None:
        ranking = self.input
        assert isinstance(ranking, QListWidget)
        self._commit(
            [ranking.item(i).data(Qt.ItemDataRole.UserRole) for i in range(ranking.count())]
        )

    def _attach_file(self) -> None:
        attached = self._attach(self)
        if attached is not None:
            attachment_id, _shown = attached
            self._commit(attachment_id)

    def _commit(self, value: object, *, refresh: bool = True) -> None:
        try:
            self.form.set(self.question.name, value, self.at)
        except IntakeError as exc:
            self.error.setText(exc.message)
            return
        self.error.clear()
        if refresh:
            self.changed.emit()

    def _multiple_changed(self) -> None:
        assert self.input is not None
        chosen = [
            box.property("choice") for box in self.input.findChildren(QCheckBox) if box.isChecked()
        ]
        self._commit(chosen)

    # -- refreshing after any answer ---------------------------------------------------------------
    def refresh(self, second_language: str | None) -> None:
        form, name, at = self.form, self.question.name, self.at
        self.setVisible(form.is_relevant(name, at))
        required = " *" if self.question.required else ""
        self.label.setText(form.label(name, at) + required)
        self.hint.setText(form.hint(name, at))
        self.hint.setVisible(bool(self.hint.text()))
        if second_language and second_language != form.language:
            self.second.setText(form.label(name, at, language=second_language))
            direction = (
                Qt.LayoutDirection.RightToLeft
                if is_rtl(second_language)
                else Qt.LayoutDirection.LeftToRight
            )
            self.second.setLayoutDirection(direction)
            self.second.setAlignment(
                Qt.AlignmentFlag.AlignRight
                if is_rtl(second_language) != is_rtl(form.language)
                else Qt.AlignmentFlag.AlignLeft
            )
            self.second.show()
        else:
            self.second.hide()
        if self.input is not None:
            self.input.setAccessibleName(form.label(name, at))
        value = form.value(name, at)
        if self.question.type is QuestionType.SELECT_ONE:
            combo = self.input
            assert isinstance(combo, QComboBox)
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("", "")
            for choice in form.choices(name, at):
                combo.addItem(form.choice_text(choice), choice.name)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        elif self.question.type is QuestionType.SELECT_MULTIPLE:
            self._refresh_checkboxes(value.split())
        elif self.question.type is QuestionType.RANK:
            self._refresh_ranking(value.split())
        elif self.question.type in ATTACHMENT_TYPES and isinstance(self.input, QPushButton):
            self.input.setText(
                _("Attached: {file}").format(file=value[:8]) if value else _("Attach a file…")
            )

    def _refresh_ranking(self, ranked: list[str]) -> None:
        ranking = self.input
        assert isinstance(ranking, QListWidget)
        choices = {c.name: c for c in self.form.choices(self.question.name, self.at)}
        order = [n for n in ranked if n in choices] + [n for n in choices if n not in ranked]
        ranking.blockSignals(True)
        ranking.model().blockSignals(True)
        ranking.clear()
        for name in order:
            item = QListWidgetItem(self.form.choice_text(choices[name]))
            item.setData(Qt.ItemDataRole.UserRole, name)
            ranking.addItem(item)
        ranking.model().blockSignals(False)
        ranking.blockSignals(False)
        rows = max(ranking.count(), 1)  # as tall as its choices, no more
        ranking.setFixedHeight(ranking.sizeHintForRow(0) * rows + 2 * ranking.frameWidth() + 4)

    def _refresh_checkboxes(self, selected: list[str]) -> None:
        assert self.input is not None
        layout = self.input.layout()
        assert layout is not None
        choices = self.form.choices(self.question.name, self.at)
        boxes = [b for b in self.input.findChildren(QCheckBox) if b.parent() is self.input]
        if [b.property("choice") for b in boxes] != [c.name for c in choices]:
            for box in boxes:  # the filtered list changed: new boxes (never on a mere tick)
                layout.removeWidget(box)
                box.setParent(None)
            boxes = []
            for choice in choices:
                box = QCheckBox()
                box.setProperty("choice", choice.name)
                box.toggled.connect(lambda _on: self._multiple_changed())
                layout.addWidget(box)
                boxes.append(box)
        for box, choice in zip(boxes, choices, strict=True):
            box.blockSignals(True)
            box.setText(self.form.choice_text(choice))
            box.setChecked(choice.name in selected)
            box.blockSignals(False)
