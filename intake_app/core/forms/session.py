"""A form being answered: Qt-free, so the GUI, the CLI and the tests drive the same logic.

Answers are text (as in ODK), keyed by question name; a repeat holds a list of instances, each a
dict of the same shape. ``at`` addresses a repeat instance: ``(("perpetrators", 0),)``.
Answers to questions that become irrelevant are kept (nothing typed is lost) but not shown,
validated or counted as answered.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

from intake_app.core.errors import InvalidInput
from intake_app.core.forms.answers import AnswerTree, At, ComputedTooLarge, Scope, copy_scope
from intake_app.core.forms.expressions import (
    ExpressionError,
    Expressions,
    choice_columns,
    truthy,
)
from intake_app.core.forms.spec import Choice, FormSpec, Group, Question, QuestionType
from intake_app.core.forms.values import normalise
from intake_app.core.i18n import _

_XML_NAME = re.compile(r"^[A-Za-z_][\w.-]*$")


def _itext_id(list_name: str, index: int) -> str:
    return f"static_instance-{list_name}-{index}"


@dataclass(frozen=True)
class Issue:
    """A validation message for one answer."""

    name: str
    at: At
    message: str


@dataclass(frozen=True)
class Page:
    """What the interviewer sees at once: a top-level group, or a run of top-level questions."""

    title: str | None
    nodes: tuple[Question | Group, ...]


class FormSession:
    def __init__(
        self,
        spec: FormSpec,
        *,
        language: str | None = None,
        answers: Scope | None = None,
        clock: Any = None,
        username: str = "",
    ) -> None:
        self.spec = spec
        self._clock = clock
        self.username = username
        self._instances: dict[tuple[str, str], Any] = {}
        self.language = language or spec.default_language
        self._check_language(self.language)
        self.languages_used: list[str] = [self.language]
        self.expressions = Expressions(spec, self)
        self._nodes = {node.name: node for node in spec.walk()}  # by key
        self._references = spec.references()  # by the name ${…} gives
        self.tree = AnswerTree(spec, self.expressions, answers)
        if answers is None:  # a new record: each repeat opens with one entry, as in ODK
            self.tree.open_repeats(spec.children, self.tree.values)
        self.tree.apply_defaults(spec.children, self.tree.values, ())
        self._fill_metadata(opening=answers is None)
        self.tree.refresh()

    # -- environment for ODK functions ------------------------------------------------------
    def now(self) -> datetime:
        return self._clock.now() if self._clock is not None else datetime.now(UTC)

    def choice_label(self, path: str, value: str) -> str:
        node = self.expressions.node_at(path)
        if not isinstance(node, Question) or not node.choice_list:
            return ""
        choice = next(
            (c for c in self.spec.choices.get(node.choice_list, ()) if c.name == value), None
        )
        return self._text(choice.labels) if choice else ""

    def secondary_instance(self, name: str) -> Any:
        """A choice list as ODK's secondary instance of that name (None: no such list): an item
        per choice with its name, its other columns, and its label in the form's language, or,
        in a translated form, the itextId that jr:itext() reads, as pyxform writes them."""
        if name in self.spec.tables:  # csv-external / xml-external: every column, as written
            return self._table_instance(name)
        if name not in self.spec.choices:
            return None
        translated = len(self.spec.languages) > 1
        key = (name, "" if translated else self.language)
        document = self._instances.get(key)
        if document is None:
            from elementpath import get_node_tree

            root = ElementTree.Element("root")
            for index, choice in enumerate(self.spec.choices[name]):
                item = ElementTree.SubElement(root, "item")
                if translated:
                    ElementTree.SubElement(item, "itextId").text = _itext_id(name, index)
                ElementTree.SubElement(item, "name").text = choice.name
                if not translated:
                    ElementTree.SubElement(item, "label").text = self._text(choice.labels)
                for column, text in choice.columns.items():
                    ElementTree.SubElement(item, column).text = text
            document = self._instances[key] = get_node_tree(ElementTree.ElementTree(root))
        return document

    def _table_instance(self, name: str) -> Any:
        key = (name, "\0table")
        document = self._instances.get(key)
        if document is None:
            from elementpath import get_node_tree

            root = ElementTree.Element("root")
            for row in self.spec.tables[name]:
                item = ElementTree.SubElement(root, "item")
                for column, text in row.items():
                    if _XML_NAME.match(column):
                        ElementTree.SubElement(item, column).text = text
            document = self._instances[key] = get_node_tree(ElementTree.ElementTree(root))
        return document

    def pulldata(self, table: str, column: str, key_column: str, key: str) -> str:
        """ODK's pulldata(): the column of the first row whose key column holds the key."""
        for row in self.spec.tables.get(table, ()):
            if row.get(key_column) == key:
                return row.get(column, "")
        return ""

    def itext(self, identifier: str) -> str:
        """The label a translated list's itextId names, in the form's language."""
        list_name, _sep, index = identifier.removeprefix("static_instance-").rpartition("-")
        choices = self.spec.choices.get(list_name, ())
        if not index.isdigit() or int(index) >= len(choices):
            return ""
        return self._text(choices[int(index)].labels)

    # -- language ---------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """Switch the form's language at any moment; answers are untouched."""
        self._check_language(language)
        self.language = language
        if language not in self.languages_used:
            self.languages_used.append(language)
        self.tree.refresh()  # what jr:itext() reads follows the language, as in ODK

    def _check_language(self, language: str) -> None:
        if language not in self.spec.languages:
            raise InvalidInput(_("This form has no {language} version.").format(language=language))

    def _text(self, texts: dict[str, str], language: str | None = None) -> str:
        language = language or self.language
        return (
            texts.get(language)
            or texts.get(self.spec.default_language)
            or next(iter(texts.values()), "")
        )

    def label(self, name: str, at: At = (), language: str | None = None) -> str:
        node = self._nodes[name]
        return self._interpolate(self._text(node.labels, language), node, at)

    def hint(self, name: str, at: At = (), language: str | None = None) -> str:
        node = self._nodes[name]
        return (
            self._interpolate(self._text(node.hints, language), node, at)
            if isinstance(node, Question)
            else ""
        )

    def guidance(self, name: str, language: str | None = None) -> str:
        node = self._nodes[name]
        return self._text(node.guidance, language) if isinstance(node, Question) else ""

    def _interpolate(self, text: str, node: Question | Group, at: At) -> str:
        def value_of(match: re.Match[str]) -> str:
            target = self._references.get(match.group(1))
            if not isinstance(target, Question):
                return match.group(0)
            target_at = at[: len(self.tree.repeats_of(target))]
            return self.display(target.name, target_at)

        return re.sub(r"\$\{([^}\s]+)\}", value_of, text)

    def display(self, name: str, at: At = ()) -> str:
        """An answer as a person reads it: choice labels in the current language."""
        question = self.spec.question(name)
        value = self.value(name, at)
        if question.choice_list and value:
            labels = {
                c.name: self._text(c.labels)
                for c in self.spec.choices.get(question.choice_list, ())
            }
            return ", ".join(labels.get(v, v) for v in value.split())
        return value

    # -- answers ----------------------------------------------------------------------------
    def value(self, name: str, at: At = ()) -> str:
        question = self.spec.question(name)
        return str(self.tree.scope(question, at).get(name, ""))

    def set(self, name: str, value: Any, at: At = ()) -> None:
        """Set an answer (checked for its type); calculations and relevance follow at once."""
        question = self.spec.question(name)
        if not question.is_input:
            raise InvalidInput(_("This item is calculated by the form and cannot be answered."))
        if question.read_only and self.tree.true(question.read_only, question, at):
            raise InvalidInput(_("This answer is read-only."))
        text = normalise(question, value, self.spec)
        with self._undone_if_too_large():
            scope = self.tree.scope(question, at, create=True)
            if text:
                scope[name] = text
            else:
                scope.pop(name, None)
            self._stamp_end()
            self.tree.refresh(changed=name)
        if self.language not in self.languages_used:
            self.languages_used.append(self.language)

    def answers(self) -> Scope:
        return copy_scope(self.tree.values)

    # -- repeats ----------------------------------------------------------------------------
    def repeat_count(self, name: str, at: At = ()) -> int:
        group = self._group(name)
        return len(self.tree.scope(group, at).get(name, []))

    def add_repeat(self, name: str, at: At = ()) -> int:
        """Add an instance of a repeat (e.g. another perpetrator); returns its index."""
        group = self._group(name)
        if group.repeat_count:
            raise InvalidInput(_("The number of entries here is set by an earlier answer."))
        with self._undone_if_too_large():
            instances = self.tree.scope(group, at, create=True).setdefault(name, [])
            instances.append({})
            index = len(instances) - 1
            self.tree.apply_defaults(group.children, instances[index], (*at, (name, index)))
            self.tree.refresh()
        return index

    def remove_repeat(self, name: str, index: int, at: At = ()) -> None:
        group = self._group(name)
        instances = self.tree.scope(group, at).get(name, [])
        if not 0 <= index < len(instances):
            raise InvalidInput(_("There is no such entry."))
        with self._undone_if_too_large():
            del instances[index]
            self.tree.refresh()

    def _group(self, name: str) -> Group:
        node = self._nodes.get(name)
        if not isinstance(node, Group) or not node.repeat:
            raise KeyError(name)
        return node

    # -- relevance, choices, validation -------------------------------------------------------
    def is_relevant(self, name: str, at: At = ()) -> bool:
        node = self._nodes[name]
        key_at = (
            at[: len(self.tree.repeats_of(node))]
            if not (isinstance(node, Group) and node.repeat)
            else at
        )
        return self.tree.relevant.get((name, key_at), True)

    def choices(self, name: str, at: At = ()) -> list[Choice]:
        """The question's choices after its choice_filter, in form order."""
        question = self.spec.question(name)
        options = list(self.spec.choices.get(question.choice_list or "", ()))
        if not question.choice_filter:
            return options
        expression = choice_columns(
            self.tree.with_values(question.choice_filter, question, at), self.spec
        )
        kept = []
        for choice in options:
            item = ElementTree.Element("item")
            for column, text in (("name", choice.name), *choice.columns.items()):
                ElementTree.SubElement(item, column).text = text
            for language, text in choice.labels.items():
                ElementTree.SubElement(item, f"label_{language.replace('-', '_')}").text = text
            try:
                if truthy(self.expressions.evaluate(expression, None, item, item)):
                    kept.append(choice)
            except ExpressionError:
                continue
        return kept

    def choice_text(self, choice: Choice) -> str:
        return self._text(choice.labels)

    def validate(self, names: list[str] | None = None) -> list[Issue]:
        """Required and constraint checks for relevant answers (all, or the given questions)."""
        issues: list[Issue] = []
        for question, at in self.iter_questions():
            if names is not None and question.name not in names:
                continue
            if not question.is_input or not self.is_relevant(question.name, at):
                continue
            value = self.value(question.name, at)
            if not value:
                if question.required and self.tree.true(question.required, question, at):
                    message = self._text(question.required_messages) or _(
                        "This answer is required."
                    )
                    issues.append(Issue(question.name, at, message))
                continue
            if question.type is QuestionType.SELECT_ONE and question.choice_filter:
                if value not in {c.name for c in self.choices(question.name, at)}:
                    issues.append(
                        Issue(
                            question.name, at, _("This choice no longer fits the earlier answers.")
                        )
                    )
                    continue
            if question.constraint and not self.tree.true(question.constraint, question, at):
                message = self._text(question.constraint_messages) or _("This answer is not valid.")
                issues.append(Issue(question.name, at, message))
        return issues

    def iter_questions(self) -> Iterator[tuple[Question, At]]:
        """Every question in every existing repeat instance, in form order."""
        return self.tree.iter_questions()

    def validate_page(self, page: Page) -> list[Issue]:
        """The checks for the questions on one page (including inside its groups and repeats)."""
        names: list[str] = []

        def collect(nodes: tuple[Question | Group, ...]) -> None:
            for node in nodes:
                if isinstance(node, Group):
                    collect(node.children)
                else:
                    names.append(node.name)

        collect(page.nodes)
        return self.validate(names)

    def pages(self) -> list[Page]:
        """Top-level groups each make a page; runs of top-level questions share one. Irrelevant
        pages are skipped."""
        pages: list[Page] = []
        run: list[Question | Group] = []
        for node in self.spec.children:
            if isinstance(node, Group):
                if run:
                    pages.append(Page(None, tuple(run)))
                    run = []
                pages.append(Page(self.label(node.name), (node,)))
            elif node.type not in (
                QuestionType.CALCULATE,
                QuestionType.HIDDEN,
                QuestionType.METADATA,
            ):
                run.append(node)
        if run:
            pages.append(Page(None, tuple(run)))
        return [p for p in pages if any(self.is_relevant(n.name) for n in p.nodes)]

    def to_json(self) -> dict[str, Any]:
        return {
            "form_id": self.spec.form_id,
            "version": self.spec.version,
            "languages": list(self.languages_used),
            "answers": self.answers(),
        }

    @classmethod
    def from_json(
        cls,
        spec: FormSpec,
        data: dict[str, Any],
        *,
        language: str | None = None,
        clock: Any = None,
        username: str = "",
    ) -> FormSession:
        if data.get("form_id") != spec.form_id or str(data.get("version")) != spec.version:
            raise InvalidInput(_("These answers belong to another form or version."))
        used = [code for code in data.get("languages") or [] if code in spec.languages]
        session = cls(
            spec,
            language=language or (used[-1] if used else None),
            answers=dict(data.get("answers") or {}),
            clock=clock,
            username=username,
        )
        session.languages_used = list(dict.fromkeys([*used, *session.languages_used]))
        return session

    # -- internals ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _undone_if_too_large(self) -> Iterator[None]:
        """A change that would make a calculation grow past the cap leaves every answer as it
        was before it, and says which calculation (ComputedTooLarge)."""
        before = copy_scope(self.tree.values)
        try:
            yield
        except ComputedTooLarge:
            self.tree.values = before
            self.tree.refresh()
            raise

    def _stamp_end(self) -> None:
        for question in self.spec.children:
            if isinstance(question, Question) and question.metadata == "end":
                self.tree.values[question.name] = self.now().isoformat(timespec="milliseconds")

    def _fill_metadata(self, *, opening: bool) -> None:
        """What a phone fills in itself, as far as a desktop knows it, set when the record is
        first opened and kept: when (start, today, end) and by whom (username, the acting user);
        end follows each answer. Anything else (device ID, position) stays empty: a warning says so."""
        now = self.now()
        values = {
            "start": now.isoformat(timespec="milliseconds"),
            "today": now.date().isoformat(),
            "end": now.isoformat(timespec="milliseconds"),
            "username": self.username,
            "uri:username": self.username,
        }
        for question in self.spec.children:
            if not isinstance(question, Question) or question.type is not QuestionType.METADATA:
                continue
            value = values.get(question.metadata or "", "")
            if value and (opening or question.name not in self.tree.values):
                self.tree.values[question.name] = value
