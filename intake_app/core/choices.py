"""A value that must be one of a fixed set (a CLI argument, a CSV cell, a form answer): a wrong one
is refused with a sentence that names the valid ones, so the user can correct it at once."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TypeVar

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _

E = TypeVar("E", bound=Enum)
SHOWN = 12  # a longer list is cut with "…": the sentence must stay one sentence


def valid_list(valid: Iterable[object], shown: int | None = SHOWN) -> str:
    """The valid values, as typed (codes are not translated: the user types them back)."""
    values = [str(v.value if isinstance(v, Enum) else v) for v in valid]
    if shown is None or len(values) <= shown:
        return ", ".join(values)
    return ", ".join(values[:shown]) + ", …"


def unknown_value(value: object, valid: Iterable[object], what: str | None = None) -> str:
    """ "unknown type 'legal' — use one of: medical, legal_aid, …" (``what`` already translated)."""
    if what:
        return _("unknown {what} '{value}' — use one of: {values}").format(
            what=what, value=value, values=valid_list(valid)
        )
    return _("unknown value '{value}' — use one of: {values}").format(
        value=value, values=valid_list(valid)
    )


def parse_choice(kind: type[E], value: str, what: str | None = None) -> E:
    """``kind(value)``, or InvalidInput naming the valid values."""
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(unknown_value(value, list(kind), what) + ".") from None
