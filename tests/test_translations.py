"""Catalogs: complete, current, placeholder-safe; runtime switching; CLDR formatting; RTL."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from intake_app.core import i18n
from intake_app.core.i18n import SHIPPED_LANGUAGES, _, _n, fields

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"


def catalog(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "intake_app.po", "rb") as handle:
        return read_po(handle)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


def test_template_is_current_with_the_code(tmp_path):
    fresh = tmp_path / "fresh.pot"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "_n:1,2",
            "--no-location",
            "--sort-output",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with open(fresh, "rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        committed = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert extracted == committed, "run scripts/translations extract"


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_every_message_is_translated_without_fuzzy_entries(language):
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    messages = [m for m in catalog(language) if m.id]
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in messages} == template
    missing = [
        m.id
        for m in messages
        if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    ]
    assert missing == []
    assert [m.id for m in messages if m.fuzzy] == []


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_placeholders_survive_translation(language):
    for message in catalog(language):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            allowed = fields(message.id[0]) | fields(message.id[1])
            for form in message.string:
                assert fields(form) <= allowed, (message.id, form)
        else:
            assert fields(message.string) == fields(message.id), (message.id, message.string)


def test_compiled_catalogs_are_build_products_not_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "translations"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert ".mo" not in tracked


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "La phrase secrète est incorrecte."),
        ("es", "La frase de contraseña no es correcta."),
        ("ar", "عبارة المرور غير صحيحة."),
        ("uk", "Парольна фраза неправильна."),
        ("en", "The passphrase is not correct."),
    ],
)
def test_runtime_switch_translates_and_notifies(language, expected):
    heard = []
    unsubscribe = i18n.add_language_listener(heard.append)
    try:
        i18n.set_language(language)
    finally:
        unsubscribe()
    assert _("The passphrase is not correct.") == expected
    assert heard == [language] and i18n.current_language() == language


def test_plural_forms_follow_cldr():
    singular = "Too many wrong attempts. Wait {seconds} second before trying again."
    plural = "Too many wrong attempts. Wait {seconds} seconds before trying again."
    i18n.set_language("uk")
    assert [_n(singular, plural, n).format(seconds=n).split()[5] for n in (1, 3, 5, 21)] == [
        "секунду",
        "секунди",
        "секунд",
        "секунду",
    ]
    i18n.set_language("ar")
    assert "ثانيتين" in _n(singular, plural, 2) and "ثوانٍ" in _n(singular, plural, 4).format(
        seconds=4
    )


def test_a_translation_with_broken_fields_falls_back_to_the_source(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    broken = Catalog(locale="fr", domain="intake_app")
    broken.add("Saved {count} cases", "Enregistré {nombre} dossiers")
    broken.add("Hello {name}", "Bonjour {name}")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "intake_app.mo", "wb") as handle:
        write_mo(handle, broken)
    i18n.set_language("fr", tmp_path)
    assert (
        _("Saved {count} cases").format(count=3) == "Saved 3 cases"
    )  # never a KeyError for the user
    assert _("Hello {name}") == "Bonjour {name}"


def test_rtl_and_cldr_formatting_use_an_explicit_locale():
    assert (
        i18n.is_rtl("ar") and i18n.is_rtl("he") and not i18n.is_rtl("uk") and not i18n.is_rtl("en")
    )
    moment = date(2026, 3, 1)
    assert i18n.format_date(moment, language="fr") == "1 mars 2026"
    assert i18n.format_date(moment, language="uk") == "1 бер. 2026\u202fр."
    assert i18n.format_number(1234567.5, language="fr") == "1\u202f234\u202f567,5"
    assert i18n.format_number(1234567.5, language="es") == "1.234.567,5"
    assert i18n.language_name("uk", language="ar") == "الأوكرانية"
    assert i18n.country_name("UA", language="fr") == "Ukraine"
    assert (
        i18n.format_date(moment, language="xx-invalid") == "Mar 1, 2026"
    )  # unknown → English, no crash


def test_the_cli_speaks_the_users_language(tmp_path):
    env = {"LANG": "uk_UA.UTF-8", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "intake_app", "cases", "--vault", str(tmp_path / "none")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 1 and "немає сховища" in result.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "intake_app",
            "--language",
            "ar",
            "cases",
            "--vault",
            str(tmp_path / "none"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert "لا توجد خزنة" in result.stderr


def test_lists_are_written_as_each_language_writes_them():
    assert i18n.format_list(["Arabic", "English"], language="en") == "Arabic and English"
    assert i18n.format_list(["العربية", "الإنجليزية"], language="ar") == "العربية والإنجليزية"
    assert i18n.format_list(["арабська", "англійська"], language="uk") == "арабська і англійська"
    assert i18n.format_list([], language="fr") == ""
