"""Languages: gettext messages, CLDR formatting (babel, explicit locale), right-to-left.

Every user-facing string is ``_("…")`` with ``{named}`` fields filled by ``.format()`` after
translation; module-level constants use ``N_()`` and are translated where shown. Catalogs live in
``translations/<lang>/LC_MESSAGES/intake_app.po`` and are compiled to ``.mo`` at setup time.
"""

from __future__ import annotations

import functools
import gettext
import string
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from intake_app.core import bundle
from intake_app.core.errors import InvalidInput

if TYPE_CHECKING:  # babel loads on first use, after the unlock window (design §10)
    from babel import Locale

DOMAIN = "intake_app"
SHIPPED_LANGUAGES = ("en", "fr", "es", "ar", "uk")
RTL_SCRIPTS_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"})
LTR_SHIPPED_LANGUAGES = frozenset(SHIPPED_LANGUAGES) - RTL_SCRIPTS_LANGUAGES

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_listeners: list[Callable[[str], None]] = []


def locale_dir() -> Path:
    return bundle.locale_dir()


def fields(text: str) -> set[str]:
    """The named fields of a ``str.format`` template (``{count}`` → ``count``)."""
    try:
        return {
            name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None
        }
    except ValueError:  # unbalanced braces: a broken translation
        return {"\0broken"}


def _(message: str) -> str:
    """Translate ``message``; a translation whose fields differ from the source is not used."""
    translated = _translation.gettext(message)
    if translated is not message and fields(translated) != fields(message):
        return message
    return translated


def _n(singular: str, plural: str, count: int) -> str:  # noqa: N802 - the gettext convention
    """The plural form for ``count``; a translation may leave out a field (Arabic says "two
    seconds" in one word) but never add one."""
    translated = _translation.ngettext(singular, plural, count)
    source = singular if count == 1 else plural
    if translated not in (singular, plural) and not fields(translated) <= fields(singular) | fields(
        plural
    ):
        return source
    return translated


@functools.cache
def _catalog(language: str, directory: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=directory, languages=[language], fallback=True)


def translator(language: str) -> Callable[[str], str]:
    """``_`` for one language, whatever the interface language is (a document for a reader who
    reads another language than the user). The same guard against broken fields applies."""
    catalog = _catalog(language, str(locale_dir()))

    def translate(message: str) -> str:
        translated = catalog.gettext(message)
        return message if fields(translated) != fields(message) else translated

    return translate


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction without translating it now."""
    return message


def current_language() -> str:
    return _language


def set_language(language: str, directory: Path | None = None) -> None:
    """Switch the message catalog at runtime; listeners are told so views can retranslate."""
    global _translation, _language
    _translation = gettext.translation(
        DOMAIN, localedir=str(directory or locale_dir()), languages=[language], fallback=True
    )
    _language = language
    for listener in list(_listeners):
        listener(language)


def add_language_listener(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call ``listener(language)`` after every switch; returns a function that unsubscribes."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def is_rtl(language: str | None = None) -> bool:
    code = (language or _language).split("-")[0].split("_")[0]
    if code in RTL_SCRIPTS_LANGUAGES:
        return True
    if code in LTR_SHIPPED_LANGUAGES:  # known without loading a locale
        return False
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        return False


def _locale(language: str | None) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse((language or _language).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _day_pattern(locale: Locale, width: str) -> str:
    """The day as CLDR writes it with the month as a word: the ``yMMMd`` skeleton for short and
    medium (Arabic's medium pattern is numeric, and "12/2/26" reads as 12 February to most of
    the world), the long pattern for long and full."""
    if width in ("long", "full"):
        return str(locale.date_formats[width].pattern)
    return str(locale.datetime_skeletons["yMMMd"].pattern)


def day_pattern(language: str | None = None, width: str = "medium") -> str:
    """The CLDR pattern ``format_date`` uses (a date widget shows days the same way)."""
    return _day_pattern(_locale(language), width)


def format_date(moment: date, *, language: str | None = None, width: str = "medium") -> str:
    """A day, its month written as a word, whatever ``width`` (never a numeric date)."""
    locale = _locale(language)
    from babel.dates import format_date

    return format_date(moment, format=_day_pattern(locale, width), locale=locale)


def format_day(iso: str | None, *, language: str | None = None) -> str:
    """The day of a stored ISO timestamp (or date), as the language writes it; "—" when unset."""
    return format_date(date.fromisoformat(iso[:10]), language=language) if iso else "—"


def format_datetime(moment: datetime, *, language: str | None = None, width: str = "medium") -> str:
    """A moment: the day with its month as a word and the time (to the minute; seconds only for
    long and full), joined as the language's CLDR medium date-time pattern does."""
    locale = _locale(language)
    time_width = "medium" if width in ("long", "full") else "short"
    from babel.dates import format_date, format_time

    day = format_date(moment, format=_day_pattern(locale, width), locale=locale)
    time = format_time(moment, format=time_width, locale=locale)
    return str(locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", time)


def format_moment(stamp: str | None, *, language: str | None = None) -> str:
    """A stored timestamp (``…Z``, UTC) or a bare ISO day as the language writes it; "—" unset.

    The one helper screens use for a stored stamp, so no screen slices ``[:16]`` of it."""
    if not stamp:
        return "—"
    if len(stamp) <= 10:
        return format_day(stamp, language=language)
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return format_datetime(moment, language=language)


def format_number(number: float | int, *, language: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(number, locale=_locale(language))


def format_list(items: list[str], *, language: str | None = None) -> str:
    """'a, b and c' as the language writes it (CLDR: Arabic uses '،' and 'و')."""
    from babel.lists import format_list as _format_list

    return _format_list(items, style="standard", locale=_locale(language)) if items else ""


def language_name(code: str, *, language: str | None = None) -> str:
    """The name of language ``code`` in the display language (CLDR), or the code itself."""
    name = _locale(language).languages.get(code.replace("-", "_"))
    return name or code


@functools.cache
def language_codes() -> frozenset[str]:
    """Every language CLDR names (its base codes: "ar", "uk", "ckb"; no regional variants)."""
    english = _locale("en")
    return frozenset(str(code) for code in english.languages if "_" not in str(code))


def check_language_codes(codes: list[str] | tuple[str, ...]) -> list[str]:
    """``codes`` trimmed, without repeats, in their order; a code CLDR does not know (its base
    before "-" or "_") is refused with its name, so a typo never becomes a case's language."""
    known = language_codes()
    kept: list[str] = []
    for raw in codes:
        code = raw.strip()
        if not code:
            continue
        if code.replace("_", "-").split("-")[0].lower() not in known:
            raise InvalidInput(_("Not a language code: {value}.").format(value=code))
        if code not in kept:
            kept.append(code)
    return kept


def country_name(code: str, *, language: str | None = None) -> str:
    return _locale(language).territories.get(code.upper()) or code
