"""Message translation (gettext).

Every user-facing string is wrapped in ``_()``; module-level constants use ``N_()`` and are
translated where they are shown. Catalogs live in ``translations/`` and are compiled at build time.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path

DOMAIN = "intake_app"
_LOCALE_DIR = Path(__file__).resolve().parents[2] / "translations"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_listeners: list[Callable[[str], None]] = []


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction without translating it now."""
    return message


def current_language() -> str:
    return _language


def set_language(language: str, locale_dir: Path | None = None) -> None:
    """Switch the message catalog; listeners are told so they can retranslate."""
    global _translation, _language
    _translation = gettext.translation(
        DOMAIN, localedir=str(locale_dir or _LOCALE_DIR), languages=[language], fallback=True
    )
    _language = language
    for listener in list(_listeners):
        listener(language)


def add_language_listener(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)
