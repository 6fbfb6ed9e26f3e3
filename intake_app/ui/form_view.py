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
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError
from intake_app.core.forms.answers import At
from intake_app.core.forms.session import FormSession, Page
from intake_app.core.forms.spec import Group, Question
from intake_app.core.i18n import _, is_rtl, language_name
from intake_app.ui.question_widget import HIDDEN_TYPES, QuestionWidget


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
