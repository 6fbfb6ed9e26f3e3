"""Issue 16 items 4 and 10 in the core: dates with the month as a word in every language, and
the letter PDF laid out in its language with the Arabic vowel marks kept."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from intake_app.core.export.layout import Page
from intake_app.core.export.letter import render_letter
from intake_app.core.i18n import (
    SHIPPED_LANGUAGES,
    format_date,
    format_datetime,
    format_day,
    format_moment,
)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")

FEBRUARY = {
    "en": "Feb 12, 2026",
    "fr": "12 févr. 2026",
    "es": "12 feb 2026",
    "ar": "12 فبراير 2026",
    "uk": "12 лют. 2026\u202fр.",
}


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_a_day_is_written_with_its_month_as_a_word_at_every_width(language):
    day = date(2026, 2, 12)
    for width in ("short", "medium"):
        assert format_date(day, language=language, width=width) == FEBRUARY[language]
    assert format_day("2026-02-12T10:00:00.000000Z", language=language) == FEBRUARY[language]
    assert "12" in format_date(day, language=language, width="long")
    assert "/" not in format_date(day, language=language, width="long")


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_a_moment_is_the_day_in_words_and_the_time_to_the_minute(language):
    stamp = "2026-02-12T14:05:09.000000Z"
    shown = format_moment(stamp, language=language)
    assert shown.startswith(FEBRUARY[language]) and "/" not in shown
    assert ":05" in shown and ":09" not in shown  # no seconds on screens
    moment = datetime(2026, 2, 12, 14, 5, 9, tzinfo=UTC)
    assert format_datetime(moment, language=language, width="short") == shown
    assert (
        format_moment(None) == "—"
        and format_moment("2026-02-12", language=language) == (FEBRUARY[language])
    )


def test_pdf_pages_write_dates_in_words():
    page = Page("ar")
    assert page.when("2026-02-12") == FEBRUARY["ar"]
    assert page.when("2026-02-12T14:05:00Z").startswith(FEBRUARY["ar"])
    assert Page("en").when("2026-02-12T14:05:00Z").endswith(" UTC")


def _text(pdf: bytes, tmp_path: Path) -> str:
    (tmp_path / "letter.pdf").write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "letter.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


LETTER = "Amal 7، تحية طيبة. حُدّد موعد الجلسة في قضيتك."


@needs_poppler
def test_the_arabic_letter_keeps_its_vowel_marks(tmp_path):
    pdf, missing = render_letter(LETTER, "ar", date(2026, 2, 12))
    assert missing == 0
    text = _text(pdf, tmp_path)
    assert "\u064f" in text and "\u0651" in text  # damma and shadda of حُدّد
    assert "فبراير" in text or "ﻓﺒﺮﺍﻳﺮ" in text  # the date's month in words


@needs_poppler
def test_an_arabic_letter_opening_with_a_latin_name_is_right_aligned(tmp_path):
    """The letter's language sets each paragraph's direction: the Latin pseudonym first does
    not turn it into a left-to-right paragraph (it used to start at the left margin)."""
    pdf, _missing = render_letter(LETTER, "ar", date(2026, 2, 12))
    (tmp_path / "letter.pdf").write_bytes(pdf)
    box = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "letter.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    line = next(row for row in box.splitlines() if "Amal" in row)
    x_min = float(line.split('xMin="')[1].split('"')[0])
    assert x_min > 200  # "Amal" ends the line on the right, the paragraph's reading side
