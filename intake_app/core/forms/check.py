"""``forms check``: every problem in a form, each with its file, sheet, row and column."""

from __future__ import annotations

import re
from pathlib import Path

from intake_app.core.forms.answers import MAX_REPEAT_ENTRIES
from intake_app.core.forms.consent_binding import binding_problems
from intake_app.core.forms.expressions import (
    ExpressionError,
    Expressions,
    choice_columns,
    literal,
    references,
)
from intake_app.core.forms.loader import load_form_bytes, read_form_file
from intake_app.core.forms.media import MediaError, read_media_files
from intake_app.core.forms.problems import FormError, Problem
from intake_app.core.forms.spec import FormSpec, Group, Question, Sensitivity
from intake_app.core.i18n import _

# Columns whose cells are expressions, with the attribute that holds each.
_EXPRESSION_COLUMNS = (
    ("relevant", "relevant"),
    ("constraint", "constraint"),
    ("required", "required"),
    ("calculation", "calculate"),
    ("default", "default"),
    ("read_only", "read_only"),
    ("trigger", "trigger"),
    ("choice_filter", "choice_filter"),
    ("repeat_count", "repeat_count"),
)
_INSTANCE = re.compile(r"""instance\(\s*['"]([^'"]*)['"]\s*\)""")
# Texts that must exist in every language of the form once they exist in one.
_TRANSLATED = (
    ("label", "labels"),
    ("hint", "hints"),
    ("guidance_hint", "guidance"),
    ("constraint_message", "constraint_messages"),
    ("required_message", "required_messages"),
)


def check_path(
    path: Path, media: list[Path] | None = None
) -> tuple[FormSpec | None, list[Problem]]:
    try:
        files = read_media_files(media or [])
    except MediaError as exc:
        return None, [Problem(path.name, str(exc))]
    try:
        return check_bytes(path.name, read_form_file(path), files)
    except FormError as exc:
        return None, exc.problems


def check_bytes(
    name: str, data: bytes, media: dict[str, bytes] | None = None
) -> tuple[FormSpec | None, list[Problem]]:
    """The form (when it loads) and every problem found; a form with errors must not be used."""
    try:
        spec = load_form_bytes(name, data, media)
    except FormError as exc:
        return None, exc.problems
    problems = _expressions(name, spec) + _cycles(name, spec) + _translations(name, spec)
    problems += [
        Problem(name, message, sheet, row, column, warning=True)
        for sheet, row, column, message in spec.warnings
    ]
    problems += [
        Problem(
            name,
            _("A repeat count above {limit} gives {limit} entries here.").format(
                limit=MAX_REPEAT_ENTRIES
            ),
            "survey",
            group.row,
            "repeat_count",
            warning=True,
        )
        for group in spec.walk()
        if isinstance(group, Group) and _above(group.repeat_count, MAX_REPEAT_ENTRIES)
    ]
    problems += [
        Problem(name, message, "survey", question.row, column)
        for question, column, message in binding_problems(spec)
    ]
    if all(q.sensitivity is Sensitivity.UNCLASSIFIED for q in spec.questions() if q.is_input):
        problems.append(
            Problem(
                name,
                _(
                    "No question has a sensitivity class: every answer will be treated as unclassified and "
                    "withheld from exports. Add a 'sensitivity' column."
                ),
                "survey",
                None,
                "sensitivity",
                warning=True,
            )
        )
    return spec, problems


def _above(count: str | None, limit: int) -> bool:
    """A repeat count written as a number larger than the limit (an expression is judged when
    the form runs)."""
    try:
        return count is not None and float(count) > limit
    except ValueError:
        return False


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]


def _expressions(name: str, spec: FormSpec) -> list[Problem]:
    compiler = Expressions(spec)
    known = set(spec.references())
    written = {node.xml_name or node.name for node in spec.walk()}
    problems = []
    for node in spec.walk():
        for column, attribute in _EXPRESSION_COLUMNS:
            expression = getattr(node, attribute, None)
            if not expression:
                continue
            unknown = [ref for ref in references(expression) if ref not in known]
            if unknown:
                message = (
                    _(
                        "'{expression}' refers to ${{{ref}}}, but more than one question has that "
                        "name: a name that is referred to must be unique in the form."
                    )
                    if unknown[0] in written
                    else _(
                        "'{expression}' refers to ${{{ref}}}, which is not a question in this form."
                    )
                )
                problems.append(
                    Problem(
                        name,
                        message.format(expression=expression, ref=unknown[0]),
                        "survey",
                        node.row,
                        column,
                    )
                )
                continue
            lists = [
                n
                for n in _INSTANCE.findall(expression)
                if n not in spec.choices and n not in spec.tables
            ]
            if lists:
                problems.append(
                    Problem(
                        name,
                        _(
                            "'{expression}' reads instance('{list}'), which is not a choice list "
                            "of this form."
                        ).format(expression=expression, list=lists[0]),
                        "survey",
                        node.row,
                        column,
                    )
                )
                continue
            if column == "default" and "${" not in expression and "(" not in expression:
                continue  # a literal default value
            if column == "choice_filter":
                expression = choice_columns(_literal_refs(expression), spec)
            try:
                compiler.compile(expression, None if column == "choice_filter" else node)
            except ExpressionError as exc:
                problems.append(
                    Problem(
                        name,
                        _("'{expression}' is not a valid expression: {reason}.").format(
                            expression=expression, reason=exc
                        ),
                        "survey",
                        node.row,
                        column,
                    )
                )
    return problems


