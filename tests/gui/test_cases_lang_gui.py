"""Issue 16 items 6 and 7, and the case list's closed cases: through the real widgets."""

from __future__ import annotations

from gui_helpers import unlock
from PySide6.QtWidgets import QApplication


def test_a_language_switch_keeps_the_tab_the_statement_the_scroll_and_the_cursor(qtbot, window):
    unlock(window)
    window.resize(900, 600)
    window.open_case(window.cases.model.record(0).reference)
    view = window.case_view
    view.tabs.setCurrentWidget(view.testimony)
    editor = view.testimony.text
    editor.setPlainText("\n".join(f"سطر {n}" for n in range(200)))
    view.testimony.flush()
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(120)
    editor.setTextCursor(cursor)
    qtbot.waitUntil(lambda: editor.verticalScrollBar().maximum() > 50)
    editor.verticalScrollBar().setValue(40)
    window.set_language("ar")
    view = window.case_view
    assert view.tabs.currentWidget() is view.testimony
    assert view.tabs.tabText(view.tabs.currentIndex()) == "الشهادة"
    assert QApplication.focusWidget() is view.testimony.text
    assert view.testimony.text.textCursor().position() == 120
    qtbot.waitUntil(lambda: view.testimony.text.verticalScrollBar().value() == 40)
