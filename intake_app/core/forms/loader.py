"""XLSForm file → :class:`FormSpec`, through pyxform, with every problem located in the sheet.

Accepted: .xlsx, .xls, .csv and XLSForm markdown (.md). Files are size-capped and .xlsx archives
are checked for zip bombs before pyxform (whose openpyxl reads XML through defusedxml) opens them.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intake_app.core.errors import InvalidInput, NotFound
from intake_app.core.forms.languages import language_code as language_code
from intake_app.core.forms.media import MediaError, Table, table
from intake_app.core.forms.media_choices import (
    file_choices,
    pulled,
    searched_choices,
    walk_questions,
)
from intake_app.core.forms.problems import FormError as FormError  # callers catch it from here
from intake_app.core.forms.problems import Problem as Problem
from intake_app.core.forms.spec import (
    Choice,
    FormSpec,
    Group,
    Question,
    QuestionType,
    Sensitivity,
    Texts,
)
from intake_app.core.forms.types import (
    SEARCH,
    SKIPPED_TYPES,
    appearance_warning,
    audit_not_kept,
    degraded_text,
    external_list,
    needs_media,
    resolve_type,
    unrolled,
)
from intake_app.core.forms.workbook import check_archive, check_formulas
from intake_app.core.i18n import _
from intake_app.core.user_files import open_regular

MAX_FORM_BYTES = 10 * 1024 * 1024
SUFFIXES = (".xlsx", ".xls", ".csv", ".md")
_TRUE = {"yes", "true", "true()", "1"}


@dataclass
class _Rows:
    """Where each name stands in the sheets (rows as spreadsheet programs number them)."""

    survey: dict[str, int] = field(default_factory=dict)
    choices: dict[tuple[str, str], int] = field(default_factory=dict)
    survey_rows: list[dict[str, Any]] = field(default_factory=list)
    every_row: dict[str, list[int]] = field(default_factory=dict)  # a name repeated in groups
    choice_rows: list[dict[str, Any]] = field(default_factory=list)


def read_form_file(path: Path) -> bytes:
    """The bytes of a form file, refused early when it cannot be a form."""
    name = path.name
    if path.suffix.lower() not in SUFFIXES:
        raise FormError(
            [Problem(name, _("A form must be an .xlsx, .xls, .csv or .md (XLSForm) file."))]
        )
    try:
        with open_regular(path, _("a file")) as handle:  # a FIFO must not hang (S40)
            if os.fstat(handle.fileno()).st_size > MAX_FORM_BYTES:
                raise FormError(
                    [Problem(name, _("The file is larger than 10 MB; that is not a form."))]
                )
            return handle.read()
    except InvalidInput as exc:  # a folder, a device or a pipe
        raise FormError([Problem(name, exc.message)]) from None
    except (OSError, NotFound):
        raise FormError([Problem(name, _("The file could not be read."))]) from None


def load_form(path: Path) -> FormSpec:
    """Parse and type a form file; raises :class:`FormError` listing what is wrong and where."""
    return load_form_bytes(path.name, read_form_file(path))


def load_form_bytes(name: str, data: bytes, media: Mapping[str, bytes] | None = None) -> FormSpec:
    """The same from bytes (forms stored in the vault are never written out to a file), with
    the media files the form reads, by name."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise FormError(
            [Problem(name, _("A form must be an .xlsx, .xls, .csv or .md (XLSForm) file."))]
        )
    if len(data) > MAX_FORM_BYTES:
        raise FormError([Problem(name, _("The file is larger than 10 MB; that is not a form."))])
    if not data.strip():
        raise FormError([Problem(name, _("The file is empty; nothing was added."))])
    if suffix == ".xlsx":
        check_archive(name, data)
        check_formulas(name, data)
    try:
        sheets = get_xlsform(io.BytesIO(data), file_type=suffix)
        rows = _index_rows(sheets)
        document = workbook_to_json(
            workbook_dict=sheets,
            form_name="data",
            fallback_form_name=sheets.fallback_form_name,
            default_language="default",
        )
    except PyXFormError as exc:
        context = getattr(exc, "context", None) or {}
        message = re.sub(r"^\[row : \d+\]\s*", "", str(exc))
        row = context.get("row") or _row_from_message(str(exc))
        raise FormError(
            [
                Problem(
                    name,
                    message,
                    context.get("sheet") or ("survey" if row else None),
                    row,
                    context.get("column"),
                )
            ]
        ) from None
    except Exception as exc:  # pyxform and its readers raise many kinds on damaged files
        raise FormError(
            [
                Problem(
                    name,
                    _("The file could not be read as an XLSForm ({kind}).").format(
                        kind=type(exc).__name__
                    ),
                )
            ]
        ) from None
    try:
        return _build(name, document, rows, dict(media or {}))
    except MediaError as exc:
        raise FormError([Problem(name, str(exc))]) from None


