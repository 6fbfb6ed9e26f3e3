"""Issue 16 items 6 and 7, and the case list's closed cases: through the real widgets."""

from __future__ import annotations

from gui_helpers import unlock
from PySide6.QtCore import Qt
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
    # the overview's summary takes the interface's direction (the reference alone is Latin)
    assert "dir='rtl'" in view.overview.summary.text()


def test_the_list_shows_the_pseudonym_and_members_and_hides_closed_cases(window):
    from gui_helpers import accept_next_dialog

    from intake_app.ui.dialogs import ReasonDialog

    unlock(window)
    page = window.cases
    model = page.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (1, 2, 3)] == [
        "Pseudonym",
        "People",
        "Assigned to",
    ]
    assert [model.index(0, c).data() for c in (1, 2, 3)] == ["Amal 7", "1", "coord"]
    reference = model.record(0).reference
    window.open_case(reference)
    overview = window.case_view.overview
    assert overview.status_button.text() == "Close the case…"

    def give_the_reason(dialog):
        assert isinstance(dialog, ReasonDialog)
        dialog.text.setPlainText("Referred to another organisation")

    accept_next_dialog(give_the_reason)
    overview.status_button.click()
    assert overview.status_button.text() == "Reopen the case…"
    window.close_case()
    assert page.model.rowCount() == 0 and page.message.text() == "0 cases."
    page.show_closed.setChecked(True)
    assert page.model.rowCount() == 1 and page.model.index(0, 4).data() == "closed"
    window.open_case(reference)
    accept_next_dialog(lambda dialog: dialog.text.setPlainText("New facts"))
    window.case_view.overview.status_button.click()
    assert window.services.cases.get(reference).status.value == "open"


def test_a_person_is_edited_and_a_new_name_asks_for_a_reason(window):
    from gui_helpers import accept_next_dialog

    from intake_app.ui.overview_tab import PersonDialog

    unlock(window)
    window.open_case(window.cases.model.record(0).reference)
    overview = window.case_view.overview
    assert not overview.edit_button.isEnabled()
    overview.people.selectRow(0)
    assert overview.edit_button.isEnabled()

    def rename(dialog):
        assert isinstance(dialog, PersonDialog) and dialog.legal_name.text() == "Real Name"
        assert not dialog.role.isEnabled()
        dialog.legal_name.setText("Other Name")

    accept_next_dialog(rename)
    overview.edit_person()
    assert "reason" in overview.message.text()
    overview.people.selectRow(0)

    def with_a_reason(dialog):
        dialog.legal_name.setText("Other Name")
        dialog.age_range.setText("18-25")
        dialog.reason.setText("The name was misheard")

    accept_next_dialog(with_a_reason)
    overview.edit_person()
    assert overview.people.item(0, 2).text() == "Other Name"
    assert overview.people.item(0, 3).text() == "18-25"


def test_a_new_persons_languages_default_to_the_cases(window):
    from gui_helpers import accept_next_dialog

    unlock(window)
    window.open_case(window.cases.model.record(0).reference)
    seen = []

    def look(dialog):
        seen.append(dialog.language_codes())
        dialog.pseudonym.setText("Witness 2")

    accept_next_dialog(look)
    window.case_view.overview.add_person()
    assert seen == [["ar"]]
