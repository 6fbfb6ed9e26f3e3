"""The forms intake_app ships (``forms/`` in the source tree, bundled beside the app when frozen)."""

from __future__ import annotations

from pathlib import Path

from intake_app.core import bundle
from intake_app.core.forms.loader import SUFFIXES


def shipped_dir() -> Path:
    return bundle.forms_dir()


def shipped_forms() -> list[Path]:
    folder = shipped_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES)
