"""Renders a FormSession page by page: one widget per question, relevance and choice filters
live, errors inline, repeats with add/remove, the form language switchable at any moment, and a
bilingual view (the survivor's language beside the interviewer's) for interpreted interviews."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError
from intake_app.core.forms.answers import At
from intake_app.core.forms.session import FormSession, Page
from intake_app.core.forms.spec import ATTACHMENT_TYPES, Group, Question, QuestionType
from intake_app.core.i18n import _, is_rtl, language_name

HIDDEN_TYPES = (QuestionType.CALCULATE, QuestionType.HIDDEN)
PLACEHOLDERS = {
    QuestionType.DATE: "2026-03-01",
    QuestionType.TIME: "14:30",
    QuestionType.DATETIME: "2026-03-01T14:30",
    QuestionType.GEOPOINT: "48.85 2.35",
}


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
        layout.addWidget(self.hint)
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
        line.editingFinished.connect(lambda: self._commit(line.text()))
        return line

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
        elif self.question.type in ATTACHMENT_TYPES and isinstance(self.input, QPushButton):
            self.input.setText(
                _("Attached: {file}").format(file=value[:8]) if value else _("Attach a file…")
            )

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


class FormView(QWidget):
    """A whole form response: pages, navigation, language, bilingual view, save and finish."""

    saved = Signal()

    def __init__(
        self,
        form: FormSession,
        save: Callable[[FormSession, bool], None],
        attach: Callable[[QWidget], tuple[str, str] | None] | None = None,
    ) -> None:
        super().__init__()
        self.form, self._save = form, save
        self._attach = attach or _no_attachments
        self.page_index = 0
        self.widgets: list[QuestionWidget] = []
        self._built: list[tuple[str, At]] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.language = QComboBox()
        for code in form.spec.languages:
            self.language.addItem(language_name(code), code)
        self.language.setCurrentIndex(self.language.findData(form.language))
        self.language.currentIndexChanged.connect(
            lambda _i: self.set_language(self.language.currentData())
        )
        self.bilingual = QCheckBox()
        self.second_language = QComboBox()
        for code in form.spec.languages:
            self.second_language.addItem(language_name(code), code)
        self.bilingual.toggled.connect(lambda _on: self.refresh())
        self.second_language.currentIndexChanged.connect(lambda _i: self.refresh())
        self.language_label, self.page_label = QLabel(), QLabel()
        self.language_label.setBuddy(self.language)
        for widget in (self.language_label, self.language, self.bilingual, self.second_language):
            bar.addWidget(widget)
        bar.addStretch()
        bar.addWidget(self.page_label)
        layout.addLayout(bar)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        layout.addWidget(self.area, 1)
        nav = QHBoxLayout()
        self.previous, self.next, self.finish = QPushButton(), QPushButton(), QPushButton()
        self.previous.clicked.connect(lambda: self.go(self.page_index - 1))
        self.next.clicked.connect(lambda: self.go(self.page_index + 1))
        self.finish.clicked.connect(self.complete)
        self.message = QLabel()
        self.message.setWordWrap(True)
        nav.addWidget(self.message, 1)
        for button in (self.previous, self.next, self.finish):
            nav.addWidget(button)
        layout.addLayout(nav)
        self.retranslate_ui()
        self.build()

    def retranslate_ui(self) -> None:
        self.language_label.setText(_("Form &language"))
        self.bilingual.setText(_("Bilingual view"))
        self.language.setAccessibleName(_("Form language"))
        self.second_language.setAccessibleName(_("Second language"))
        self.previous.setText(_("Previous"))
        self.next.setText(_("Next"))
        self.finish.setText(_("Finish"))

    def pages(self) -> list[Page]:
        return self.form.pages()

    def build(self) -> None:
        """(Re)create the widgets of the current page (after navigation or a repeat change)."""
        pages = self.pages()
        self.page_index = max(0, min(self.page_index, len(pages) - 1))
        body = QWidget()
        layout = QVBoxLayout(body)
        self.widgets = []
        if pages:
            self._add_nodes(layout, pages[self.page_index].nodes, ())
        layout.addStretch()
        self.area.setWidget(body)
        self._built = self._expected()
        self.refresh()

    def _add_nodes(self, layout: QVBoxLayout, nodes: tuple[Question | Group, ...], at: At) -> None:
        for node in nodes:
            if isinstance(node, Question):
                if node.type in HIDDEN_TYPES:
                    continue
                widget = QuestionWidget(self.form, node, at, self._attach)
                widget.changed.connect(self._answered)
                self.widgets.append(widget)
                layout.addWidget(widget)
            elif node.repeat:
                self._add_repeat(layout, node, at)
            else:
                box = QGroupBox(self.form.label(node.name, at))
                inner = QVBoxLayout(box)
                self._add_nodes(inner, node.children, at)
                box.setVisible(self.form.is_relevant(node.name, at))
                layout.addWidget(box)

    def _add_repeat(self, layout: QVBoxLayout, group: Group, at: At) -> None:
        if not self.form.is_relevant(group.name, at):
            return
        for index in range(self.form.repeat_count(group.name, at)):
            inner_at = (*at, (group.name, index))
            box = QGroupBox(f"{self.form.label(group.name, inner_at)} — {index + 1}")
            inner = QVBoxLayout(box)
            self._add_nodes(inner, group.children, inner_at)
            if not group.repeat_count:
                remove = QPushButton(_("Remove this entry"))
                remove.clicked.connect(lambda _c=False, i=index: self._remove(group.name, i, at))
                inner.addWidget(remove, alignment=Qt.AlignmentFlag.AlignRight)
            layout.addWidget(box)
        if not group.repeat_count:
            add = QPushButton(
                _("Add an entry: {section}").format(section=self.form.label(group.name, at))
            )
            add.clicked.connect(lambda: self._add(group.name, at))
            layout.addWidget(add)

    def _add(self, name: str, at: At) -> None:
        self.form.add_repeat(name, at)
        self._persist()
        self.build()

    def _remove(self, name: str, index: int, at: At) -> None:
        self.form.remove_repeat(name, index, at)
        self._persist()
        self.build()

    def refresh(self) -> None:
        second = self.second_language.currentData() if self.bilingual.isChecked() else None
        self.second_language.setEnabled(self.bilingual.isChecked())
        for widget in self.widgets:
            widget.refresh(second)
        direction = (
            Qt.LayoutDirection.RightToLeft
            if is_rtl(self.form.language)
            else Qt.LayoutDirection.LeftToRight
        )
        page = self.area.widget()
        if page is not None:
            page.setLayoutDirection(direction)  # the form's language, not the UI's
        total = len(self.pages())
        self.page_label.setText(
            _("Page {page} of {pages}").format(page=self.page_index + 1, pages=max(total, 1))
        )
        self.previous.setEnabled(self.page_index > 0)
        self.next.setEnabled(self.page_index < total - 1)

    def _answered(self) -> None:
        self._persist()
        if self._expected() != self._built:
            self.build()  # a repeat count or a section's relevance changed what the page holds
        else:
            self.refresh()

    def _expected(self) -> list[tuple[str, At]]:
        keys: list[tuple[str, At]] = []

        def walk(nodes: tuple[Question | Group, ...], at: At) -> None:
            for node in nodes:
                if isinstance(node, Question):
                    if node.type not in HIDDEN_TYPES:
                        keys.append((node.name, at))
                elif node.repeat:
                    if self.form.is_relevant(node.name, at):
                        keys.append(
                            (f"[{node.name}]", at)
                        )  # the section (and its add button) shows
                        for index in range(self.form.repeat_count(node.name, at)):
                            walk(node.children, (*at, (node.name, index)))
                else:
                    walk(node.children, at)

        pages = self.pages()
        if 0 <= self.page_index < len(pages):
            walk(pages[self.page_index].nodes, ())
        return keys

    def _persist(self) -> None:
        try:
            self._save(self.form, False)
            self.message.setText(_("Saved"))
        except IntakeError as exc:
            self.message.setText(_("Not saved: {reason}").format(reason=exc.message))
        self.saved.emit()

    def set_language(self, code: str) -> None:
        self.form.set_language(code)
        self.refresh()

    def go(self, index: int) -> None:
        self.page_index = index
        self.build()

    def check_page(self) -> int:
        """Show the page's problems next to their questions; returns how many there are."""
        pages = self.pages()
        issues = self.form.validate_page(pages[self.page_index]) if pages else []
        by_question = {(i.name, i.at): i.message for i in issues}
        for widget in self.widgets:
            message = by_question.get((widget.question.name, widget.at))
            if message:
                widget.error.setText(message)
        return len(issues)

    def complete(self) -> None:
        issues = self.form.validate()
        if issues:
            first = next(
                (i for i, p in enumerate(self.pages()) if self.form.validate_page(p)),
                self.page_index,
            )
            self.go(first)
            self.check_page()
            self.message.setText(_("Some answers need attention before the form is finished."))
            return
        try:
            self._save(self.form, True)
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(_("The form is complete."))


def _no_attachments(_parent: QWidget) -> tuple[str, str] | None:
    return None


def ask_for_file(parent: QWidget) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(parent, _("Attach a file"))
    return Path(chosen) if chosen else None
