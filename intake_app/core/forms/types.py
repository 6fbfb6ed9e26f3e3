"""Question types: what each XLSForm type becomes here, through pyxform's own alias table;
what a desktop cannot do and how it degrades (said in ``forms check`` and the form view); the
styling appearances left aside; loops unrolled as pyxform unrolls them."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from intake_app.core.forms.spec import QuestionType
from intake_app.core.i18n import _

_TYPES = {
    "text": QuestionType.TEXT,
    "integer": QuestionType.INTEGER,
    "decimal": QuestionType.DECIMAL,
    "date": QuestionType.DATE,
    "time": QuestionType.TIME,
    "datetime": QuestionType.DATETIME,
    "dateTime": QuestionType.DATETIME,
    "select one": QuestionType.SELECT_ONE,
    "select all that apply": QuestionType.SELECT_MULTIPLE,
    "note": QuestionType.NOTE,
    "acknowledge": QuestionType.ACKNOWLEDGE,
    "calculate": QuestionType.CALCULATE,
    "hidden": QuestionType.HIDDEN,
    "audio": QuestionType.AUDIO,
    "photo": QuestionType.IMAGE,
    "image": QuestionType.IMAGE,
    "file": QuestionType.FILE,
    "video": QuestionType.VIDEO,
    "geopoint": QuestionType.GEOPOINT,
    "geotrace": QuestionType.GEOTRACE,
    "geoshape": QuestionType.GEOSHAPE,
    "barcode": QuestionType.BARCODE,
    "range": QuestionType.RANGE,
    "odk:rank": QuestionType.RANK,
    "rank": QuestionType.RANK,
}
# What pyxform's own alias table (QUESTION_TYPE_DICT: "string", "int", "gps", "q select", "add
# text prompt", …) resolves to, by the XForm control and bind type it writes for each alias.
_BIND_TYPES = {
    "string": QuestionType.TEXT,
    "int": QuestionType.INTEGER,
    "decimal": QuestionType.DECIMAL,
    "date": QuestionType.DATE,
    "time": QuestionType.TIME,
    "dateTime": QuestionType.DATETIME,
    "geopoint": QuestionType.GEOPOINT,
    "geotrace": QuestionType.GEOTRACE,
    "geoshape": QuestionType.GEOSHAPE,
    "barcode": QuestionType.BARCODE,
}
_MEDIA_TYPES = {
    "image": QuestionType.IMAGE,
    "audio": QuestionType.AUDIO,
    "video": QuestionType.VIDEO,
}
# Made by pyxform inside its meta group; the vault's own audit log records who opened and
# changed a record, so ODK's audit log is not kept.
SKIPPED_TYPES = {"audit"}
# What a phone fills in and a desktop knows: the others stay empty, with a warning.
_KNOWN_METADATA = {"start", "end", "today", "username", "uri:username"}


def audit_not_kept() -> str:
    return _(
        "ODK's audit log is not kept: the vault's own audit log records who opened and changed "
        "each record."
    )


def resolve_type(
    kind: str, node: dict[str, Any], media: Collection[str] = ()
) -> tuple[QuestionType, str | None, str | None] | str:
    """The question type, the metadata it stands for and how it degrades here; or why the form
    cannot be used (a sentence). Aliases resolve through pyxform's own table."""
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

    itemset = str(node.get("itemset") or "")
    if itemset.lower().endswith((".csv", ".xml", ".geojson")) and itemset not in media:
        return needs_media(itemset)
    external = external_list(kind)
    if external is not None:  # select_one external LIST: its choices in itemsets.csv
        if "itemsets.csv" not in media:
            return needs_media("itemsets.csv")
        multiple = kind.startswith(("select_multiple", "select all that apply"))
        return (QuestionType.SELECT_MULTIPLE if multiple else QuestionType.SELECT_ONE), None, None
    if kind in ("select one external", "select all that apply external"):
        return needs_media("itemsets.csv")
    if kind in ("csv-external", "xml-external"):
        return needs_media(f"{node.get('name')}.{kind[:3]}")
    if kind in ("start-geopoint", "background-geopoint"):
        return QuestionType.METADATA, "geopoint", "position"
    if kind == "background-audio":
        return QuestionType.METADATA, "audio", "background-audio"
    if kind in _TYPES:
        question_type = _TYPES[kind]
        return question_type, None, _degraded(question_type)
    entry = QUESTION_TYPE_DICT.get(kind)
    if entry is None:
        return _("The question type '{type}' is not supported.").format(type=kind)
    bind, control = entry.get("bind") or {}, entry.get("control") or {}
    preload = bind.get("jr:preloadParams")
    if bind.get("jr:preload"):
        what = str(preload or kind)
        return (
            QuestionType.METADATA,
            what,
            None if what in _KNOWN_METADATA else f"metadata:{what.removeprefix('uri:')}",
        )
    tag = control.get("tag")
    if tag == "upload":
        media = str(control.get("mediatype", "")).split("/")[0]
        return _MEDIA_TYPES.get(media, QuestionType.FILE), None, None
    if tag == "trigger":
        return QuestionType.ACKNOWLEDGE, None, None
    if tag in ("range", "odk:rank"):
        return _TYPES["range" if tag == "range" else "odk:rank"], None, None
    aliased = _BIND_TYPES.get(str(bind.get("type")))
    if aliased is None:
        return _("The question type '{type}' is not supported.").format(type=kind)
    return aliased, None, _degraded(aliased)


