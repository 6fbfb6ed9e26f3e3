"""A case update as a printable letter (docs/design.md §7): the text in the survivor's language, laid out
for that language (Arabic shaped, right to left), dated in its calendar words, in memory.

Deliberately bare: no case reference, no organisation, no metadata — a letter can be intercepted,
and the contact plan decides whether a letter may be sent at all.
"""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer

from intake_app.core.export import typeset
from intake_app.core.export.page_frame import FRAME_WIDTH, MARGIN, Styles
from intake_app.core.i18n import format_date, is_rtl


def render_letter(text: str, language: str, when: date) -> tuple[bytes, int]:
    """The letter's PDF and the number of characters no shipped font could draw."""
    typeset.register_fonts()
    rtl = is_rtl(language)
    styles = Styles(rtl)
    coverage = typeset.Coverage()
    story = typeset.paragraphs(
        format_date(when, language=language, width="long"), styles.body, FRAME_WIDTH, coverage,
        rtl_document=rtl,
    )  # fmt: skip
    story.append(Spacer(1, 18))
    letter_style = styles.body.clone("letter", fontSize=12, leading=18, spaceAfter=8)
    story += typeset.paragraphs(
        text, letter_style, FRAME_WIDTH, coverage, rtl_document=rtl, verbatim=True, base_rtl=rtl
    )  # the letter's language sets the direction, even when it opens with a Latin name
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN * 1.5,
        bottomMargin=MARGIN, title="", author="", subject="", creator="", producer="",
        invariant=True, lang=language,
    ).build(story)  # fmt: skip
    return buffer.getvalue(), coverage.missing
