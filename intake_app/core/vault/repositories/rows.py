"""Rows → frozen records by column name, so a record is never filled by position.

``from_row(Person, row)`` gives each field of the dataclass the column of the same name, turned
into the field's declared type (a StrEnum, int, bool, or a JSON list for a tuple); ``overrides``
give fields that are not plain columns (a join, a list of children, a hidden text). A field with
no column, no override and no default is a bug in the query: it fails at once, by name.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from intake_app.core.vault.db import Database

T = TypeVar("T")
_Convert = Callable[[Any], Any]


def json_tuple(text: str | None) -> tuple[str, ...]:
    """A JSON list column (NULL counts as empty)."""
    return tuple(json.loads(text or "[]"))


def from_row(cls: type[T], row: Any, **overrides: Any) -> T:
    """``cls`` (a dataclass) built by keyword from ``row`` (a database row)."""
    values: dict[str, Any] = {}
    for name, convert, has_default in _fields(cls):
        if name in overrides:
            values[name] = overrides.pop(name)
            continue
        try:
            column = row[name]
        except IndexError:  # what a database row raises for a column it does not have
            if not has_default:
                raise LookupError(f"{cls.__name__}.{name}: the row has no such column") from None
            continue
        values[name] = convert(column)
    if overrides:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(overrides))}")
    return cls(**values)


def by_id(db: Database, table: str, row_id: str) -> Any:
    """One row of ``table`` by its id, or None (``table`` is always a literal of the caller)."""
    return db.one(f"SELECT * FROM {table} WHERE id = ?", (row_id,))


_FIELDS: dict[type[Any], tuple[tuple[str, _Convert, bool], ...]] = {}


def _fields(cls: type[Any]) -> tuple[tuple[str, _Convert, bool], ...]:
    """Each field's name, converter and whether it has a default (worked out once per class)."""
    known = _FIELDS.get(cls)
    if known is not None:
        return known
    hints = typing.get_type_hints(cls)
    known = _FIELDS[cls] = tuple(
        (
            f.name,
            _converter(hints[f.name], f"{cls.__name__}.{f.name}"),
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    )
    return known


def _converter(hint: Any, where: str) -> _Convert:
    """How a column becomes a value of the declared type (only the types records use)."""
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _converter(next(a for a in args if a is not type(None)), where)
        return lambda value: None if value is None else inner(value)
    if hint is str:
        return _same
    if hint is bool:
        return bool
    if hint is int:
        return int
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if item is str:
            return json_tuple
        if isinstance(item, type) and issubclass(item, Enum):
            return lambda value: tuple(item(v) for v in json_tuple(value))
    return functools.partial(_unsupported, where, hint)


def _same(value: Any) -> Any:
    return value


def _unsupported(where: str, hint: Any, _value: Any) -> Any:
    raise TypeError(f"{where}: a {hint} field is not read from a column; give it as an override")
