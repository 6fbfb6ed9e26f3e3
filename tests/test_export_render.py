"""The rendered pages: right-to-left layout, Arabic shaping, names kept out, compared by eye once
and then against a reference image."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from intake_app.core.export.policy import INCLUDED, NO_IDENTITY, NO_MEDIA
from intake_app.core.export.redact import NameRedactor
from intake_app.core.export.render import render
from intake_app.core.export.typeset import Coverage, drawable, has_rtl, starts_rtl
from intake_app.core.export.view import (
    AnswerLine,
    ConsentLine,
    CustodyView,
    ExportView,
    FormAnswersView,
    StatementVersionView,
    SurvivorView,
)
from intake_app.core.labels import BASES, DECISIONS, GIVEN_BY, PURPOSES, READBACK
from intake_app.core.records import Basis, Decision, GivenBy, Purpose, Readback

REFERENCES = Path(__file__).parent / "references"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils needed")

ARABIC_TEXT = (
    "اعتقلوني عند الحاجز رقم 4 قرب Kharkiv في 12 آذار 2024 (صباحاً)، وبقيت هناك ثلاثة أيام. "
    "كان الضابط يحمل ندبة على يده اليسرى، وسمعت اسمه: Major Petrov."
)


def fixed_view(language: str = "ar") -> ExportView:
    """An export view with fixed content, so its pages can be compared with a reference."""
    return ExportView(
        language=language,
        case_reference="C-4D9H",
        recipient_name="وحدة التحقيق 3",
        recipient_organisation="Office of the Prosecutor",
        purpose=PURPOSES[Purpose.SHARE_INVESTIGATORS],
        survivor=SurvivorView(
            "Survivor A-17", None, None, "30-39", "female", ("ar", "uk"), False, NO_IDENTITY
        ),  # fmt: skip
        consents=(
            ConsentLine(
                PURPOSES[Purpose.SHARE_INVESTIGATORS],
                "category:investigators",
                DECISIONS[Decision.GRANTED],
                BASES[Basis.CONSENT],
                GIVEN_BY[GivenBy.SURVIVOR],
                "ar",
                "2026-11-20T10:00:00Z",
                None,
                None,
                None,
            ),
        ),  # fmt: skip
        statements=(
            StatementVersionView(
                "الحاجز 4",
                1,
                "ar",
                ARABIC_TEXT,
                "They detained me at checkpoint no. 4.",
                "en",
                "a" * 64,
                "Amal Haddad",
                "2026-11-20T10:30:00Z",
                READBACK[Readback.CONFIRMED],
                None,
                0,
            ),
        ),  # fmt: skip
        statements_withheld=None,
        drafts_left_out=0,
        answers=(
            FormAnswersView(
                "Incident",
                "2026.11.1",
                "complete",
                (
                    AnswerLine("أين حدث ذلك؟", "الحاجز رقم 4"),
                    AnswerLine("اسم الشاهد أو وصفه", None, NO_IDENTITY, 1),
                ),
            ),
        ),  # fmt: skip
        answers_withheld=None,
        referrals=(),
        attachments=(),
        media_withheld=1,
        media_reason=NO_MEDIA,
        custody=CustodyView(
            "00000000-0000-4000-8000-000000000000",
            "Amal Haddad (amal)",
            "AB:" * 31 + "AB",
            None,
            "certificate",
            "2026-11-23T09:00:00Z",
            42,
            "b" * 64,
            "0.1.0",
            (("Statements", True, INCLUDED),),
            None,
        ),  # fmt: skip
    )


def pages_png(pdf: bytes, tmp_path: Path, first: int, last: int) -> list[bytes]:
    (tmp_path / "p.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", "-png", "-f", str(first), "-l", str(last),
         str(tmp_path / "p.pdf"), str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    return [p.read_bytes() for p in sorted(tmp_path.glob("page-*.png"))]


@needs_poppler
def test_arabic_pages_match_the_reference(tmp_path):
    """The reference was checked by eye: letters joined, words right to left, Latin and digits
    in place, brackets mirrored, the label column on the right. Regenerate with
    INTAKE_UPDATE_REFERENCES=1 after a deliberate layout change, and look at it again."""
    from PIL import Image, ImageChops, ImageStat

    rendered = render(fixed_view("ar"))
    assert rendered.missing_glyphs == 0
    (page,) = pages_png(rendered.data, tmp_path, 2, 2)
    reference = REFERENCES / "export-ar-page2.png"
    if os.environ.get("INTAKE_UPDATE_REFERENCES"):
        reference.parent.mkdir(exist_ok=True)
        reference.write_bytes(page)
    got, want = Image.open(io.BytesIO(page)), Image.open(reference)
    assert got.size == want.size
    difference = ImageStat.Stat(ImageChops.difference(got.convert("L"), want.convert("L")))
    assert difference.mean[0] < 1.5


def test_rendering_is_deterministic_and_counts_missing_glyphs():
    view = fixed_view("en")
    assert render(view).data == render(view).data
    coverage = Coverage()
    assert drawable("ok 漢字\u0007", coverage) == "ok □□" and coverage.missing == 2


def test_direction_helpers():
    assert has_rtl("abc شهادة") and not has_rtl("Зелений Гай 12")
    assert starts_rtl("12 شهادة abc") and not starts_rtl("abc شهادة")


def test_names_are_replaced_in_every_form_but_not_inside_other_words():
    redact = NameRedactor(["Ліля Петренко", "Omar Nasser-Haddad", ""], "Survivor A-17")
    text, count = redact("ЛІЛЯ said: Ліля Петренко and Omar; Omarov and Nasser's brother.")
    assert count == 4
    assert text == (
        "Survivor A-17 said: Survivor A-17 and Survivor A-17; Omarov and Survivor A-17's brother."
    )
    # Protective on purpose: a name part that is also a word is replaced everywhere.
    assert NameRedactor(["Said Omar"], "P")("he said so") == ("he P so", 1)
    assert NameRedactor([], "x")("Ліля") == ("Ліля", 0)
    assert NameRedactor(["Al Amin"], "x")("Al and Amin") == ("Al and x", 1)  # "Al": too short
