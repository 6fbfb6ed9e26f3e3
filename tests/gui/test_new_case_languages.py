"""Issue 16 item 7: a new case asks the survivor's languages (several, by name); the interface
language is the first guess, not English; a person's languages are picked the same way."""

from __future__ import annotations

import pytest
from gui_helpers import accept_next_dialog, unlock
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from intake_app.core import i18n
from intake_app.core.errors import InvalidInput
from intake_app.core.records import PersonRole
from intake_app.ui.language_picker import CODE_ROLE, LanguagePicker
from intake_app.ui.new_case_dialog import NewCaseDialog


def _tick(picker: LanguagePicker, code: str) -> None:
    for row in range(picker.list.count()):
        item = picker.list.item(row)
        if item.data(CODE_ROLE) == code:
            item.setCheckState(Qt.CheckState.Checked)  # as a click on its box does
            return
    raise AssertionError(code)


def _visible(picker: LanguagePicker) -> list[str]:
    items = [picker.list.item(row) for row in range(picker.list.count())]
    return [i.data(CODE_ROLE) for i in items if not i.isHidden()]


def test_a_new_case_takes_several_survivor_languages_in_the_order_ticked(window):
    unlock(window)
    seen = {}

    def choose(dialog):
        assert isinstance(dialog, NewCaseDialog)
        seen["first"] = dialog.languages()
        dialog.picker.set_codes([])
        seen["ok without a language"] = dialog.buttons.button(
            QDialogButtonBox.StandardButton.Ok
        ).isEnabled()
        dialog.picker.filter.setText("tigr")
        seen["found"] = _visible(dialog.picker)
        _tick(dialog.picker, "ti")
        _tick(dialog.picker, "ar")

    accept_next_dialog(choose)
    window.cases.new_button.click()
    assert seen["first"] == ["en"]  # the interface language, ticked to start with
    assert seen["ok without a language"] is False
    assert "ti" in seen["found"] and "ar" not in seen["found"]
    case = window.services.cases.get(window.case_view.reference)
    assert case.languages == ("ti", "ar")


def test_in_an_arabic_interface_the_first_guess_is_arabic_and_names_are_arabic(window):
    unlock(window)
    window.set_language("ar")
    seen = {}

    def look(dialog):
        seen["codes"] = dialog.languages()
        seen["first row"] = dialog.picker.list.item(0).text()
        seen["direction"] = dialog.layoutDirection()

    accept_next_dialog(look)
    window.cases.new_button.click()
    assert seen["codes"] == ["ar"]
    assert seen["first row"] == "العربية"
    assert seen["direction"] == Qt.LayoutDirection.RightToLeft
    assert window.services.cases.get(window.case_view.reference).languages == ("ar",)


def test_cancelling_opens_no_case(window):
    unlock(window)
    before = len(window.services.cases.list())

    def cancel():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, cancel)
            return
        assert isinstance(dialog, NewCaseDialog)
        dialog.reject()  # as Escape does

    QTimer.singleShot(0, cancel)
    window.cases.new_button.click()
    assert len(window.services.cases.list()) == before
    assert QApplication.activeModalWidget() is None


def test_the_picker_names_field_languages_in_both_scripts_and_finds_them_by_either(qtbot):
    picker = LanguagePicker(["uk"])
    qtbot.addWidget(picker)
    assert picker.list.item(0).data(CODE_ROLE) == "uk"  # the chosen come first
    labels = {
        picker.list.item(r).data(CODE_ROLE): picker.list.item(r).text()
        for r in range(picker.list.count())
    }
    assert labels["ar"] == "Arabic — العربية"
    assert labels["fa"] == "Persian — فارسی"
    assert len(labels) > 500  # every language CLDR names can be chosen
    picker.filter.setText("فارسی")
    assert _visible(picker) == ["fa"]
    picker.filter.setText("ckb")  # a code typed whole finds its language
    assert _visible(picker) == ["ckb"]
    i18n.set_language("ar")
    try:
        picker.retranslate()
        picker.filter.setText("kurd")  # in an Arabic interface, by the English name too
        assert {"ckb", "ku"} <= set(_visible(picker))
        picker.filter.setText("الكردية")
        assert {"ckb", "ku"} <= set(_visible(picker))
    finally:
        i18n.set_language("en")


def test_a_language_code_cldr_does_not_know_is_refused_and_changes_nothing(coordinator):
    services = coordinator
    before = len(services.cases.list())
    with pytest.raises(InvalidInput, match="Not a language code: xx-klingon"):
        services.cases.open(languages=["xx-klingon"])
    assert len(services.cases.list()) == before
    case = services.cases.open(languages=[" ar ", "ar", "fr-CA"])
    assert case.languages == ("ar", "fr-CA")
    with pytest.raises(InvalidInput):
        services.cases.add_person(
            case.reference, role=PersonRole.SURVIVOR, pseudonym="A", languages=["\x1b[31m"]
        )
    person = services.cases.add_person(case.reference, role=PersonRole.SURVIVOR, pseudonym="A")
    with pytest.raises(InvalidInput):
        services.cases.update_person(person.id, languages=["nonsense"])
    assert services.cases.person(person.id).languages == ("ar", "fr-CA")
