"""Testimony rules: the canonical content of a statement version and its seal hash, autosave timing.

sha256 = SHA-256 of canonical JSON (see canonical.py) of:
  {statement_id, version, session_id, language, text, translation, translation_language, translator}
Text is hashed exactly as typed (no normalisation): verbatim means verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake_app.core.canonical import canonical_json, sha256_hex

AUTOSAVE_MAX_DELAY = 1.0  # seconds: a crash loses at most this much typing (S24)
AUTOSAVE_IDLE = 0.4  # seconds without typing after which we save at once


def canonical_content(version: dict[str, Any]) -> dict[str, Any]:
    return {
        "statement_id": version["statement_id"],
        "version": int(version["number"]),
        "session_id": version["session_id"],
        "language": version["language"],
        "text": version["text"],
        "translation": version["translation"],
        "translation_language": version["translation_language"],
        "translator": version["translator"],
    }


def seal_hash(version: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(canonical_content(version)))


@dataclass
class AutosaveTimer:
    """When to save a draft being typed: after a short pause, and at least every second.

    Qt-free and clock-driven: the GUI calls :meth:`changed` on each edit and :meth:`due` from a
    timer; the crash harness drives it the same way.
    """

    first_unsaved: float | None = None
    last_change: float | None = None

    def changed(self, now: float) -> None:
        if self.first_unsaved is None:
            self.first_unsaved = now
        self.last_change = now

    def due(self, now: float) -> bool:
        if self.first_unsaved is None or self.last_change is None:
            return False
        return (
            now - self.first_unsaved >= AUTOSAVE_MAX_DELAY
            or now - self.last_change >= AUTOSAVE_IDLE
        )

    def saved(self) -> None:
        self.first_unsaved = None
        self.last_change = None

    @property
    def dirty(self) -> bool:
        return self.first_unsaved is not None
