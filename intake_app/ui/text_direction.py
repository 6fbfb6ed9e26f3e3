"""Text widgets laid out in their text's language, not the interface's (issue 16).

A letter to an Arabic-speaking survivor that opens with a Latin pseudonym is still an Arabic
paragraph: its base direction comes from the letter's language, not from its first strong character
(Qt's automatic choice) nor from the interface language. Text of unknown language set inside
another (a reason typed into a translated sentence) is isolated (UAX #9 FSI … PDI) so its
punctuation stays at its own end.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit

from intake_app.core.i18n import is_rtl

FSI, PDI = "\u2068", "\u2069"


def direction(language: str | None) -> Qt.LayoutDirection:
    return Qt.LayoutDirection.RightToLeft if is_rtl(language) else Qt.LayoutDirection.LeftToRight


def html_dir(language: str | None) -> str:
    """The ``dir`` attribute of a rich-text block in ``language``."""
    return "rtl" if is_rtl(language) else "ltr"


def isolate(text: str) -> str:
    """``text`` as a bidi isolate: its direction from its own first strong character, and it
    does not reorder the sentence around it."""
    return f"{FSI}{text}{PDI}" if text else text


def set_text_language(widget: QPlainTextEdit | QTextEdit | QLabel, language: str | None) -> None:
    """Lay ``widget``'s paragraphs out in ``language``'s direction, aligned to its reading side;
    mixed lines are then ordered by the bidi algorithm from that base direction."""
    chosen = direction(language)
    widget.setLayoutDirection(chosen)
    if isinstance(widget, QLabel):
        widget.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        return
    document = widget.document()
    option = document.defaultTextOption()
    # The reading side as an absolute alignment: QPlainTextEdit's layout does not mirror a
    # leading alignment for a right-to-left option (measured: Arabic stayed at the left margin).
    side = (
        Qt.AlignmentFlag.AlignRight
        if chosen == Qt.LayoutDirection.RightToLeft
        else Qt.AlignmentFlag.AlignLeft
    )
    aligned = side | Qt.AlignmentFlag.AlignAbsolute
    if option.textDirection() != chosen or option.alignment() != aligned:
        option.setTextDirection(chosen)
        option.setAlignment(aligned)
        document.setDefaultTextOption(option)
