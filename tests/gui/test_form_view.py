"""The intake-form renderer through its real widgets."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import unlock
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)
from support import FakeClock

from intake_app.core.forms.loader import load_form
from intake_app.core.forms.session import FormSession
from intake_app.ui.form_view import FormView

FORMS = Path(__file__).resolve().parents[1] / "forms"


def view_for(qtbot, name: str, language: str = "en") -> tuple[FormView, list]:
    saves: list = []
    form = FormSession(load_form(FORMS / name), language=language, clock=FakeClock())
    view = FormView(form, lambda f, complete: saves.append((f.answers(), complete)))
    qtbot.addWidget(view)
    view.show()
    return view, saves


def widget(view: FormView, name: str, at=()):
    return next(w for w in view.widgets if w.question.name == name and w.at == at)


def test_every_question_type_gets_its_widget(qtbot):
    view, _saves = view_for(qtbot, "all_types.md")
    kinds = {
        w.question.name: type(w.input).__name__ if w.input is not None else None
        for w in view.widgets
    }
    assert kinds == {
        "name": "QLineEdit",
        "age": "QLineEdit",
        "weight": "QLineEdit",
        "when": "QLineEdit",
        "at": "QLineEdit",
        "moment": "QLineEdit",
        "consent": "QComboBox",
        "fruits": "QWidget",
        "summary": None,
        "ack": "QCheckBox",
        "voice": "QPushButton",
        "photo": "QPushButton",
        "doc": "QPushButton",
        "where": "QLineEdit",
        "locked": "QLineEdit",
    }  # calculate and hidden questions are never shown
    assert widget(view, "name").label.text() == "Name *"  # required is marked
    assert widget(view, "when").input.placeholderText() == "2026-03-01"
    assert widget(view, "name").input.accessibleName() == "Name"


def test_answers_skip_logic_and_inline_errors_live(qtbot):
    view, saves = view_for(qtbot, "all_types.md")
    fruits = widget(view, "fruits")
    assert fruits.isHidden()  # relevant only when consent = yes
    consent = widget(view, "consent").input
    assert isinstance(consent, QComboBox)
    consent.setCurrentIndex(consent.findData("yes"))
    consent.activated.emit(consent.currentIndex())
    assert not fruits.isHidden() and saves[-1][0]["consent"] == "yes"
    boxes = fruits.input.findChildren(QCheckBox)
    assert [b.text() for b in boxes] == ["Apple", "Pear", "Fig"]
    for box in boxes:
        box.setChecked(True)
    assert view.form.value("fruits") == "apple pear fig"
    assert view.check_page() >= 1 and widget(view, "fruits").error.text() == "At most two"
    age = widget(view, "age").input
    assert isinstance(age, QLineEdit)
    age.setText("forty")
    age.editingFinished.emit()
    assert (
        widget(view, "age").error.text() == "Enter a whole number." and view.form.value("age") == ""
    )
    age.setText("17")
    age.editingFinished.emit()
    assert widget(view, "age").error.text() == "" and view.form.value("adult") == "no"
    name = widget(view, "name").input
    name.setText("Amal")
    name.editingFinished.emit()
    assert widget(view, "summary").label.text() == "Hello Amal, you chose Yes"


def test_language_switch_mid_interview_keeps_answers_and_bilingual_view(qtbot):
    view, _saves = view_for(qtbot, "all_types.md")
    line = widget(view, "name").input
    line.setText("Amal")
    line.editingFinished.emit()
    view.language.setCurrentIndex(view.language.findData("fr"))
    assert widget(view, "name").label.text() == "Nom *" and view.form.value("name") == "Amal"
    assert widget(view, "name").input.text() == "Amal"
    view.bilingual.setChecked(True)
    view.second_language.setCurrentIndex(view.second_language.findData("en"))
    assert (
        widget(view, "name").second.text() == "Name" and not widget(view, "name").second.isHidden()
    )
    assert view.form.languages_used == ["en", "fr"]


def test_arabic_form_is_laid_out_right_to_left_and_cascading_selects_refresh(qtbot):
    view, _saves = view_for(qtbot, "realworld/displacement_survey.md", language="ar")
    assert view.area.widget().layoutDirection() == Qt.LayoutDirection.RightToLeft
    country, region = widget(view, "country").input, widget(view, "region").input
    assert region.count() == 1  # only the empty choice until a country is chosen
    country.setCurrentIndex(country.findData("sy"))
    country.activated.emit(country.currentIndex())
    assert [region.itemText(i) for i in range(1, region.count())] == ["إدلب", "حلب"]


def test_repeats_follow_the_count_and_can_be_added_and_removed(qtbot):
    view, saves = view_for(qtbot, "realworld/displacement_survey.md")
    assert [p.title for p in view.pages()] == ["Location", None, "Household member", None]
    view.go(1)
    size = widget(view, "household_size").input
    size.setText("2")
    size.editingFinished.emit()
    view.go(2)  # the household members page
    members = [w for w in view.widgets if w.question.name == "member_name"]
    assert [w.at for w in members] == [(("members", 0),), (("members", 1),)]
    age = widget(view, "member_age", (("members", 1),)).input
    age.setText("40")
    age.editingFinished.emit()
    missing = widget(view, "member_missing", (("members", 1),)).input
    missing.setCurrentIndex(missing.findData("yes"))
    missing.activated.emit(missing.currentIndex())
    add = next(b for b in view.findChildren(QPushButton) if b.text().startswith("Add an entry"))
    add.click()
    assert [w.at for w in view.widgets if w.question.name == "seen_place"] == [
        (("members", 1), ("sightings", 0))
    ]
    remove = next(b for b in view.findChildren(QPushButton) if b.text() == "Remove this entry")
    remove.click()
    assert not [w for w in view.widgets if w.question.name == "seen_place"]
    second = saves[-1][0]["members"][1]
    assert (
        second["member_age"] == "40"
        and second["member_missing"] == "yes"
        and second["sightings"] == []
    )
    assert len([b for b in view.findChildren(QGroupBox) if b.isVisibleTo(view)]) >= 2


def test_finishing_goes_to_the_first_problem_then_completes(qtbot):
    view, saves = view_for(qtbot, "all_types.md")
    view.finish.click()
    assert (
        "need attention" in view.message.text()
        and widget(view, "name").error.text() == "A name is needed"
    )
    assert not any(complete for _answers, complete in saves)
    line = widget(view, "name").input
    line.setText("Amal")
    line.editingFinished.emit()
    view.finish.click()
    assert view.message.text() == "The form is complete." and saves[-1][1] is True


def test_multiline_text_keeps_every_keystroke(qtbot, tmp_path):
    form_file = tmp_path / "m.md"
    form_file.write_text(
        "| survey |\n| | type | name | label | appearance | sensitivity |\n"
        "| | text | story | Story | multiline | narrative |\n",
        encoding="utf-8",
    )
    form = FormSession(load_form(form_file), clock=FakeClock())
    view = FormView(form, lambda f, c: None)
    qtbot.addWidget(view)
    area = widget(view, "story").input
    assert isinstance(area, QPlainTextEdit)
    qtbot.keyClicks(area, "they came at night")
    assert form.value("story") == "they came at night"


def test_intake_tab_starts_a_shipped_form_in_the_case_language(qtbot, window):
    unlock(window)
    window.open_case(window.cases.model.record(0).reference)
    tab = window.case_view.intake
    titles = [tab.forms.itemText(i) for i in range(tab.forms.count())]
    assert any(t.startswith("Incident") for t in titles)
    tab.start_form("incident")
    assert tab.view is not None and tab.view.form.language == "ar"  # the case's language
    place = widget(tab.view, "place").input
    place.setText("قرب الجسر")
    place.editingFinished.emit()
    reopened = window.services.forms.session(tab._response_id)
    assert reopened.value("place") == "قرب الجسر"
    assert isinstance(tab.view.findChildren(QLabel)[0], QLabel)


def test_field_types_degrade_plainly_in_the_form_view_and_a_ranking_is_put_in_order(qtbot):
    view, _saves = view_for(qtbot, "corpus/field_types.md")
    code = widget(view, "document_code")
    assert (
        code.degraded.text()
        == "Type the code printed under the barcode: this computer does not scan."
    )
    assert isinstance(code.input, QLineEdit)
    assert widget(view, "route").input.placeholderText() == "48.85 2.35; 48.86 2.36"
    assert widget(view, "pain").input.placeholderText() == "0 – 10"
    assert isinstance(widget(view, "clip").input, QPushButton)  # video: an attachment
    ranking = widget(view, "priorities")
    items = lambda: [ranking.input.item(i).text() for i in range(ranking.input.count())]  # noqa: E731
    assert items() == ["Shelter", "Medical care", "Legal aid"]
    ranking.input.setCurrentRow(2)
    qtbot.keyClick(ranking.input, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert items() == ["Shelter", "Legal aid", "Medical care"]
    assert view.form.value("priorities") == "shelter legal medical"
    view.form.set_language(view.form.language)
    ranking.refresh(None)
    assert items() == ["Shelter", "Legal aid", "Medical care"]  # the order given is kept


def test_metadata_is_never_shown_and_a_phones_position_is_said_to_stay_empty(qtbot):
    view, _saves = view_for(qtbot, "corpus/field_metadata.md")
    shown = {w.question.name for w in view.widgets}
    assert "interviewer" not in shown and "device" not in shown and "where_started" not in shown
    assert "account" in shown


def test_a_ranking_already_in_the_right_order_is_kept_with_one_click(qtbot):
    view, _saves = view_for(qtbot, "corpus/field_types.md")
    ranking = widget(view, "priorities")
    assert view.form.value("priorities") == ""
    ranking.keep_order.click()
    assert view.form.value("priorities") == "shelter medical legal"
