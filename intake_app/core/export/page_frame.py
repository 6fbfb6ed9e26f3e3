"""The frame of every export page: paragraph styles, and the footer that says for whom the file
was sealed and which page of how many this is (drawn after layout, when the count is known)."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from intake_app.core.export import typeset
from intake_app.core.export.view import ExportView
from intake_app.core.i18n import N_, format_number

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
SHADE = colors.Color(0.93, 0.93, 0.93)
RULE = colors.Color(0.6, 0.6, 0.6)


class Styles:
    def __init__(self, rtl: bool) -> None:
        align = TA_RIGHT if rtl else TA_LEFT
        base = ParagraphStyle(
            "body", fontName=typeset.LATIN, fontSize=10, leading=14, alignment=align
        )
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=11)
        self.small_bold = ParagraphStyle(
            "small_bold", parent=self.small, fontName=typeset.LATIN_BOLD
        )
        self.label = ParagraphStyle("label", parent=base, fontName=typeset.LATIN_BOLD)
        self.title = ParagraphStyle(
            "title",
            parent=base,
            fontName=typeset.LATIN_BOLD,
            fontSize=20,
            leading=26,
            spaceAfter=8,
        )
        self.h1 = ParagraphStyle(
            "h1",
            parent=base,
            fontName=typeset.LATIN_BOLD,
            fontSize=14,
            leading=19,
            spaceBefore=10,
            spaceAfter=6,
        )
        self.h2 = ParagraphStyle(
            "h2",
            parent=base,
            fontName=typeset.LATIN_BOLD,
            fontSize=11,
            leading=15,
            spaceBefore=8,
            spaceAfter=3,
        )
        self.withheld = ParagraphStyle(
            "withheld",
            parent=base,
            fontName=typeset.LATIN_BOLD,
            fontSize=9,
            leading=13,
            backColor=SHADE,
            borderPadding=4,
            spaceBefore=4,
            spaceAfter=8,
        )


class Footer:
    """'Sealed for <recipient>' and 'page N of M' on every page (two passes for M)."""

    def __init__(
        self,
        view: ExportView,
        tr: Callable[[str], str],
        coverage: typeset.Coverage,
        rtl: bool,
    ) -> None:
        self.view, self.tr, self.coverage, self.rtl = view, tr, coverage, rtl
        self.pages = 0

    def canvas_class(self) -> type[Canvas]:
        footer = self

        class FooterCanvas(Canvas):  # type: ignore[misc]
            def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
                super().__init__(*args, **kwargs)
                self._saved: list[dict[str, object]] = []

            def showPage(self) -> None:  # noqa: N802 - reportlab's name
                self._saved.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                footer.pages = len(self._saved)
                for state in self._saved:
                    self.__dict__.update(state)
                    footer.draw(self)
                    Canvas.showPage(self)
                Canvas.save(self)

        return FooterCanvas

    def draw(self, canvas: Canvas) -> None:
        view, tr = self.view, self.tr
        sealed_for = tr(N_("Sealed for {recipient}")).format(
            recipient=f"{view.recipient_name} — {view.recipient_organisation}"
        )
        page = tr(N_("Case {reference} · page {page} of {pages}")).format(
            reference=view.case_reference,
            page=format_number(canvas.getPageNumber(), language=view.language),
            pages=format_number(self.pages, language=view.language),
        )
        y = MARGIN
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y + 10, PAGE_WIDTH - MARGIN, y + 10)
        start, end = (page, sealed_for) if self.rtl else (sealed_for, page)
        _draw_runs(canvas, MARGIN, y, typeset.line(start, self.coverage, self.rtl))
        _draw_runs(
            canvas,
            PAGE_WIDTH - MARGIN,
            y,
            typeset.line(end, self.coverage, self.rtl),
            align_right=True,
        )


def _draw_runs(
    canvas: Canvas, x: float, y: float, visual: str, *, align_right: bool = False, size: float = 8
) -> None:
    """Draw text already in visual order, each run in the font that has its glyphs."""
    if align_right:
        x -= typeset.width(visual, size)
    for font, part in typeset.runs(visual):
        canvas.setFont(font, size)
        canvas.drawString(x, y, part)
        x += canvas.stringWidth(part, font, size)
