"""ODK XPath on elementpath: the XPath 1.0 parser plus ODK's functions and empty-value semantics.

ODK (JavaRosa) differs from elementpath's XPath 1.0 in two ways that matter for real forms:
- relational and arithmetic operators convert operands with number(): an empty answer is NaN, so
  ``'' < 18`` is false instead of an error, and ISO dates count as days since 1970-01-01;
- it adds functions: selected, count-selected, selected-at, jr:choice-name, today, now, if,
  coalesce, substr, regex, int, round(x, digits), once, uuid, format-date, date, position(..), …

We never mutate elementpath's own parser: every token we change is a subclass in our own table.
"""

from __future__ import annotations

import math
import operator
import re
import uuid as uuid_module
from collections.abc import Callable
from copy import copy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from elementpath import XPath1Parser
from elementpath.xpath_nodes import ElementNode, XPathNode

JR_NAMESPACE = "http://openrosa.org/javarosa"
EPOCH = date(1970, 1, 1)


class Environment(Protocol):
    """What ODK functions need from the form session."""

    language: str

    def now(self) -> datetime: ...

    def choice_label(self, path: str, value: str) -> str: ...

    def secondary_instance(self, name: str) -> Any: ...

    def itext(self, identifier: str) -> str: ...

    def pulldata(self, table: str, column: str, key_column: str, key: str) -> str: ...


class OdkParser(XPath1Parser):
    DEFAULT_NAMESPACES: ClassVar[dict[str, str]] = {
        **XPath1Parser.DEFAULT_NAMESPACES,
        "jr": JR_NAMESPACE,
    }
    environment: Environment | None = None


OdkParser.symbol_table = dict(OdkParser.symbol_table)


def _own(symbol: str) -> None:
    """Give OdkParser its own subclass of a token so overriding it leaves XPath1Parser alone."""
    original = OdkParser.symbol_table[symbol]
    OdkParser.symbol_table[symbol] = type(original.__name__, (original,), {})


# -- values ------------------------------------------------------------------------------------
def to_number(value: Any) -> float:
    """JavaRosa's toNumeric: numbers as they are, text parsed, ISO dates as days, else NaN."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float | Decimal):
        return float(value)
    text = str(value).strip()
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        pass
    moment = parse_date_or_datetime(text)
    if moment is None:
        return math.nan
    if isinstance(moment, datetime):
        delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
        return delta.total_seconds() / 86400
    return float((moment - EPOCH).days)


def parse_date_or_datetime(text: str) -> date | datetime | None:
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


def _items(token: Any, context: Any) -> list[Any]:
    if context is None:
        result = token.evaluate(None)
        return result if isinstance(result, list) else [result]
    return list(token.select(copy(context)))


def _atoms(token: Any, context: Any) -> list[Any]:
    return [
        token.string_value(item) if isinstance(item, XPathNode) else item
        for item in _items(token, context)
    ]


def string_of(token: Any, context: Any) -> str:
    """XPath 1.0 string(): the first item's string value, '' for an empty node-set."""
    atoms = _atoms(token, context)
    if not atoms:
        return ""
    value = atoms[0]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def format_number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def number_of(token: Any, context: Any) -> float:
    atoms = _atoms(token, context)
    return to_number(atoms[0]) if atoms else math.nan


# -- operators ---------------------------------------------------------------------------------
_RELATIONAL = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}
_EQUALITY = {"=": operator.eq, "!=": operator.ne}


def _compare(self: Any, context: Any = None) -> bool:
    left, right = _atoms(self[0], context), _atoms(self[1], context)
    if self.symbol in _RELATIONAL:
        op = _RELATIONAL[self.symbol]
        return any(op(to_number(a), to_number(b)) for a in left for b in right)
    op = _EQUALITY[self.symbol]
    for a in left:
        for b in right:
            if isinstance(a, bool) or isinstance(b, bool):
                if op(_truthy(a), _truthy(b)):
                    return True
            elif isinstance(a, int | float | Decimal) or isinstance(b, int | float | Decimal):
                if op(to_number(a), to_number(b)):
                    return True
            elif op(str(a), str(b)):
                return True
    return False


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value)
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    return bool(value)


def _arithmetic(fn: Callable[[float, float], float], stock: Any) -> Callable[..., Any]:
    def evaluate(self: Any, context: Any = None) -> Any:
        if len(self) == 0:  # a lone "*" is XPath's wildcard, not a product: elementpath's own
            return stock(self, context)
        if len(self) == 1:  # unary minus
            return -number_of(self[0], context)
        a, b = number_of(self[0], context), number_of(self[1], context)
        try:
            return fn(a, b)
        except ZeroDivisionError:
            return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a)

    return evaluate


