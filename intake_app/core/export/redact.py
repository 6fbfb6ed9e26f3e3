"""Names out of free text when the survivor's identity may not be disclosed.

A statement is verbatim, but a verbatim name would defeat the pseudonym. Without a live
identity-disclosure consent every free text in the export has the case's people's names (in full
and each part of three letters or more) replaced by the pseudonym, and the export says how many
places differ from the sealed original.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MIN_PART = 3


class NameRedactor:
    def __init__(self, names: Iterable[str], replacement: str) -> None:
        parts: set[str] = set()
        for name in names:
            name = " ".join(name.split())
            if not name:
                continue
            parts.add(name)
            parts.update(p for p in re.split(r"[\s\-'’.,]+", name) if len(p) >= MIN_PART)
        ordered = sorted(parts, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)", re.IGNORECASE
            )
            if ordered
            else None
        )
        self._replacement = replacement

    def __call__(self, text: str) -> tuple[str, int]:
        if self._pattern is None or not text:
            return text, 0
        return self._pattern.subn(lambda _match: self._replacement, text)

    def text(self, text: str | None) -> str | None:
        return None if text is None else self(text)[0]
