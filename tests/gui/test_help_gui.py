"""Issue 16: a Help menu with a guide per screen (F1 opens the one on screen) in every language,
and an About box with the version, the vault's mode and the last verified backup."""

from __future__ import annotations

from gui_helpers import unlock

from intake_app import __version__
from intake_app.core import i18n
from intake_app.ui.help_menu import GUIDES, about_text


def test_f1_opens_the_guide_to_the_screen_on_screen(qtbot, window):
    dialog = window.help_menu.show_guide()
    assert dialog.text.toPlainText().startswith("Opening the vault")
    dialog.close()
    unlock(window)
    assert window.help_menu.show_guide().text.toPlainText().startswith("Cases")
    window.open_case(window.cases.model.record(0).reference)
    window.case_view.tabs.setCurrentWidget(window.case_view.consent)
    guide = window.help_menu.show_guide()
    assert guide.text.toPlainText().startswith("Consent")
    guide.screens.setCurrentRow(list(GUIDES).index("exports"))
    assert "withheld" in guide.text.toPlainText()


def test_every_guide_is_translated_in_every_language(qtbot):
    try:
        for language in ("fr", "es", "ar", "uk"):
            i18n.set_language(language)
            for title, text in GUIDES.values():
                assert i18n._(title) != title and i18n._(text) != text, (language, title)
    finally:
        i18n.set_language("en")


def test_about_gives_the_version_the_mode_and_the_last_backup(qtbot, window, tmp_path):
    assert __version__ in about_text(None) and "Unlock" in about_text(None)
    unlock(window)
    text = about_text(window.services)
    assert __version__ in text and "passphrase alone" in text and "No verified backup" in text
    window.services.admin.backup(tmp_path / "b.tar")
    assert "Last verified backup:" in about_text(window.services)
    box = window.help_menu.show_about()
    assert "Last verified backup:" in box.text()
    window.lock()
    assert not box.isVisible()  # nothing of the vault stays on screen after a lock
