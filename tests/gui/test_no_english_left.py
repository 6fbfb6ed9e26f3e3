"""Issue 16 item 6: every screen, in every language but English, shows no English word.

The main pages, every tab of a case and the main dialogs are rendered in each language and every
text a person can read is collected (labels, buttons, tabs, lists, tables, combo boxes, place
holders, browsers). A word of the English catalog's vocabulary that the language's own catalog
never uses is a string left untranslated. Names and the fixture's own data are allowed."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from gui_helpers import unlock
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTextBrowser,
    QWidget,
)

from intake_app.core.i18n import SHIPPED_LANGUAGES, language_name
from intake_app.core.records import ProviderType
from intake_app.ui.language_picker import FIELD_LANGUAGES, _autonym

ROOT = Path(__file__).resolve().parents[2]
# a word in Latin letters (accented ones too), or "v" before a number (English for "version")
WORD = re.compile(r"\b[A-Za-zÀ-ÿ]{2,}\b|\bv(?=\d)")
NOT_WORDS = re.compile(
    r"\bC-[0-9A-Z]+\b|\b[0-9a-f]{16,}\b|\b[0-9A-F]{2}(?::[0-9A-F]{2}){7,}\b|SHA-256"
)  # case references, digests, fingerprints
# synthetic data of the fixture, user names, proper nouns, codes a person types
ALLOWED = {"Amal", "Real", "Name", "Initial", "coord", "Coordinator", "liaison", "Liaison"}
ALLOWED |= {"PDF", "CSV", "SHA", "PKCS", "XLSForm", "ODK", "Noto", "UTC"}
ALLOWED |= {"OK"}  # Qt's own Ukrainian catalog keeps "OK" on its buttons, as Ukrainian does
# the language picker names the field's languages in their own words too ("Türkçe"), on purpose
ALLOWED |= {w for code in FIELD_LANGUAGES for w in WORD.findall(_autonym(code))}


def _catalog_words(language: str) -> tuple[set[str], set[str]]:
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "intake_app.po", "rb") as handle:
        catalog = read_po(handle)
    english, own = set(), set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            english |= {w.lower() for w in WORD.findall(re.sub(r"\{[^}]*\}", "", text))}
        for text in strs:
            own |= {w.lower() for w in WORD.findall(text)}
    return english, own


def _texts(root: QWidget) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        where = type(widget).__name__
        texts: list[str] = []
        if isinstance(widget, QLabel):
            texts.append(re.sub(r"<[^>]+>", " ", unescape(widget.text())))
        elif isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QTextBrowser):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model: one column, and Qt keeps its count private
                columns = 1
            for column in range(columns):
                texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
                for row in range(min(model.rowCount(QModelIndex()), 20)):
                    texts.append(str(model.index(row, column).data() or ""))
        texts.append(widget.toolTip())
        found += [(where, t) for t in texts if t]
    return found


def _english_left(
    screen: str,
    root: QWidget,
    english: set[str],
    own: set[str],
    latin: bool,
    data: set[str],
) -> list[str]:
    left = []
    for where, text in _texts(root):
        for word in WORD.findall(NOT_WORDS.sub("", text)):
            if word in ALLOWED or word in data or word.lower() in own:
                continue
            # in a language not written in Latin script every Latin word is English left over;
            # in French and Spanish, a word of the English catalog their catalog never uses
            if latin and word.lower() not in english:
                continue
            left.append(f"{screen} / {where}: {word!r} in {text!r}")
    return left


@pytest.fixture
def demo_window(qtbot, gui_vault):
    """The fixture's vault with demo cases added (forms, consent, referrals, liaison): the case
    opened is the demo's first Arabic case."""
    from support import unlock as unlock_vault

    from intake_app.core.demo import generate
    from intake_app.ui.shell import ShellWindow
    from intake_app.ui.tasks import ImmediateRunner

    vault_dir, options, _reference = gui_vault
    services = unlock_vault(vault_dir, options)
    generate(services, 6, seed=5)
    services.lock()
    shell = ShellWindow(vault_dir, options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    shell.show()
    yield shell
    shell.lock()


@pytest.mark.parametrize("language", ["fr", "es", "ar", "uk"])
def test_no_english_word_is_left_on_any_screen(demo_window, language):
    window = demo_window
    from intake_app.ui.dialogs import ReasonDialog
    from intake_app.ui.overview_tab import PersonDialog

    words = (*_catalog_words(language), language in ("fr", "es"), set())
    window.set_language(language)
    left = _english_left("unlock", window.unlock_page, *words)
    unlock(window)
    cases = [window.cases.model.record(r) for r in range(window.cases.model.rowCount())]
    services = window.services
    words[3].update(  # synthetic names the demo made up: pseudonyms and providers
        w
        for text in [
            *(p.pseudonym for c in cases for p in services.cases.persons(c.reference)),
            *(p.organisation for p in services.referrals.providers()),
            *(f"{r.name} {r.organisation}" for r in services.recipients.list()),
            # codes a CSV file holds, and languages named in their own language
            *(t.value for t in ProviderType),
            *(language_name(code, language=code) for code in SHIPPED_LANGUAGES),
        ]
        for w in WORD.findall(text)
    )
    left += _english_left("cases", window.cases, *words)
    window.show_follow_up()
    left += _english_left("follow-up", window.follow_up, *words)
    chosen = max(cases, key=lambda c: (c.languages[:1] == ("ar",), c.people))
    window.open_case(chosen.reference)
    view = window.case_view
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        left += _english_left(f"tab {index}", view.tabs.widget(index), *words)
    left += _english_left("tabs", view, *words)
    person = window.services.cases.persons(view.reference)[0]
    from intake_app.ui.backup_dialog import BackupDialog
    from intake_app.ui.consent_tab import ConsentDialog
    from intake_app.ui.export_dialog import ExportDialog
    from intake_app.ui.provider_import import ProviderImportDialog
    from intake_app.ui.recipients_dialog import RecipientsDialog
    from intake_app.ui.tasks import ImmediateRunner
    from intake_app.ui.testimony_tab import SealDialog
    from intake_app.ui.users_dialog import PassphraseDialog, UsersDialog
    from intake_app.ui.verify_dialog import VerifyDialog

    runner = ImmediateRunner()
    for name, dialog in (
        ("new person", PersonDialog(view)),
        ("edit person", PersonDialog(view, person)),
        ("reason", ReasonDialog("-", "-", view)),
        ("consent", ConsentDialog(chosen.languages, view.consent._consenting(), view)),
        ("seal", SealDialog(view)),
        ("export", ExportDialog(services, chosen.reference, runner, view)),
        ("backup", BackupDialog(services, runner, view)),
        ("recipients", RecipientsDialog(services, view)),
        ("users", UsersDialog(services, view)),
        ("passphrase", PassphraseDialog(services, view)),
        ("verify", VerifyDialog(runner, services, view)),
        ("providers", ProviderImportDialog(services, view)),
    ):
        left += _english_left(name, dialog, *words)
        dialog.deleteLater()
    assert left == [], "\n".join(left)
