"""The service-provider directory as CSV (docs/design.md §7): parsed and checked before anything is saved.

Columns (header row, any order, case-insensitive): ``type``, ``organisation``, and optionally
``contact``, ``languages`` (codes separated by spaces, commas or semicolons), ``locations``,
``notes``. ``type`` is one of the provider types (``medical``, ``psychosocial``, ``legal_aid``,
``shelter``, ``protection``, ``livelihood``, ``other``). Every problem is reported with its row
(``DirectoryRejected.problems``, for the import dialog to list each rejected row), and a wrong type
names the valid ones; one bad row means nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from intake_app.core.choices import unknown_value
from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.records import ProviderType, ServiceProvider
from intake_app.core.sniff import sniff

MAX_CSV = 1024 * 1024
MAX_ROWS = 5000
MAX_CELL = 2000
COLUMNS = ("type", "organisation", "contact", "languages", "locations", "notes")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class ProviderRow:
    row: int
    type: ProviderType
    organisation: str
    contact: str | None = None
    languages: tuple[str, ...] = ()
    locations: str | None = None
    notes: str | None = None


class DirectoryRejected(InvalidInput):
    """Nothing was imported: the message names the first problems, ``problems`` holds one line per
    rejected row (at most MAX_PROBLEMS)."""

    def __init__(self, message: str, problems: Sequence[str]) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


MAX_PROBLEMS = 200
_NOT_CSV = frozenset({"application/zip", "application/pdf"})  # .xlsx and .ods are zip files


@dataclass
class ParsedDirectory:
    rows: list[ProviderRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_providers(data: bytes) -> list[ProviderRow]:
    """The rows of a provider CSV; raises InvalidInput listing every problem (by row)."""
    if len(data) > MAX_CSV:
        raise InvalidInput(_("This file is too large for a directory of providers (1 MB at most)."))
    if sniff(data[:64]) in _NOT_CSV or data.startswith(b"\xd0\xcf\x11\xe0"):  # the last: old .xls
        raise InvalidInput(
            _("This is a spreadsheet or document, not CSV: save the directory as CSV (UTF-8).")
        )
    if b"\0" in data:
        raise InvalidInput(_("This file is not text; save the directory as CSV (UTF-8)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("Save the directory as CSV in UTF-8 and try again.")) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise InvalidInput(_("The file is empty or is not CSV.")) from None
    missing = [c for c in ("type", "organisation") if c not in header]
    if missing:
        raise InvalidInput(
            _("The header row needs the columns: {columns}.").format(columns=", ".join(missing))
        )
    parsed = ParsedDirectory()
    try:
        for number, cells in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                parsed.problems.append(_("More than {count} rows.").format(count=MAX_ROWS))
                break
            if len(parsed.problems) >= MAX_PROBLEMS:
                break
            if not any(c.strip() for c in cells):
                continue
            _parse_row(number, dict(zip(header, cells, strict=False)), parsed)
    except csv.Error:
        raise InvalidInput(_("The file is not valid CSV.")) from None
    if parsed.problems:
        shown = parsed.problems[:10]
        raise DirectoryRejected(
            _("Nothing was imported: {problems}").format(problems=" ".join(shown)),
            parsed.problems,
        )
    if not parsed.rows:
        raise InvalidInput(_("The file has no providers in it."))
    return parsed.rows


# A cell a spreadsheet would run as a formula (CSV injection): "=HYPERLINK(...)", "+1 ...",
# "-2+3", "@SUM(...)", or one of those after a tab or carriage return. Kept as typed in the vault;
# defused with a leading apostrophe in every CSV we write, and the apostrophe taken off again when
# such a file is read back, so a directory survives the round trip exactly.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _needs_prefix(text: str) -> bool:
    return text.startswith(_FORMULA_START) or (text.startswith("'") and _needs_prefix(text[1:]))


def csv_cell(value: object) -> str:
    """A value as a CSV cell that no spreadsheet will run: the one place every writer goes."""
    text = "" if value is None else str(value)
    return "'" + text if _needs_prefix(text) else text


def _unprefix(text: str) -> str:
    return text[1:] if text.startswith("'") and _needs_prefix(text[1:]) else text


def format_providers(rows: Sequence[ProviderRow | ServiceProvider]) -> bytes:
    """The directory as CSV in the import format (UTF-8 with BOM, for spreadsheets), for
    ``providers export``; reads back with ``parse_providers``."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        values = (
            r.type.value,
            r.organisation,
            r.contact,
            " ".join(r.languages),
            r.locations,
            r.notes,
        )
        writer.writerow([csv_cell(v) for v in values])
    return out.getvalue().encode("utf-8-sig")


def _parse_row(number: int, cells: dict[str, str], parsed: ParsedDirectory) -> None:
    values = {k: _unprefix((cells.get(k) or "").strip()) for k in COLUMNS}
    if any(len(v) > MAX_CELL for v in values.values()):
        parsed.problems.append(_("Row {row}: a cell is too long.").format(row=number))
        return
    kind = values["type"].lower().replace(" ", "_").replace("-", "_")
    if kind not in {t.value for t in ProviderType}:
        parsed.problems.append(
            _("Row {row}: {problem}.").format(
                row=number, problem=unknown_value(values["type"], ProviderType, _("type"))
            )
        )
        return
    if not values["organisation"]:
        parsed.problems.append(_("Row {row}: the organisation is missing.").format(row=number))
        return
    languages = tuple(x for x in re.split(r"[\s,;]+", values["languages"]) if x)
    bad = [x for x in languages if not _LANGUAGE.match(x)]
    if bad:
        parsed.problems.append(
            _("Row {row}: not a language code: {value}.").format(row=number, value=bad[0])
        )
        return
    parsed.rows.append(
        ProviderRow(
            row=number,
            type=ProviderType(kind),
            organisation=values["organisation"],
            contact=values["contact"] or None,
            languages=languages,
            locations=values["locations"] or None,
            notes=values["notes"] or None,
        )
    )
