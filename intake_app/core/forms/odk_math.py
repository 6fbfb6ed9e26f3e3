"""ODK's math, text and date functions beyond XPath 1.0: sqrt, pow, exp, exp10, log, log10, the
trigonometric functions, atan2, pi, abs, join, digest and decimal-date-time.

Numbers follow ODK's engine (JavaScript's Math): out-of-domain arguments give NaN (stored as blank),
log(0) is -Infinity. Registered in OdkParser's own table, as the functions of odk_xpath are.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Callable
from typing import Any

from intake_app.core.forms.odk_xpath import (
    _atoms,
    _function,
    number_of,
    parse_date_or_datetime,
    string_of,
    to_number,
)


def _safe(fn: Callable[..., float], *args: float) -> float:
    try:
        return float(fn(*args))
    except (ValueError, OverflowError):
        return math.nan


def _log(value: float) -> float:
    if value == 0:
        return -math.inf
    return _safe(math.log, value)


def _log10(value: float) -> float:
    if value == 0:
        return -math.inf
    return _safe(math.log10, value)


def _exp(value: float) -> float:
    try:
        return math.exp(value)
    except OverflowError:
        return math.inf


def _exp10(value: float) -> float:
    try:
        return float(10.0**value)
    except OverflowError:
        return math.inf


_UNARY: dict[str, Callable[[float], float]] = {
    "sqrt": lambda x: _safe(math.sqrt, x),
    "exp": _exp,
    "exp10": _exp10,
    "log": _log,
    "log10": _log10,
    "sin": lambda x: _safe(math.sin, x),
    "cos": lambda x: _safe(math.cos, x),
    "tan": lambda x: _safe(math.tan, x),
    "asin": lambda x: _safe(math.asin, x),
    "acos": lambda x: _safe(math.acos, x),
    "atan": lambda x: _safe(math.atan, x),
    "abs": abs,
}


def _register_unary(name: str, fn: Callable[[float], float]) -> None:
    def evaluate(self: Any, context: Any = None) -> float:
        value = number_of(self[0], context)
        return math.nan if math.isnan(value) else fn(value)

    evaluate.__name__ = f"evaluate__{name}"
    _function(name, 1)(evaluate)


for _name, _fn in _UNARY.items():
    _register_unary(_name, _fn)


@_function("atan2", 2)
def evaluate__atan2(self: Any, context: Any = None) -> float:
    return _safe(math.atan2, number_of(self[0], context), number_of(self[1], context))


@_function("pi", 0)
def evaluate__pi(self: Any, context: Any = None) -> float:
    return math.pi


@_function("join", (1, None))
def evaluate__join(self: Any, context: Any = None) -> str:
    """join(separator, node-set or texts…): every item's text, separated."""
    separator = string_of(self[0], context)
    parts = [
        str(atom) if not isinstance(atom, float) else string_of_number(atom)
        for token in list(self)[1:]
        for atom in _atoms(token, context)
    ]
    return separator.join(parts)


def string_of_number(value: float) -> str:
    from intake_app.core.forms.odk_xpath import format_number

    return format_number(value)


_DIGESTS = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384"}
_DIGESTS["SHA-512"] = "sha512"


@_function("digest", (2, 3))
def evaluate__digest(self: Any, context: Any = None) -> str:
    """digest(text, 'MD5'|'SHA-1'|'SHA-256'|'SHA-384'|'SHA-512', 'base64'|'hex')."""
    data = string_of(self[0], context).encode("utf-8")
    algorithm = _DIGESTS.get(string_of(self[1], context).strip().upper())
    encoding = string_of(self[2], context).strip().lower() if len(self) == 3 else "base64"
    if algorithm is None or encoding not in ("base64", "hex"):
        raise self.error("FOAR0002", "digest() takes MD5, SHA-1, SHA-256, SHA-384 or SHA-512")
    digest = hashlib.new(algorithm, data).digest()
    return digest.hex() if encoding == "hex" else base64.b64encode(digest).decode("ascii")


@_function("decimal-date-time", 1)
def evaluate__decimal_date_time(self: Any, context: Any = None) -> float:
    """Days since 1970-01-01 (UTC) as a decimal, for a date or date-time."""
    atoms = _atoms(self[0], context)
    if not atoms:
        return math.nan
    value = atoms[0]
    if isinstance(value, str) and parse_date_or_datetime(value.strip()) is None:
        return math.nan
    return to_number(value)
