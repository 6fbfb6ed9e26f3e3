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
# Seconds without typing after which a draft's search entry is brought up to date (autosaves while
# typing leave it behind: replacing it securely costs ~25 ms, see migration 0008).
SEARCH_SETTLE_IDLE = 2.0


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
    last_typed: float | None = None
    search_behind: bool = False  # saved, but the search entry still has older text

    def changed(self, now: float) -> None:
        if self.first_unsaved is None:
            self.first_unsaved = now
        self.last_change = now
        self.last_typed = now

    def due(self, now: float) -> bool:
        if self.first_unsaved is None or self.last_change is None:
            return False
        return (
            now - self.first_unsaved >= AUTOSAVE_MAX_DELAY
            or now - self.last_change >= AUTOSAVE_IDLE
        )

    def saved(self, *, search_behind: bool = False) -> None:
        self.first_unsaved = None
        self.last_change = None
        self.search_behind = search_behind

    def settle_due(self, now: float) -> bool:
        """Whether the typing has paused long enough to bring the search entry up to date."""
        return (
            self.search_behind
            and not self.dirty
            and self.last_typed is not None
            and now - self.last_typed >= SEARCH_SETTLE_IDLE
        )

    def settled(self) -> None:
        self.search_behind = False

    @property
    def dirty(self) -> bool:
        return self.first_unsaved is not None


@dataclass(frozen=True)
class RecoveredDraft:
    """A draft autosaved in a session that ended without a lock (the app crashed or was killed):
    what the editor restored, for the "draft recovered" notice. ``kind`` is "testimony" (then
    ``size`` counts words) or "form" (then ``size`` counts answers)."""

    kind: str
    record_id: str  # the statement version or the form response
    case_reference: str
    title: str
    version: int | None
    size: int
    autosaved_at: str
    session_started_at: str
    interview_started_at: str | None = None
