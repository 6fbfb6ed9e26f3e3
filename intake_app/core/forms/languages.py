"""A form's language columns: ``label::Arabic (ar)`` and ``label::Swahili`` name their code."""

from __future__ import annotations

import functools
import re

from intake_app.core.i18n import SHIPPED_LANGUAGES

_LANGUAGE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\)\s*$")


def language_code(key: str, default: str) -> str:
    """'Arabic (ar)' → 'ar'; 'Swahili' → 'sw' (CLDR names); 'default' → the form's default."""
    if key == "default":
        return default
    match = _LANGUAGE.match(key)
    if match:
        return match.group("code").replace("_", "-")
    return _language_names().get(key.strip().casefold(), key)


@functools.cache
def _language_names() -> dict[str, str]:
    """Language names in English and in each shipped language → code."""
    from babel import Locale

    names: dict[str, str] = {}
    for display in SHIPPED_LANGUAGES:
        for code, name in Locale.parse(display).languages.items():
            if "_" not in code:
                names.setdefault(name.casefold(), code)
    return names
