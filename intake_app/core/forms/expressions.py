"""XLSForm expressions (``${name}`` form) → compiled ODK XPath, evaluated against an answer instance.

References follow ODK: ``${x}`` is an absolute path, except when ``x`` and the expression's own
node share a repeat, where it is relative to the current repeat instance (so ``${age}`` inside a
repeat means *this* person's age).
"""

from __future__ import annotations

import math
import re
from typing import Any
from xml.etree import ElementTree

from elementpath import XPathContext
from elementpath.exceptions import ElementPathError

from intake_app.core.forms.odk_xpath import Environment, OdkParser, format_number
from intake_app.core.forms.spec import FormSpec, Group, Question

REFERENCE = re.compile(r"\$\{([^}\s]*)\}")
ROOT = "data"


class ExpressionError(Exception):
    pass


def references(expression: str) -> list[str]:
    return REFERENCE.findall(expression)


def full_path(node: Question | Group) -> tuple[str, ...]:
    return (*node.path, node.name)


def choice_columns(expression: str, spec: FormSpec) -> str:
    """A choice filter's column names as the filter's items carry them: ``label::English (en)``
    (as the choices sheet writes its columns) is that language's label, ``label_en``."""
    for code, key in sorted(spec.language_names.items(), key=lambda item: -len(item[1])):
        expression = expression.replace(f"label::{key}", f"label_{code.replace('-', '_')}")
    return expression


def literal(value: str) -> str:
    """An XPath 1.0 string literal for any text."""
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in value.split("'")) + ")"


def to_text(value: Any) -> str:
    """How an expression's result is stored as an answer (ODK keeps every answer as text)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else format_number(value)  # 1 div 0 is "Infinity"
    if isinstance(value, ElementTree.Element):
        return value.text or ""
    if hasattr(value, "elem"):  # an elementpath node
        return "".join(value.elem.itertext())
    return "" if value is None else str(value)


def truthy(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, str):
        return bool(value)
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    return bool(value)


class Expressions:
    """Compiles and evaluates one form's expressions (cached per expression and context)."""

    def __init__(self, spec: FormSpec, environment: Environment | None = None) -> None:
        self.spec = spec
        self._nodes = {node.name: node for node in spec.walk()}  # by key
        self._references = spec.references()  # by the name ${…} gives
        self._parser_class = type("FormParser", (OdkParser,), {"environment": environment})
        self._cache: dict[tuple[str, str | None], Any] = {}

    def xpath(self, expression: str, context: Question | Group | None) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            target = self._references.get(name)
            if target is None:
                raise ExpressionError(f"unknown name ${{{name}}}")
            return self._path_to(target, context)

        return REFERENCE.sub(replace, expression)

    def _path_to(self, target: Question | Group, context: Question | Group | None) -> str:
        target_path = full_path(target)
        if context is not None:
            context_path = full_path(context)
            common = 0
            while (
                common < min(len(target_path), len(context_path))
                and target_path[common] == context_path[common]
            ):
                common += 1
            shared_repeat = any(
                isinstance(self._nodes.get(name), Group) and self._nodes[name].repeat  # type: ignore[union-attr]
                for name in target_path[:common]
            )
            if shared_repeat:
                ups = len(context_path) - common
                rest = target_path[common:]
                parts = [".."] * ups + list(rest)
                return "/".join(self._element(p) for p in parts) if parts else "."
        return "/" + "/".join((ROOT, *(self._element(key) for key in target_path)))

    def _element(self, key: str) -> str:
        """The instance element of a node (its XLSForm name, as in ODK's instance)."""
        node = self._nodes.get(key)
        return (node.xml_name or node.name) if node is not None else key

    def node_at(self, path: str) -> Question | Group | None:
        """The node an absolute or relative instance path ends at (jr:choice-name's argument)."""
        steps = [s for s in path.strip().split("/") if s and s not in (".", "..", ROOT)]
        steps = [re.sub(r"\[.*\]$", "", s) for s in steps]
        for node in self.spec.walk():
            written = [self._element(k) for k in (*node.path, node.name)]
            if steps and written[-len(steps) :] == steps:
                return node
        return None

    def compile(self, expression: str, context: Question | Group | None) -> Any:
        key = (expression, context.name if context else None)
        token = self._cache.get(key)
        if token is None:
            try:
                token = self._parser_class().parse(self.xpath(expression, context))
            except ElementPathError as exc:
                raise ExpressionError(_plain_error(exc)) from None
            self._cache[key] = token
        return token

    def evaluate(
        self,
        expression: str,
        context: Question | Group | None,
        root: ElementTree.Element,
        item: ElementTree.Element | None,
    ) -> Any:
        token = self.compile(expression, context)
        try:
            return token.get_results(XPathContext(root, item=item if item is not None else root))
        except (ElementPathError, TypeError, ValueError, ArithmeticError) as exc:
            raise ExpressionError(_plain_error(exc)) from None


def _plain_error(exc: Exception) -> str:
    text = str(exc)
    return (
        re.sub(r"^.*?at line \d+, column \d+: \[err:\w+\]\s*", "", text).rstrip(".")
        or type(exc).__name__
    )
