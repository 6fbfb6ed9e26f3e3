"""The language of a translation, chosen in the real testimony tab and sealed with the record."""

from __future__ import annotations

import pytest
from babel import Locale
from gui_helpers import accept_next_dialog, unlock

from intake_app.core.i18n import SHIPPED_LANGUAGES
from intake_app.core.records import StatementStatus
from intake_app.core.testimony import seal_hash

pytestmark = pytest.mark.gui


def _version_content(version):
    return {
        "statement_id": version.statement_id,
        "number": version.number,
        "session_id": version.session_id,
        "language": version.language,
        "text": version.text,
        "translation": version.translation,
        "translation_language": version.translation_language,
        "translator": version.translator,
    }


def test_the_translation_is_sealed_in_the_language_the_translator_chose(window):
    unlock(window)
    reference = window.cases.model.record(0).reference
    window.open_case(reference)
    tab = window.case_view.testimony
    combo = tab.translation_language
    # Every shipped language, named in the interface language; the interviewer's own first chosen.
    assert [combo.itemData(i) for i in range(combo.count())] == list(SHIPPED_LANGUAGES)
    assert combo.currentData() == "en" and combo.currentText() == "English"
    assert combo.isEnabled() and combo.accessibleName() == "Language of the translation"
    combo.setCurrentIndex(combo.findData("fr"))
    tab.translation.setPlainText("C'était le matin")
    accept_next_dialog(lambda _dialog: None)  # the seal dialog, as it comes
    tab.seal_button.click()
    services = window.services
    (statement,) = services.statements.for_case(reference)
    sealed = statement.current
    assert sealed.status is StatementStatus.SEALED
    assert sealed.translation == "C'était le matin" and sealed.translation_language == "fr"
    assert sealed.sha256 == seal_hash(_version_content(sealed))  # the hash covers the choice
    assert not combo.isEnabled() and combo.currentData() == "fr"

    # In Arabic, names are Arabic; an amendment keeps the translation's language, a new
    # statement's translation starts in the interviewer's (now Arabic) language.
    window.set_language("ar")
    try:
        tab = window.case_view.testimony
        combo = tab.translation_language
        arabic = Locale("ar").languages
        assert combo.currentText() == arabic["fr"] and not combo.isEnabled()
        accept_next_dialog(lambda dialog: dialog.text.setPlainText("The time was corrected"))
        tab.amend_button.click()
        assert combo.isEnabled() and combo.currentData() == "fr"
        tab.new_button.click()
        assert combo.currentData() == "ar" and combo.currentText() == arabic["ar"]
        tab.translation.setPlainText("in Arabic")
        tab.flush()
        newest = services.statements.for_case(reference)[-1].current
        assert newest.translation_language == "ar"
        # The sealed version is as it was.
        first = services.statements.for_case(reference)[0].versions[0]
        assert first.sha256 == sealed.sha256 and first.translation_language == "fr"
    finally:
        window.set_language("en")
