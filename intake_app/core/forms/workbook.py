""".xlsx workbooks checked before pyxform opens them: a zip bomb or a zip that is no workbook
is refused in one sentence, and so is a formula cell saved without its result."""

from __future__ import annotations

import io
import zipfile

from intake_app.core.forms.problems import FormError, Problem
from intake_app.core.i18n import _

MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 200


def check_archive(name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise FormError([Problem(name, _("The file is not a readable .xlsx workbook."))]) from None
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_ZIP_RATIO or len(infos) > 1000:
        raise FormError(
            [Problem(name, _("The workbook unpacks to far more than a form: refused."))]
        )
    if not {"xl/workbook.xml", "xl/workbook.bin"} & {i.filename for i in infos}:
        raise FormError([Problem(name, _("The file is not a readable .xlsx workbook."))])


def check_formulas(name: str, data: bytes) -> None:
    """A formula cell is read as the result the spreadsheet program saved with it; one saved
    without a result (written by a script, say) would read as empty and a `relevant` would
    vanish. Such cells are refused, each named."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        results = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on damaged files; pyxform says it next
        return
    problems = []
    for sheet in formulas.sheetnames:
        if sheet.strip().lower() not in ("survey", "choices", "settings"):
            continue
        for row, saved in zip(
            formulas[sheet].iter_rows(), results[sheet].iter_rows(), strict=False
        ):
            for cell, result in zip(row, saved, strict=False):
                value = getattr(cell, "value", None)
                if isinstance(value, str) and value.startswith("=") and result.value is None:
                    problems.append(
                        Problem(
                            name,
                            _(
                                "Cell {cell} holds a formula saved without its result; type "
                                "the value itself (or paste it as a value)."
                            ).format(cell=cell.coordinate),
                            sheet.strip().lower(),
                            cell.row,
                            None,
                        )
                    )
    formulas.close()
    results.close()
    if problems:
        raise FormError(problems)
