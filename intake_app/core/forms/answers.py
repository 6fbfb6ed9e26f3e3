"""The answer tree of a form session: stored answers, the XML instance expressions run against,
relevance, calculations (with triggers) and repeat counts, kept consistent after every change."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from intake_app.core.errors import InvalidInput
from intake_app.core.forms.expressions import (
    ROOT,
    ExpressionError,
    Expressions,
    literal,
    to_text,
    truthy,
)
from intake_app.core.forms.spec import FormSpec, Group, Question
from intake_app.core.i18n import _

At = tuple[tuple[str, int], ...]
Scope = dict[str, Any]
_MAX_PASSES = 5
# No computed value may grow past this (a chain of doubling concats reached 23 GB): the answer
# that would make one do so is refused, naming the calculation.
MAX_COMPUTED_CHARS = 65_536
MAX_REPEAT_ENTRIES = 200  # a repeat_count asks for at most this many entries


class ComputedTooLarge(InvalidInput):
    def __init__(self, name: str) -> None:
        super().__init__(
            _(
                "The calculation '{name}' would hold more than {limit} characters; the answer "
                "that caused it was not taken."
            ).format(name=name, limit=f"{MAX_COMPUTED_CHARS:,}")
        )


class AnswerTree:
    def __init__(
        self, spec: FormSpec, expressions: Expressions, values: Scope | None = None
    ) -> None:
        self.spec = spec
        self.expressions = expressions
        self.nodes = {node.name: node for node in spec.walk()}  # by key
        self.references = spec.references()  # by the name ${…} gives
        self.values: Scope = copy_scope(values or {})
        self.elements: dict[tuple[str, At], ElementTree.Element] = {}
        self.relevant: dict[tuple[str, At], bool] = {}
        self.root = ElementTree.Element(ROOT)

    def iter_questions(self) -> Iterator[tuple[Question, At]]:
        """Every question in every existing repeat instance, in form order."""

        def visit(
            nodes: tuple[Question | Group, ...], scope: Scope, at: At
        ) -> Iterator[tuple[Question, At]]:
            for node in nodes:
                if isinstance(node, Question):
                    yield node, at
                elif node.repeat:
                    for index, instance in enumerate(scope.get(node.name, [])):
                        yield from visit(node.children, instance, (*at, (node.name, index)))
                else:
                    yield from visit(node.children, scope, at)

        return visit(self.spec.children, self.values, ())

    # -- serialisation ----------------------------------------------------------------------
    def repeats_of(self, node: Question | Group) -> list[str]:
        groups = [self.nodes[name] for name in node.path]
        return [g.name for g in groups if isinstance(g, Group) and g.repeat]

    def scope(self, node: Question | Group, at: At, *, create: bool = False) -> Scope:
        repeats = self.repeats_of(node)
        if [name for name, _index in at] != repeats:
            raise InvalidInput(_("That answer is inside a repeated section: say which entry."))
        scope = self.values
        for name, index in at:
            instances = scope.get(name, [])
            if not 0 <= index < len(instances):
                raise InvalidInput(_("There is no such entry."))
            scope = instances[index]
        return scope

    def true(self, expression: str, node: Question | Group, at: At) -> bool:
        return truthy(self.evaluate(expression, node, at))

    def evaluate(self, expression: str, node: Question | Group, at: At) -> Any:
        element = self.elements.get((node.name, at))
        parent: ElementTree.Element | None = None
        placeholder = None
        if element is None and isinstance(node, Group) and node.repeat:
            # A repeat with no entry yet: judge it from where its first entry would stand.
            parent = self.elements.get((at[-1][0], at)) if at else self.root
            if parent is not None:
                placeholder = element = ElementTree.SubElement(parent, node.xml_name or node.name)
        try:
            return self.expressions.evaluate(expression, node, self.root, element)
        except ExpressionError:
            return ""  # a runtime failure (e.g. a bad regex) must not stop the interview
        finally:
            if placeholder is not None and parent is not None:
                parent.remove(placeholder)

    def with_values(self, expression: str, node: Question, at: At) -> str:
        """Replace ${refs} by the current values as literals (for choice filters)."""

        def replace(match: re.Match[str]) -> str:
            target = self.references.get(match.group(1))
            if not isinstance(target, Question):
                return match.group(0)
            target_at = at[: len(self.repeats_of(target))]
            return literal(str(self.scope(target, target_at).get(target.name, "")))

        return re.sub(r"\$\{([^}\s]+)\}", replace, expression)

    def apply_defaults(self, nodes: tuple[Question | Group, ...], scope: Scope, at: At) -> None:
        for node in nodes:
            if isinstance(node, Group):
                if not node.repeat:
                    self.apply_defaults(node.children, scope, at)
            elif node.default and node.name not in scope and node.is_input:
                if "${" in node.default or "(" in node.default:
                    self.rebuild_instance()
                    scope[node.name] = to_text(self.evaluate(node.default, node, at))
                else:
                    scope[node.name] = node.default

    def open_repeats(self, nodes: tuple[Question | Group, ...], scope: Scope) -> None:
        """The form's opening entries, as ODK makes them from the form's own instance: each
        repeat without a count gets one entry, and so does each nested one inside a first entry.
        Entries added later (by the interviewer or by a count) start from the template, whose
        nested repeats have no entry."""
        for node in nodes:
            if isinstance(node, Group) and node.repeat:
                if not node.repeat_count and not scope.get(node.name):
                    scope[node.name] = [{}]
                for instance in scope.get(node.name, [])[:1]:
                    self.open_repeats(node.children, instance)
            elif isinstance(node, Group):
                self.open_repeats(node.children, scope)

    def typed(self, scope: Scope) -> bool:
        """Whether an entry holds an answer someone gave (calculated values and the empty entries
        of nested repeats are not answers)."""
        for name, value in scope.items():
            if isinstance(value, list):
                if any(self.typed(entry) for entry in value):
                    return True
            else:
                node = self.nodes.get(name)
                if isinstance(node, Question) and node.is_input:
                    return True
        return False

    def refresh(self, changed: str | None = None) -> None:
        """Calculations, repeat counts and relevance, to a fixed point. Irrelevant answers stay
        stored but count as blank in every expression, as in ODK."""
        for _pass in range(_MAX_PASSES):
            self.rebuild_instance()
            moved = self.recalculate(changed)
            changed = None
            moved = self.sync_repeat_counts() or moved
            self.rebuild_instance()
            if not self.compute_relevance() and not moved:
                break

    def recalculate(self, changed: str | None) -> bool:
        moved = False
        source = self.nodes.get(changed or "")
        written = (source.xml_name or source.name) if source is not None else None
        for question, at in list(self.iter_questions()):
            if not question.calculate:
                continue
            if question.trigger and (written is None or f"${{{written}}}" not in question.trigger):
                continue
            scope = self.scope(question, at)
            relevant = self.relevant.get((question.name, at), True)
            value = to_text(self.evaluate(question.calculate, question, at)) if relevant else ""
            if len(value) > MAX_COMPUTED_CHARS:
                raise ComputedTooLarge(question.name)
            if scope.get(question.name, "") != value:
                if value:
                    scope[question.name] = value
                else:
                    scope.pop(question.name, None)
                element = self.elements.get((question.name, at))
                if element is not None:
                    element.text = value
                moved = True
        return moved

    def sync_repeat_counts(self) -> bool:
        moved = False
        for node in self.spec.walk():
            if not (isinstance(node, Group) and node.repeat and node.repeat_count):
                continue
            for at in self.instances_of_parent(node):
                wanted = to_text(self.evaluate(node.repeat_count, node, at))
                try:
                    count = max(0, min(int(float(wanted or "0")), MAX_REPEAT_ENTRIES))
                except ValueError:
                    count = 0
                instances = self.scope(node, at, create=True).setdefault(node.name, [])
                while len(instances) < count:
                    instances.append({})
                    if len(instances) == 1:  # the form's own first entry, as in ODK
                        self.open_repeats(node.children, instances[0])
                    self.apply_defaults(
                        node.children, instances[-1], (*at, (node.name, len(instances) - 1))
                    )
                    moved = True
                while len(instances) > count and not self.typed(
                    instances[-1]
                ):  # never drop an answer
                    instances.pop()
                    moved = True
        return moved

    def instances_of_parent(self, node: Group) -> list[At]:
        repeats = self.repeats_of(node)
        found: list[At] = [()]
        for name in repeats:
            expanded: list[At] = []
            for at in found:
                count = len(self.scope(self.nodes[name], at).get(name, []))
                expanded.extend((*at, (name, i)) for i in range(count))
            found = expanded
        return found

    def rebuild_instance(self) -> None:
        self.root = ElementTree.Element(ROOT)
        self.elements = {}

        def fill(
            parent: ElementTree.Element, nodes: tuple[Question | Group, ...], scope: Scope, at: At
        ) -> None:
            for node in nodes:
                if isinstance(node, Question):
                    element = ElementTree.SubElement(parent, node.xml_name or node.name)
                    shown = self.relevant.get((node.name, at), True)
                    element.text = str(scope.get(node.name, "")) if shown else ""
                    self.elements[(node.name, at)] = element
                elif node.repeat:
                    for index, instance in enumerate(scope.get(node.name, [])):
                        element = ElementTree.SubElement(parent, node.xml_name or node.name)
                        inner = (*at, (node.name, index))
                        self.elements[(node.name, inner)] = element
                        fill(element, node.children, instance, inner)
                else:
                    element = ElementTree.SubElement(parent, node.xml_name or node.name)
                    self.elements[(node.name, at)] = element
                    fill(element, node.children, scope, at)

        fill(self.root, self.spec.children, self.values, ())

    def compute_relevance(self) -> bool:
        """Recompute which nodes are relevant; returns whether anything changed."""
        before = self.relevant
        self.relevant = {}

        def visit(nodes: tuple[Question | Group, ...], scope: Scope, at: At, parent: bool) -> None:
            for node in nodes:
                if isinstance(node, Group) and node.repeat:
                    for index, instance in enumerate(scope.get(node.name, [])):
                        inner = (*at, (node.name, index))
                        own = parent and (
                            not node.relevant or self.true(node.relevant, node, inner)
                        )
                        self.relevant[(node.name, inner)] = own
                        visit(node.children, instance, inner, own)
                    # The section itself (shown even before its first entry) is judged in its parent.
                    section = parent and (not node.relevant or self.true(node.relevant, node, at))
                    self.relevant.setdefault((node.name, at), section)
                    continue
                own = parent and (not node.relevant or self.true(node.relevant, node, at))
                self.relevant[(node.name, at)] = own
                if isinstance(node, Group):
                    visit(node.children, scope, at, own)

        visit(self.spec.children, self.values, (), True)
        return self.relevant != before


def copy_scope(scope: Scope) -> Scope:
    return {k: [copy_scope(i) for i in v] if isinstance(v, list) else v for k, v in scope.items()}
