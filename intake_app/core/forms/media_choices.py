"""Choices and tables read from a form's media files: ``select_one_from_file``, ``search()``,
``select_one external`` (itemsets.csv) and the tables ``pulldata()`` reads."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from intake_app.core.forms.languages import language_code
from intake_app.core.forms.media import MediaError, Table, table
from intake_app.core.forms.spec import Choice, Group, Question
from intake_app.core.forms.types import SEARCH, needs_media
from intake_app.core.i18n import _


def searched_choices(
    question: Question,
    choices: dict[str, tuple[Choice, ...]],
    media: Mapping[str, bytes],
    default: str,
) -> str | None:
    """``search('villages')``: the choices are the rows of villages.csv, the list's one row on
    the choices sheet naming the columns that hold each choice's name and label."""
    appearance = question.appearance or ""
    match = SEARCH.search(appearance)
    if match is None:
        if "search(" in appearance:  # mistyped: never taken for styling
            return _("The appearance '{appearance}' is not a search('file') ODK can read.").format(
                appearance=appearance
            )
        return None
    if match.group(3):
        return _(
            "search() with a filter is not supported here; give the whole list and filter it "
            "with a choice_filter."
        )
    file = f"{match.group(2)}.csv"
    if file not in media:
        return needs_media(file)
    template = choices.get(question.choice_list or "", ())
    if not template:
        return None
    name_column, label_column = template[0].name, next(iter(template[0].labels.values()), "")
    rows = [
        {**row, "name": row.get(name_column, ""), "label": row.get(label_column, "")}
        for row in table(file, media[file])
    ]
    choices[question.choice_list or ""] = file_choices(file, tuple(rows), default)
    return None


def walk_questions(nodes: tuple[Question | Group, ...]) -> list[Question]:
    found: list[Question] = []
    for node in nodes:
        if isinstance(node, Group):
            found += walk_questions(node.children)
        else:
            found.append(node)
    return found


def pulled(document: dict[str, Any]) -> list[str]:
    """The tables pulldata() calls read, by the name the form gives (the file less .csv)."""
    text = json.dumps(document.get("children", []))
    return list(dict.fromkeys(re.findall(r"pulldata\(\s*['\\\"]+([^'\\\"]+)['\\\"]", text)))


def file_choices(list_name: str, rows: Table, default: str) -> tuple[Choice, ...]:
    """Choices from a media list: a name, a label (or label::Language columns), and any other
    column for choice filters, as ODK reads them."""
    choices = []
    for index, row in enumerate(rows):
        name = row.get("name", "")
        if not name:
            raise MediaError(
                _("Row {row} of the media file '{file}' has no name.").format(
                    row=index + 2, file=list_name
                )
            )
        labels = {
            language_code(column.split("::", 1)[1], default): text
            for column, text in row.items()
            if column.startswith("label::") and text
        }
        if row.get("label"):
            labels.setdefault(default, row["label"])
        others = {k: v for k, v in row.items() if k != "name" and not k.startswith("label")}
        choices.append(Choice(name, labels, others, None))
    return tuple(choices)