def _mod(a: float, b: float) -> float:
    return math.fmod(a, b) if b != 0 else math.nan


for _symbol in (*_RELATIONAL, *_EQUALITY):
    _own(_symbol)
    OdkParser.symbol_table[_symbol].evaluate = _compare
for _symbol, _fn in (
    ("+", operator.add),
    ("-", operator.sub),
    ("*", operator.mul),
    ("div", operator.truediv),
    ("mod", _mod),
):
    _own(_symbol)
    _token = OdkParser.symbol_table[_symbol]
    _token.evaluate = _arithmetic(_fn, _token.evaluate)


# -- functions ---------------------------------------------------------------------------------
def _function(
    name: str, nargs: Any, *, prefix: str | None = None
) -> Callable[[Callable[..., Any]], Any]:
    """Register (or, for round/position, replace) an ODK function in OdkParser's own table."""
    if name in OdkParser.symbol_table:
        _own(name)
    register = OdkParser.method(OdkParser.function(name, prefix=prefix, nargs=nargs))

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        register(fn)
        key = f"{{{OdkParser.DEFAULT_NAMESPACES[prefix]}}}{name}" if prefix else name
        token = OdkParser.symbol_table[key]
        # elementpath only updates callables on an existing token: set these ourselves.
        token.nargs = nargs
        token.sequence_types = ("xs:anyAtomicType",)  # one atomic result, never a sequence
        return fn

    return decorate


def _env(token: Any) -> Environment:
    environment = token.parser.environment
    if environment is None:
        # No form session: ``forms check`` compiling, and elementpath's static evaluation of a
        # constant call at parse time; both skip what needs a session, as for a missing node.
        raise token.missing_context("a form session")
    return environment  # type: ignore[no-any-return]


@_function("selected", 2)
def evaluate__selected(self: Any, context: Any = None) -> bool:
    return string_of(self[1], context).strip() in string_of(self[0], context).split()


@_function("count-selected", 1)
def evaluate__count_selected(self: Any, context: Any = None) -> int:
    return len(string_of(self[0], context).split())


@_function("selected-at", 2)
def evaluate__selected_at(self: Any, context: Any = None) -> str:
    values, index = string_of(self[0], context).split(), number_of(self[1], context)
    if math.isnan(index) or not 0 <= int(index) < len(values):
        return ""
    return values[int(index)]


@_function("choice-name", 2, prefix="jr")
def evaluate__choice_name(self: Any, context: Any = None) -> str:
    return _env(self).choice_label(string_of(self[1], context), string_of(self[0], context))


# ``instance('list')/root/item[name = ${x}]/label``: a choice list as a secondary instance, as
# pyxform writes it for a list that expressions read. A path may follow the call.
OdkParser.PATH_STEP_SYMBOLS = {*XPath1Parser.PATH_STEP_SYMBOLS, "instance"}


@_function("instance", 1)
def evaluate__instance(self: Any, context: Any = None) -> Any:
    if context is None:
        raise self.missing_context()
    return _env(self).secondary_instance(string_of(self[0], context))


def _select_instance(self: Any, context: Any = None) -> Any:
    document = self.evaluate(context)
    if document is not None:
        yield document


OdkParser.symbol_table["instance"].sequence_types = ("node()",)
OdkParser.symbol_table["instance"].select = _select_instance


@_function("pulldata", 4)
def evaluate__pulldata(self: Any, context: Any = None) -> str:
    if context is None:
        raise self.missing_context()
    table, column, key_column, key = (string_of(self[i], context) for i in range(4))
    return _env(self).pulldata(table, column, key_column, key)


@_function("itext", 1, prefix="jr")
def evaluate__itext(self: Any, context: Any = None) -> str:
    return _env(self).itext(string_of(self[0], context))


@_function("if", 3)
def evaluate__if(self: Any, context: Any = None) -> Any:
    condition = self[0].boolean_value(_items(self[0], context))
    chosen = self[1] if condition else self[2]
    atoms = _atoms(chosen, context)
    return atoms[0] if atoms else ""


@_function("coalesce", 2)
def evaluate__coalesce(self: Any, context: Any = None) -> str:
    first = string_of(self[0], context)
    return first if first else string_of(self[1], context)


@_function("substr", (2, 3))
def evaluate__substr(self: Any, context: Any = None) -> str:
    text = string_of(self[0], context)
    start = number_of(self[1], context)
    end = number_of(self[2], context) if len(self) == 3 else len(text)
    if math.isnan(start) or math.isnan(end):
        return ""
    return text[max(int(start), 0) : max(int(end), 0)]


