"""Typed answers: what an interviewer types, checked and stored as ODK stores it (text)."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from intake_app.core.choices import unknown_value
from intake_app.core.errors import InvalidInput
from intake_app.core.forms.spec import FormSpec, Question, QuestionType
from intake_app.core.i18n import _

_INTEGER = re.compile(r"^[+-]?\d+$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$")


def normalise(question: Question, value: Any, spec: FormSpec) -> str:
    kind = question.type
    if value is None:
        return ""
    if kind is QuestionType.RANK:
        return _ranked(question, value, spec)
    if kind is QuestionType.SELECT_MULTIPLE:
        values = value.split() if isinstance(value, str) else [str(v) for v in value]
        check_choices(question, values, spec)
        chosen = set(values)  # stored in choice order, as ODK stores it (selected-at follows)
        order = [c.name for c in spec.choices.get(question.choice_list or "", ())]
        return " ".join(dict.fromkeys(name for name in order if name in chosen))
    text = str(value) if kind is QuestionType.TEXT else str(value).strip()
    if not text:
        return ""
    try:
        if kind is QuestionType.INTEGER:
            if not _INTEGER.match(text):
                raise ValueError
            return str(int(text))
        if kind is QuestionType.DECIMAL:
            number = float(text.replace(",", "."))
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError
            return repr(number)  # as ODK stores a decimal: 2 is "2.0"
        if kind is QuestionType.DATE:
            return date.fromisoformat(text[:10]).isoformat() if len(text) == 10 else _bad_date()
        if kind is QuestionType.TIME:
            if not _TIME.match(text):
                raise ValueError
            return text if len(text) > 5 else text + ":00"
        if kind is QuestionType.DATETIME:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment.isoformat()
        if kind is QuestionType.GEOPOINT:
            return _geopoint(text)
        if kind in (QuestionType.GEOTRACE, QuestionType.GEOSHAPE):
            return _points(text, closed=kind is QuestionType.GEOSHAPE)
        if kind is QuestionType.RANGE:
            return _in_range(question, text)
    except ValueError:
        raise InvalidInput(_type_message(kind)) from None
    if kind is QuestionType.SELECT_ONE:
        check_choices(question, [text], spec)
    if kind is QuestionType.ACKNOWLEDGE:
        return "OK" if text.lower() in ("ok", "yes", "true", "1") else ""
    return text


def check_choices(question: Question, values: list[str], spec: FormSpec) -> None:
    names = [c.name for c in spec.choices.get(question.choice_list or "", ())]
    unknown = [v for v in values if v not in set(names)]
    if unknown:
        raise InvalidInput(unknown_value(unknown[0], names) + ".")


def _ranked(question: Question, value: Any, spec: FormSpec) -> str:
    """Every choice, each once, in the order given (as ODK's rank stores it); nothing, or a
    partial order, is no answer yet."""
    values = value.split() if isinstance(value, str) else [str(v) for v in value]
    if not values:
        return ""
    check_choices(question, values, spec)
    names = [c.name for c in spec.choices.get(question.choice_list or "", ())]
    if sorted(values) != sorted(names):
        raise InvalidInput(_("Put every choice in order, each once."))
    return " ".join(values)


def _points(text: str, *, closed: bool) -> str:
    """A line (two points or more) or a closed shape (four or more, the last the first, with
    an area), as ODK stores them: points separated by ';', each 'latitude longitude [altitude
    accuracy]'."""
    points = [_geopoint(part) for part in text.replace("\n", ";").split(";") if part.strip()]
    if len(points) < (4 if closed else 2):
        raise ValueError
    corners = [tuple(float(n) for n in point.split()[:2]) for point in points]
    if closed and (corners[0] != corners[-1] or _area(corners) == 0):
        raise ValueError
    return "; ".join(points)


def _area(corners: list[tuple[float, ...]]) -> float:
    """Twice the shoelace area of a closed ring (zero: every point on one line)."""
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(corners, corners[1:], strict=False)))


def _in_range(question: Question, text: str) -> str:
    """A number from start to end on a whole step, in decimal arithmetic: 5.9999999999 is not
    on a step of 1 (never stored as 5), and no step is too small to count."""
    try:
        start, end, step = (
            Decimal(question.parameters.get(k, default))
            for k, default in (("start", "1"), ("end", "10"), ("step", "1"))
        )
        number = Decimal(_ascii_digits(text).replace(",", "."))
        if not all(v.is_finite() for v in (start, end, step, number)):
            raise ValueError
        steps = (number - start) / step if step else Decimal(0)
        on_step = steps == steps.to_integral_value()
    except (ArithmeticError, ValueError):  # decimal's InvalidOperation is an ArithmeticError
        raise ValueError from None
    if not min(start, end) <= number <= max(start, end) or not on_step:
        raise InvalidInput(
            _("Enter a number from {start} to {end}, in steps of {step}.").format(
                start=_plain(start), end=_plain(end), step=_plain(step)
            )
        )
    return _plain(number)


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f") if number != 0 else "0"


def _ascii_digits(text: str) -> str:
    """Digits of any script (٤٨, ४८) as ASCII digits; anything else left as it is."""
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)


def _bad_date() -> str:
    raise ValueError


def _geopoint(text: str) -> str:
    """'latitude longitude [altitude accuracy]', stored as plain ASCII numbers (Arabic-Indic
    digits become ASCII; '1_0', which Python would read as 10, is refused)."""
    parts = _ascii_digits(text).replace(",", " ").split()
    if not 2 <= len(parts) <= 4 or not all(_PLAIN_NUMBER.match(p) for p in parts):
        raise ValueError
    numbers = [float(p) for p in parts]
    if not all(math.isfinite(n) for n in numbers):  # altitude and accuracy too: no nan, no inf
        raise ValueError
    if not (-90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180):
        raise ValueError
    return " ".join(parts)


def _type_message(kind: QuestionType) -> str:
    messages = {
        QuestionType.INTEGER: _("Enter a whole number."),
        QuestionType.DECIMAL: _("Enter a number."),
        QuestionType.DATE: _("Enter a date as year-month-day, for example 2026-03-01."),
        QuestionType.TIME: _("Enter a time as hours:minutes, for example 14:30."),
        QuestionType.DATETIME: _("Enter a date and time, for example 2026-03-01T14:30."),
        QuestionType.GEOPOINT: _(
            "Enter coordinates as latitude longitude, for example 48.85 2.35."
        ),
        QuestionType.GEOTRACE: _(
            "Enter two points or more as latitude longitude, separated by semicolons, for "
            "example 48.85 2.35; 48.86 2.36."
        ),
        QuestionType.GEOSHAPE: _(
            "Enter four points or more as latitude longitude, separated by semicolons, the last "
            "one the same as the first."
        ),
        QuestionType.RANGE: _("Enter a number."),
    }
    return messages.get(kind, _("This answer is not valid."))
