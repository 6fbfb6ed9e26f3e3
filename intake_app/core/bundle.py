"""What intake_app ships beside its code (fonts, icons, catalogs, forms): found in the source tree,
or in a frozen build's folder (PyInstaller's ``sys._MEIPASS``), laid out the same way."""

from __future__ import annotations

import sys
from pathlib import Path


def root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else Path(__file__).resolve().parents[2]


def font_dir() -> Path:
    """The Noto fonts (OFL): Latin, Cyrillic and Arabic, whatever the system has."""
    return root() / "resources" / "fonts"


def icon_path() -> Path:
    """The application icon (SVG; packaging/ holds the platform formats made from it)."""
    return root() / "resources" / "icons" / "intake_app.svg"


def locale_dir() -> Path:
    """The compiled message catalogs (.mo)."""
    return root() / "translations"


def forms_dir() -> Path:
    """The XLSForms intake_app ships."""
    return root() / "forms"