def _cycles(name: str, spec: FormSpec) -> list[Problem]:
    """Calculations and relevance that depend on themselves, directly (a relevant naming its own
    question) or in a circle (a's calculation uses b, b's uses a): ODK refuses such a form, and
    no order of evaluation could settle it. Each circle is named once, at its first question."""
    nodes = {node.name: node for node in spec.walk()}
    referred = spec.references()
    edges: dict[str, list[tuple[str, str]]] = {}
    for node in spec.walk():
        for column, attribute in (("calculation", "calculate"), ("relevant", "relevant")):
            for ref in references(getattr(node, attribute, None) or ""):
                if ref in referred:
                    edges.setdefault(node.name, []).append((referred[ref].name, column))
    # peel off what leads to no circle; what is left is on a circle or leads into one
    left = set(edges)
    while True:
        settled = {n for n in left if all(t not in left for t, _c in edges[n])}
        if not settled:
            break
        left -= settled
    problems: list[Problem] = []
    reported: set[frozenset[str]] = set()
    for start in sorted(left, key=lambda n: nodes[n].row):
        walk: list[tuple[str, str]] = []
        seen: dict[str, int] = {}
        current = start
        while current not in seen:  # every node left has a target left: this ends on a circle
            seen[current] = len(walk)
            target, column = next((t, c) for t, c in edges[current] if t in left)
            walk.append((current, column))
            current = target
        circle = walk[seen[current] :]
        members = frozenset(n for n, _c in circle)
        if members in reported:
            continue
        reported.add(members)
        first, first_column = min(circle, key=lambda step: nodes[step[0]].row)
        at = next(i for i, (n, _c) in enumerate(circle) if n == first)
        ordered = circle[at:] + circle[:at]
        chain = " → ".join(f"${{{nodes[n].xml_name or n}}}" for n, _c in [*ordered, ordered[0]])
        problems.append(
            Problem(
                name,
                _(
                    "These refer to each other in a circle, so no value can ever settle: {chain}."
                ).format(chain=chain),
                "survey",
                nodes[first].row,
                first_column,
            )
        )
    return problems


def _literal_refs(expression: str) -> str:
    for ref in references(expression):
        expression = expression.replace(f"${{{ref}}}", literal(""))
    return expression


def _translations(name: str, spec: FormSpec) -> list[Problem]:
    if len(spec.languages) < 2:
        return []
    problems = []
    for node in spec.walk():
        if isinstance(node, Question) and node.generated:
            continue  # pyxform wrote it; there is no cell for the author to fix
        if isinstance(node, Question) and node.is_input and not node.labels:
            problems.append(
                Problem(
                    name,
                    _("The question '{name}' has no label.").format(name=node.name),
                    "survey",
                    node.row,
                    "label",
                )
            )
        for column, attribute in _TRANSLATED:
            texts = getattr(node, attribute, None)
            if not texts:
                continue
            for language in spec.languages:
                if language not in texts:
                    problems.append(
                        Problem(
                            name,
                            _(
                                "'{name}' has no {column} in {language}; the {default} text is shown instead."
                            ).format(
                                name=node.name,
                                column=column,
                                language=language,
                                default=spec.default_language,
                            ),
                            "survey",
                            node.row,
                            f"{column}::{spec.language_names.get(language, language)}",
                            warning=True,  # ODK shows the default language's text instead
                        )
                    )
    for list_name, choices in spec.choices.items():
        for choice in choices:
            for language in spec.languages:
                if choice.labels and language not in choice.labels:
                    problems.append(
                        Problem(
                            name,
                            _(
                                "The choice '{choice}' of list '{list}' has no label in "
                                "{language}; the {default} label is shown instead."
                            ).format(
                                choice=choice.name,
                                list=list_name,
                                language=language,
                                default=spec.default_language,
                            ),
                            "choices",
                            choice.row,
                            f"label::{spec.language_names.get(language, language)}",
                            warning=True,
                        )
                    )
    return problems
