"""The page primitives every export document shares (the case summary, the referral form): text
in the document's direction, label/value tables with the label on the reading side, grids with a
header row, and dates as the reader's language writes them (times in UTC)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table, TableStyle

from intake_app.core.export import typeset
from intake_app.core.export.page_frame import FRAME_WIDTH, RULE, SHADE, Styles
from intake_app.core.i18n import format_date, format_datetime, is_rtl, translator

LABEL_SHARE = 0.34


class Page:
    """A story in one reader's language; sections append to ``story``."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.rtl = is_rtl(language)
        self.tr: Callable[[str], str] = translator(language)
        self.styles = Styles(self.rtl)
        self.coverage = typeset.Coverage()
        self.story: list[Flowable] = []

    def text(
        self,
        text: str,
        style: ParagraphStyle | None = None,
        width: float = FRAME_WIDTH,
        *,
        verbatim: bool = False,
    ) -> list[Flowable]:
        return typeset.paragraphs(
            text, style or self.styles.body, width, self.coverage,
            rtl_document=self.rtl, verbatim=verbatim,
        )  # fmt: skip

    def add(
        self, text: str, style: ParagraphStyle | None = None, *, verbatim: bool = False
    ) -> None:
        self.story.extend(self.text(text, style, verbatim=verbatim))

    def heading(self, key: str) -> None:
        self.add(self.tr(key), self.styles.h1)

    def withheld(self, reason_key: str, what: str | None = None) -> None:
        reason = self.tr(reason_key)
        self.add(f"{what} — {reason}" if what else reason, self.styles.withheld)

    def when(self, iso: str | None) -> str:
        if not iso:
            return "—"
        try:
            moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            return iso
        if len(iso) <= 10:
            return format_date(moment.date(), language=self.language)
        utc = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
        return f"{format_datetime(utc, language=self.language)} UTC"

    def table(self, rows: Sequence[tuple[str, str]], label_share: float = LABEL_SHARE) -> None:
        """Label/value pairs; the label column sits on the reading side (right in RTL)."""
        if not rows:
            return
        label_width = FRAME_WIDTH * label_share
        value_width = FRAME_WIDTH - label_width
        data = []
        for label, value in rows:
            cells = [
                self.text(label, self.styles.label, label_width - 8),
                self.text(value or "—", self.styles.body, value_width - 8),
            ]
            data.append(cells[::-1] if self.rtl else cells)
        widths = [value_width, label_width] if self.rtl else [label_width, value_width]
        table = Table(data, colWidths=widths, hAlign="RIGHT" if self.rtl else "LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        self.story.append(table)

    def grid(self, headers: list[str], rows: list[list[str]], shares: list[float]) -> None:
        """A table with a header row; columns run right to left in RTL documents."""
        widths = [FRAME_WIDTH * share for share in shares]
        data = []
        for index, row in enumerate([headers, *rows]):
            style = self.styles.small_bold if index == 0 else self.styles.small
            cells = [self.text(v or "—", style, w - 6) for v, w in zip(row, widths, strict=True)]
            data.append(cells[::-1] if self.rtl else cells)
        table = Table(data, colWidths=widths[::-1] if self.rtl else widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        self.story.append(table)
