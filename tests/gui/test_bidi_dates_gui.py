"""Issue 16 items 4 and 10 through the real widgets: text laid out in its own language (the
letter preview, the draft, the testimony editors, the amendment history), dates in words."""

from __future__ import annotations

from datetime import date

import pytest
from gui_helpers import accept_next_dialog, unlock
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from intake_app.core import i18n
from intake_app.core.records import Channel, Decision, Purpose, Readback, UpdateKind
from intake_app.ui.dialogs import date_field
from intake_app.ui.text_direction import FSI, PDI

pytestmark = pytest.mark.gui

RTL, LTR = Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight
LETTER = "Amal 7، تحية طيبة. تم تحديد موعد الجلسة."


def _ink_columns(widget: QWidget) -> tuple[int, int]:
    """The leftmost and rightmost columns holding dark pixels (the text), in a real render."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    columns = [
        x
        for x in range(image.width())
        if any(QColor(image.pixel(x, y)).lightness() < 110 for y in range(4, image.height() - 4))
    ]
    assert columns, "nothing was drawn"
    return columns[0], columns[-1]


def _open_with_update(window) -> tuple[object, str]:
    unlock(window)
    reference = window.cases.model.record(0).reference
    services = window.services
    services.consent.record(
        reference,
        purpose=Purpose.CONTACT,
        scope="channel:phone",
        decision=Decision.GRANTED,
        explained_language="ar",
    )
    services.liaison.set_contact_plan(
        reference, safe_channels=[Channel.PHONE], unsafe_channels=[], preferred_language="ar"
    )
    services.liaison.prepare_update(
        reference, kind=UpdateKind.HEARING, channel=Channel.PHONE, language="ar", body=LETTER
    )
    window.open_case(reference)
    return window.case_view.liaison, reference


def test_the_letter_preview_is_right_to_left_in_an_english_interface(window):
    tab, _reference = _open_with_update(window)
    tab.updates.selectRow(0)
    body = tab.body
    assert body.toPlainText() == LETTER
    block = body.document().firstBlock()
    # Qt's own choice, from the first strong character, was left to right (the Latin name).
    assert body.layoutDirection() == RTL and block.textDirection() == RTL
    body.resize(700, 110)
    left, right = _ink_columns(body.viewport())
    assert left > body.viewport().width() // 3 and right > body.viewport().width() - 40


def test_an_update_drafted_in_arabic_is_laid_out_right_to_left(window):
    tab, _reference = _open_with_update(window)
    seen = {}

    def look(dialog):
        language, text = dialog.fields["language"], dialog.fields["text"]
        language.setCurrentIndex(language.findData("ar"))
        seen["ar"] = text.layoutDirection()
        language.setCurrentIndex(language.findData("fr"))
        seen["fr"] = text.layoutDirection()
        dialog.reject = dialog.accept  # keep what accept does: nothing more to check
        language.setCurrentIndex(language.findData("ar"))

    accept_next_dialog(look)
    tab.draft_update()
    assert seen == {"ar": RTL, "fr": LTR}


def test_arabic_testimony_is_right_aligned_and_the_history_reads_in_each_language(window):
    unlock(window)
    reference = window.cases.model.record(0).reference
    services = window.services
    (statement,) = services.statements.for_case(reference)
    services.statements.seal(statement.current.id, readback=Readback.CONFIRMED)
    amended = services.statements.amend(statement.id, reason="She named her son.")
    services.statements.save_draft(amended.current.id, text="Amal قالت: كان ذلك في المساء.")
    window.open_case(reference)
    tab = window.case_view.testimony
    editor = tab.text
    assert editor.toPlainText().startswith("Amal")
    assert editor.layoutDirection() == RTL
    assert editor.document().firstBlock().textDirection() == RTL  # despite the Latin name
    editor.resize(600, 200)
    left, right = _ink_columns(editor.viewport())
    assert right > editor.viewport().width() - 40  # right-aligned

    blocks = []
    block = tab.history.document().firstBlock()
    while block.isValid():
        if block.text():
            blocks.append((block.text(), block.textDirection()))
        block = block.next()
    (header, header_dir), (words, words_dir) = blocks
    assert f"{FSI}She named her son.{PDI}" in header and header_dir == LTR
    assert "قالت:" in words and words_dir == RTL

    window.set_language("ar")
    tab = window.case_view.testimony
    block = tab.history.document().firstBlock()
    assert block.textDirection() == RTL and f"{FSI}She named her son.{PDI}" in block.text()
    assert block.next().textDirection() == RTL
    assert tab.translation.layoutDirection() == RTL  # a translation not yet given one: the UI's


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "Feb 12, 2026"), ("fr", "12 févr. 2026"), ("uk", "12 лют. 2026\u202fр.")],
)
def test_date_pickers_write_the_month_as_a_word(qtbot, language, shown):
    i18n.set_language(language)
    field = date_field(date(2026, 2, 12))
    qtbot.addWidget(field)
    assert field.text() == shown