@_function("regex", 2)
def evaluate__regex(self: Any, context: Any = None) -> bool:
    try:
        return re.search(string_of(self[1], context), string_of(self[0], context)) is not None
    except re.error:
        return False


@_function("int", 1)
def evaluate__int(self: Any, context: Any = None) -> float:
    value = number_of(self[0], context)
    return value if math.isnan(value) or math.isinf(value) else float(math.trunc(value))


@_function("round", (1, 2))
def evaluate__round(self: Any, context: Any = None) -> float:
    value = number_of(self[0], context)
    digits = int(number_of(self[1], context)) if len(self) == 2 else 0
    if math.isnan(value) or math.isinf(value):
        return value
    factor = 10.0**digits
    return math.floor(value * factor + 0.5) / factor  # half up, as JavaRosa


@_function("pow", 2)
def evaluate__pow(self: Any, context: Any = None) -> float:
    try:
        return float(math.pow(number_of(self[0], context), number_of(self[1], context)))
    except (OverflowError, ValueError):
        return math.nan


@_function("min", (1, None))
def evaluate__min(self: Any, context: Any = None) -> float:
    values = [to_number(a) for token in self for a in _atoms(token, context)]
    return math.nan if not values or any(math.isnan(v) for v in values) else min(values)


@_function("max", (1, None))
def evaluate__max(self: Any, context: Any = None) -> float:
    values = [to_number(a) for token in self for a in _atoms(token, context)]
    return math.nan if not values or any(math.isnan(v) for v in values) else max(values)


@_function("boolean-from-string", 1)
def evaluate__boolean_from_string(self: Any, context: Any = None) -> bool:
    return string_of(self[0], context).strip() in ("true", "1")


@_function("today", 0)
def evaluate__today(self: Any, context: Any = None) -> str:
    return _env(self).now().date().isoformat()


@_function("now", 0)
def evaluate__now(self: Any, context: Any = None) -> str:
    return (
        _env(self).now().astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


@_function("date", 1)
def evaluate__date(self: Any, context: Any = None) -> str:
    atoms = _atoms(self[0], context)
    value = atoms[0] if atoms else ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = float(value)
        return "" if math.isnan(number) else (EPOCH + timedelta(days=int(number))).isoformat()
    parsed = parse_date_or_datetime(str(value))
    return (
        ""
        if parsed is None
        else (parsed.date() if isinstance(parsed, datetime) else parsed).isoformat()
    )


@_function("once", 1)
def evaluate__once(self: Any, context: Any = None) -> Any:
    if context is not None and isinstance(context.item, XPathNode):
        current = self.string_value(context.item)
        if current:
            return current
    atoms = _atoms(self[0], context)
    return atoms[0] if atoms else ""


@_function("uuid", (0, 1))
def evaluate__uuid(self: Any, context: Any = None) -> str:
    if len(self) == 0:
        return str(uuid_module.uuid4())
    length = int(number_of(self[0], context))
    return "".join(uuid_module.uuid4().hex for _ in range(length // 32 + 1))[:length]


@_function("position", (0, 1))
def evaluate__position(self: Any, context: Any = None) -> int:
    if len(self) == 0:
        if context is None:
            raise self.missing_context()
        return int(context.position)
    items = _items(self[0], context)
    node = items[0] if items else None
    if not isinstance(node, ElementNode) or node.parent is None:
        return 0
    siblings = [c for c in node.parent if isinstance(c, ElementNode) and c.name == node.name]
    return siblings.index(node) + 1


@_function("format-date", 2)
def evaluate__format_date(self: Any, context: Any = None) -> str:
    from intake_app.core.forms.dates import format_odk_date

    return format_odk_date(
        string_of(self[0], context), string_of(self[1], context), _env(self).language
    )


@_function("format-date-time", 2)
def evaluate__format_date_time(self: Any, context: Any = None) -> str:
    return evaluate__format_date(self, context)  # type: ignore[no-any-return]


@_function("sum", 1)
def evaluate__sum(self: Any, context: Any = None) -> float:
    """sum() of a node-set; of no node at all it is NaN (a blank answer), as in ODK's engine."""
    values = [to_number(a) for a in _atoms(self[0], context)]
    return math.fsum(values) if values else math.nan


@_function("concat", (0, None))
def evaluate__concat(self: Any, context: Any = None) -> str:
    """concat(): as XPath's, except that a number that is not one (NaN) adds nothing, as in ODK."""
    parts = []
    for token in self:
        atoms = _atoms(token, context)
        if atoms and isinstance(atoms[0], float) and math.isnan(atoms[0]):
            continue
        parts.append(string_of(token, context))
    return "".join(parts)


from intake_app.core.forms import odk_math  # noqa: E402, F401  (registers ODK's math functions)