def needs_media(file: str) -> str:
    return _(
        "This question reads its choices or data from the media file '{file}', which was not "
        "given: add it with the form (forms add FORM --media {file})."
    ).format(file=file)


def _degraded(question_type: QuestionType) -> str | None:
    if question_type is QuestionType.BARCODE:
        return "barcode"
    if question_type in (QuestionType.GEOTRACE, QuestionType.GEOSHAPE):
        return "points"
    return None


def degraded_text(key: str) -> str:
    """The sentence for what a question cannot do here (``Question.degraded``), in the
    interface language of the moment."""
    if key == "barcode":
        return _("Type the code printed under the barcode: this computer does not scan.")
    if key == "points":
        return _(
            "Type or paste the points as latitude longitude, separated by semicolons: this "
            "computer shows no map."
        )
    if key == "position":
        return _("A phone records its position here; this computer does not, so it stays empty.")
    if key == "background-audio":
        return _(
            "A phone records sound in the background here; this app never does, so it stays empty."
        )
    names = {
        "deviceid": _("its device ID"),
        "simserial": _("its SIM card's serial number"),
        "subscriberid": _("its subscriber ID"),
        "phonenumber": _("its phone number"),
        "email": _("its user's e-mail address"),
    }
    what = key.removeprefix("metadata:")
    return _("A phone fills in {what} here; this computer does not, so it stays empty.").format(
        what=names.get(what, what)
    )


# Appearances this app honours; any other only changes how ODK draws a question.
_HONOURED_APPEARANCES = {"multiline", "field-list"}


def external_list(kind: str) -> str | None:
    """The list of ``select_one external LIST`` (or select_multiple), else None."""
    match = re.match(
        r"^(select_one|select_multiple|select one|select all that apply) external (\S+)$", kind
    )
    return match.group(2) if match else None


# search('file') or search("file"), perhaps with a filter after a comma: group 2 is the file
SEARCH = re.compile(r"""search\(\s*(['"])([^'"]*)\1\s*(,[^)]*)?\)""")


def appearance_warning(appearance: str | None) -> str | None:
    if not appearance:
        return None
    appearance = SEARCH.sub("", appearance)  # search(): the choices come from a media file
    if "search(" in appearance:
        return None  # a mistyped search() is an error (media_choices.searched_choices)
    words = [w for w in appearance.split() if w not in _HONOURED_APPEARANCES]
    if not words:
        return None
    return _(
        "The appearance '{appearance}' only changes how ODK draws the question; it is shown "
        "the usual way here."
    ).format(appearance=" ".join(words))


def unrolled(loop: dict[str, Any]) -> dict[str, Any]:
    """``begin loop over LIST``: a group holding one group per choice, each with the loop's
    questions, ``%(name)s`` and ``%(label)s`` filled in as pyxform does. Each copy of a question
    is named after its choice unless the author's name already says which it is."""
    groups = []
    for column in loop.get("columns", ()):
        choice = str(column.get("name"))
        if choice == "none":
            continue  # pyxform leaves out a "none" choice
        children = []
        for child in loop.get("children", ()):
            copied = _substituted(child, column)
            if copied.get("name") == child.get("name"):
                copied["name"] = f"{choice}_{child.get('name')}"
            copied["_template"] = copied["_xml_name"] = child.get("name")
            children.append(copied)
        groups.append(
            {
                "type": "group",
                "name": f"{loop.get('name')}_{choice}",
                "label": column.get("label"),
                "children": children,
                "_row_of": loop.get("name"),
                "_xml_name": choice,
            }
        )
    return {**loop, "type": "group", "children": groups}


def _substituted(template: dict[str, Any], column: dict[str, Any]) -> dict[str, Any]:
    label = column.get("label")

    def fill(text: str, language: str | None) -> str:
        shown = (
            label.get(language, next(iter(label.values()), ""))
            if isinstance(label, dict)
            else label
        )
        try:
            return text % {"name": column.get("name"), "label": shown or ""}
        except (KeyError, TypeError, ValueError):
            return text

    result: dict[str, Any] = {}
    for key, value in template.items():
        if isinstance(value, str):
            result[key] = fill(value, None)
        elif isinstance(value, dict) and key != "bind":
            result[key] = {k: fill(v, k) if isinstance(v, str) else v for k, v in value.items()}
        elif isinstance(value, dict):
            result[key] = {k: fill(v, None) if isinstance(v, str) else v for k, v in value.items()}
        else:
            result[key] = value
    return result
