"""Text for reportlab: fonts per script, Arabic shaped and right-to-left text in visual order.

reportlab has no font fallback and no usable bidirectional layout (PITFALLS). So each paragraph is
cut into lines here: Arabic is shaped (``arabic-reshaper``) in logical order, lines are broken by
measured width, and only then is each line reordered (``python-bidi``) — whole paragraphs reordered
at once come out with their lines reversed. Every line is then written as runs, each in a font that
has its glyphs (Noto Sans for Latin and Cyrillic, Noto Sans Arabic for Arabic script). A character
no shipped font has is drawn as a visible box and counted, never silently dropped.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import (
    get_display,  # the Python algorithm: it mirrors brackets, 0.6's Rust one does not
)
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

from intake_app.core.bundle import font_dir

LATIN, LATIN_BOLD = "IntakeNotoSans", "IntakeNotoSans-Bold"
ARABIC, ARABIC_BOLD = "IntakeNotoSansArabic", "IntakeNotoSansArabic-Bold"
_FILES = {
    LATIN: "NotoSans-Regular.ttf",
    LATIN_BOLD: "NotoSans-Bold.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
}
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
MISSING = "\u25a1"  # WHITE SQUARE: stands in for a character no shipped font can draw
SAFETY = 2.0  # points kept free on each measured line, so reportlab never re-wraps it
# The reshaper's default deletes the vowel marks (harakat): حُدّد would print as حدد.
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


def _reshape(text: str) -> str:
    return str(_RESHAPER.reshape(text))


@cache
def register_fonts() -> None:
    """Register the shipped Noto fonts with reportlab (once per process; embedded as subsets)."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(font_dir() / filename)))
    pdfmetrics.registerFontFamily(LATIN, normal=LATIN, bold=LATIN_BOLD)
    pdfmetrics.registerFontFamily(ARABIC, normal=ARABIC, bold=ARABIC_BOLD)


@cache
def _coverage(font: str) -> frozenset[int]:
    register_fonts()
    face = pdfmetrics.getFont(font).face
    return frozenset(face.charToGlyph)


def is_arabic_script(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_BLOCKS)


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def starts_rtl(text: str) -> bool:
    """The paragraph's base direction, from its first strong character (UAX #9, P2)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("L",):
            return False
        if kind in ("R", "AL"):
            return True
    return False


@dataclass
class Coverage:
    """Characters that no shipped font could draw, counted across a whole document."""

    missing: int = 0
    samples: set[str] = field(default_factory=set)


def drawable(text: str, coverage: Coverage) -> str:
    out = []
    latin, arabic = _coverage(LATIN), _coverage(ARABIC)
    for char in text:
        code = ord(char)
        if char == "\n":
            out.append(char)
        elif char in "\t\r" or unicodedata.category(char) in ("Cc", "Cf") and char != "\u200c":
            out.append(" " if char == "\t" else "")
        elif code in latin or code in arabic or char == " ":
            out.append(char)
        else:
            coverage.missing += 1
            if len(coverage.samples) < 8:
                coverage.samples.add(f"U+{code:04X}")
            out.append(MISSING)
    return "".join(out)


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """``text`` cut into (font, text) runs; spaces and digits stay with the run they are in."""
    latin, arabic = (LATIN_BOLD, ARABIC_BOLD) if bold else (LATIN, ARABIC)
    out: list[tuple[str, str]] = []
    for char in text:
        if is_arabic_script(char):
            font = arabic
        elif char == " " or char.isdigit() and ord(char) in _coverage(ARABIC):
            font = out[-1][0] if out else latin
        else:
            font = latin
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + char)
        else:
            out.append((font, char))
    return out


def markup(visual: str, bold: bool = False) -> str:
    """Paragraph markup for text already in visual order."""
    return "".join(
        f'<font name="{font}">{escape(part)}</font>' for font, part in runs(visual, bold)
    )


def width(text: str, size: float, bold: bool = False) -> float:
    return float(sum(pdfmetrics.stringWidth(part, font, size) for font, part in runs(text, bold)))


def _wrap(shaped: str, available: float, size: float, bold: bool) -> list[str]:
    """Greedy line breaking of logical-order (shaped) text by measured width; each word is
    measured once (reportlab applies no kerning, so widths add up)."""
    space = width(" ", size, bold)
    lines: list[str] = []
    current, current_width = "", 0.0
    for word in shaped.split(" "):
        word_width = width(word, size, bold)
        if current and current_width + space + word_width > available:
            lines.append(current)
            current, current_width = "", 0.0
        if current:
            current, current_width = f"{current} {word}", current_width + space + word_width
        else:
            current, current_width = word, word_width
        while current_width > available and len(current) > 1:  # one very long word
            cut = len(current)
            while cut > 1 and width(current[:cut], size, bold) > available:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
            current_width = width(current, size, bold)
    lines.append(current)
    return lines


def _bold(style: ParagraphStyle) -> bool:
    return style.fontName in (LATIN_BOLD, ARABIC_BOLD)


def paragraphs(
    text: str,
    style: ParagraphStyle,
    available: float,
    coverage: Coverage,
    *,
    rtl_document: bool = False,
    verbatim: bool = False,
    base_rtl: bool | None = None,
) -> list[Flowable]:
    """Flowables for ``text`` (several paragraphs allowed): one Paragraph per LTR paragraph,
    one per line for a paragraph that contains right-to-left text.

    A ``verbatim`` text (testimony, a translation) takes its direction from its own first strong
    character, and is aligned by it. Text the document composes (labels, headings, values) in a
    right-to-left document runs right to left and is aligned right. ``base_rtl``, when given, is
    the direction of every paragraph (a letter in its language, even one opening with a Latin name).
    """
    register_fonts()
    bold = _bold(style)
    out: list[Flowable] = []
    for raw in drawable(text, coverage).split("\n"):
        if not has_rtl(raw) and not base_rtl:
            plain = style
            if base_rtl is False or verbatim and rtl_document:
                plain = ParagraphStyle(f"{style.name}-ltr", parent=style, alignment=TA_LEFT)
            out.append(Paragraph(markup(raw, bold) or "&nbsp;", plain))
            continue
        rtl = (
            (starts_rtl(raw) if verbatim or not rtl_document else True)
            if base_rtl is None
            else base_rtl
        )
        aligned = ParagraphStyle(
            f"{style.name}-{'rtl' if rtl else 'ltr'}",
            parent=style,
            alignment=TA_RIGHT if rtl else TA_LEFT,
        )
        shaped = _reshape(raw)
        for line in _wrap(shaped, available - SAFETY, style.fontSize, bold):
            visual = get_display(line, base_dir="R" if rtl else "L")
            out.append(Paragraph(markup(str(visual), bold) or "&nbsp;", aligned))
    return out


def line(text: str, coverage: Coverage, rtl_document: bool = False) -> str:
    """One short line (a label, a footer) shaped and in visual order, for a single-line draw."""
    text = drawable(text.replace("\n", " "), coverage)
    if not has_rtl(text):
        return text
    base = "R" if starts_rtl(text) or rtl_document else "L"
    # In visual order a mark precedes its letter; Noto's zero-width marks draw over the glyph that
    # follows the pen, so that order is right (no swap).
    return str(get_display(_reshape(text), base_dir=base))