def _row_from_message(message: str) -> int | None:
    match = re.match(r"^\[row : (\d+)\]", message)
    return int(match.group(1)) if match else None


def _index_rows(sheets: Any) -> _Rows:
    rows = _Rows(survey_rows=list(sheets.survey or []), choice_rows=list(sheets.choices or []))
    for index, row in enumerate(rows.survey_rows):
        if row.get("name"):
            rows.survey.setdefault(str(row["name"]), index + 2)
            rows.every_row.setdefault(str(row["name"]), []).append(index + 2)
    for index, row in enumerate(rows.choice_rows):
        if row.get("list_name") and row.get("name") is not None:
            rows.choices.setdefault((str(row["list_name"]), str(row["name"])), index + 2)
    return rows


def _build(file: str, document: dict[str, Any], rows: _Rows, media: dict[str, bytes]) -> FormSpec:
    declared = _declared_languages(rows)
    default_key = str(document.get("default_language") or "default")
    default = language_code(default_key, declared[0] if declared else "en")
    if default_key == "default" and declared:
        default = declared[0]
    languages = tuple(dict.fromkeys([*declared, default])) if declared else (default,)
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    warnings: list[tuple[str, int | None, str | None, str]] = [
        ("survey", index + 2, "type", audit_not_kept())
        for index, row in enumerate(rows.survey_rows)
        if str(row.get("type", "")).strip() == "audit"
    ]

    def texts(value: Any) -> Texts:
        if value is None:
            return {}
        if isinstance(value, dict):
            return {language_code(k, default): str(v) for k, v in value.items() if v is not None}
        return {default: str(value)}

    taken: set[str] = set()
    seen: dict[str, int] = {}

    def key_of(node_name: str, path: tuple[str, ...]) -> str:
        """The name, or where it is taken already (names need only be unique in their group),
        the path to it: a repeat 'gps' holding a question 'gps' gives 'gps' and 'gps/gps'."""
        key = node_name if node_name not in taken else "/".join((*path, node_name))
        taken.add(key)
        return key

    def row_of(sheet_name: str, copied: bool) -> int:
        """The sheet row: the n-th occurrence of a name for its n-th node (a loop's copies
        share their template's row)."""
        if copied:
            return rows.survey[sheet_name]
        occurrences = rows.every_row[sheet_name]
        index = seen.get(sheet_name, 0)
        seen[sheet_name] = index + 1
        return occurrences[min(index, len(occurrences) - 1)]

    def build(nodes: list[dict[str, Any]], path: tuple[str, ...]) -> tuple[Question | Group, ...]:
        built: list[Question | Group] = []
        for node in nodes:
            node_name = str(node.get("name", ""))
            kind = str(node.get("type", ""))
            # a loop's copies stand on the row of the question (or loop) they copy
            sheet_name = str(node.get("_template") or node.get("_row_of") or node_name)
            other_of = sheet_name[: -len("_other")] if sheet_name.endswith("_other") else ""
            generated = sheet_name not in rows.survey and other_of in rows.survey
            if (sheet_name not in rows.survey and not generated) or kind in SKIPPED_TYPES:
                continue  # made by pyxform (meta/instanceID, repeat counters) or ODK's audit
            copied = generated or bool(node.get("_template") or node.get("_row_of"))
            row = row_of(other_of if generated else sheet_name, copied)
            if kind == "loop":
                node = unrolled(node)
                kind = "group"
            key = key_of(node_name, path)
            xml_name = node.get("_xml_name") or (node_name if key != node_name else None)
            if kind in ("group", "repeat"):
                sheet_row = rows.survey_rows[row - 2]
                built.append(
                    Group(
                        name=key,
                        repeat=kind == "repeat",
                        path=path,
                        row=row,
                        children=build(list(node.get("children", [])), (*path, key)),
                        labels=texts(node.get("label")),
                        relevant=_bind(node, "relevant"),
                        repeat_count=_text(sheet_row.get("repeat_count")),
                        appearance=(node.get("control") or {}).get("appearance"),
                        xml_name=xml_name,
                    )
                )
                continue
            if kind in ("csv-external", "xml-external") and f"{node_name}.{kind[:3]}" in media:
                tables[node_name] = table(
                    f"{node_name}.{kind[:3]}", media[f"{node_name}.{kind[:3]}"]
                )
                continue  # a secondary instance read from its file, not a question
            resolved = resolve_type(kind, node, media)
            if isinstance(resolved, str):
                problems.append(Problem(file, resolved, "survey", row, "type"))
                continue
            question_type, metadata, degraded = resolved
            question = _question(file, node, path, row, question_type, texts, problems)
            question = dataclasses.replace(
                question, name=key, metadata=metadata, degraded=degraded, xml_name=xml_name
            )
            if external_list(kind):
                question = dataclasses.replace(question, choice_list=external_list(kind))
            if degraded:
                warnings.append(("survey", row, "type", degraded_text(degraded)))
            appearance = appearance_warning(question.appearance)
            if appearance:
                warnings.append(("survey", row, "appearance", appearance))
            if generated:  # "specify other": as sensitive as the question it completes
                source = next(
                    (q for q in built if isinstance(q, Question) and q.name == other_of), None
                )
                question = dataclasses.replace(
                    question,
                    generated=True,
                    sensitivity=source.sensitivity if source else question.sensitivity,
                )
            built.append(question)
        return tuple(built)

    children = build(list(document.get("children", [])), ())
    choices = {
        list_name: tuple(
            Choice(
                str(c["name"]),
                texts(c.get("label")),
                {k: str(v) for k, v in c.items() if k not in ("name", "label", "media")},
                rows.choices.get((list_name, str(c["name"]))),
            )
            for c in items
        )
        for list_name, items in (document.get("choices") or {}).items()
    }
    for question in (q for q in walk_questions(children) if q.choice_list in media):
        list_name = question.choice_list or ""
        choices[list_name] = file_choices(list_name, table(list_name, media[list_name]), default)
    external = [q.choice_list or "" for q in walk_questions(children) if external_list_of(q, rows)]
    used = {"itemsets.csv"} if external else set()
    if external and "itemsets.csv" in media:
        every_row = table("itemsets.csv", media["itemsets.csv"])
        for list_name in dict.fromkeys(external):
            kept = tuple(r for r in every_row if r.get("list_name") == list_name)
            choices[list_name] = file_choices("itemsets.csv", kept, default)
    for question in walk_questions(children):
        searched = SEARCH.search(question.appearance or "")
        used |= {f"{searched.group(2)}.csv"} if searched else set()
        problem = searched_choices(question, choices, media, default)
        if problem:
            problems.append(Problem(file, problem, "survey", question.row, "appearance"))
    for stem in pulled(document):  # pulldata('villages', …) reads villages.csv
        if f"{stem}.csv" in media:
            tables.setdefault(stem, table(f"{stem}.csv", media[f"{stem}.csv"]))
        elif not any(f"'{stem}.csv'" in p.message for p in problems):
            problems.append(Problem(file, needs_media(f"{stem}.csv"), "survey", None, None))
    used |= {*choices, *(f"{stem}.csv" for stem in tables), *(f"{stem}.xml" for stem in tables)}
    warnings += [
        (
            "survey",
            None,
            None,
            _("The media file '{file}' is not used by this form.").format(file=m),
        )
        for m in sorted(media)
        if m not in used
    ]
    if problems:
        raise FormError(problems)
    return FormSpec(
        form_id=str(document.get("id_string") or "form"),
        version=str(document.get("version") or "1"),
        title=str(document.get("title") or document.get("id_string") or "form"),
        languages=languages,
        default_language=default,
        children=children,
        choices=choices,
        language_names={language_code(k, default): k for k in _language_keys(rows)},
        warnings=tuple(warnings),
        tables=tables,
    )


def external_list_of(question: Question, rows: _Rows) -> bool:
    sheet_type = str(rows.survey_rows[question.row - 2].get("type", "")).strip()
    return external_list(sheet_type) is not None


def _question(
    file: str,
    node: dict[str, Any],
    path: tuple[str, ...],
    row: int,
    question_type: QuestionType,
    texts: Any,
    problems: list[Problem],
) -> Question:
    bind = node.get("bind") or {}
    sensitivity_text = str(node.get("sensitivity") or "").strip()
    try:
        sensitivity = (
            Sensitivity(sensitivity_text) if sensitivity_text else Sensitivity.UNCLASSIFIED
        )
    except ValueError:
        problems.append(
            Problem(
                file,
                _("Unknown sensitivity '{value}'; use one of: {values}.").format(
                    value=sensitivity_text,
                    values=", ".join(
                        s.value for s in Sensitivity if s is not Sensitivity.UNCLASSIFIED
                    ),
                ),
                "survey",
                row,
                "sensitivity",
            )
        )
        sensitivity = Sensitivity.UNCLASSIFIED
    trigger = node.get("trigger")
    if isinstance(trigger, list | tuple):
        trigger = " ".join(f"${{{t}}}" for t in trigger)
    return Question(
        name=str(node["name"]),
        type=question_type,
        path=path,
        row=row,
        labels=texts(node.get("label")),
        hints=texts(node.get("hint")),
        guidance=texts(node.get("guidance_hint")),
        constraint_messages=texts(bind.get("jr:constraintMsg")),
        required_messages=texts(bind.get("jr:requiredMsg")),
        relevant=_bind(node, "relevant"),
        constraint=_bind(node, "constraint"),
        required=_flag(bind.get("required")),
        calculate=_bind(node, "calculate"),
        default=_text(node.get("default")),
        read_only=_flag(bind.get("readonly")),
        trigger=_text(trigger),
        choice_list=node.get("list_name") or node.get("itemset"),
        choice_filter=_text(node.get("choice_filter")),
        appearance=(node.get("control") or {}).get("appearance"),
        sensitivity=sensitivity,
        consent_purpose=_text(node.get("consent_purpose")),
        consent_scope=_text(node.get("consent_scope")),
        consent_field=_text(node.get("consent_field")),
        parameters={str(k): str(v) for k, v in (node.get("parameters") or {}).items()},
    )


def _bind(node: dict[str, Any], key: str) -> str | None:
    return _text((node.get("bind") or {}).get(key))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _flag(value: Any) -> str | None:
    text = _text(value)
    if text is None or text.lower() in ("no", "false", "false()", "0"):
        return None
    return "true()" if text.lower() in _TRUE else text


def _language_keys(rows: _Rows) -> list[str]:
    keys: list[str] = []
    for row in (*rows.survey_rows[:1], *rows.choice_rows[:1]):
        for column in row:
            if "::" in column:
                keys.append(column.split("::", 1)[1])
    for sheet in (rows.survey_rows, rows.choice_rows):
        for row in sheet:
            for column in row:
                if "::" in column and column.split("::", 1)[1] not in keys:
                    keys.append(column.split("::", 1)[1])
    return keys


def _declared_languages(rows: _Rows) -> list[str]:
    return list(dict.fromkeys(language_code(k, "") for k in _language_keys(rows) if k != "default"))
