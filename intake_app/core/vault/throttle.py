"""Counting and throttling failed unlocks (S12). The state file holds no secret."""

from __future__ import annotations

import json
from pathlib import Path

from intake_app.core.clock import Clock
from intake_app.core.errors import UnlockThrottled
from intake_app.core.i18n import _n
from intake_app.core.vault.files import atomic_write

FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300.0


class UnlockThrottle:
    def __init__(self, path: Path, clock: Clock) -> None:
        self._path = path
        self._clock = clock

    def _state(self) -> dict[str, float]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return {"failures": float(data["failures"]), "last": float(data["last"])}
        except (OSError, ValueError, KeyError, TypeError):
            return {"failures": 0.0, "last": 0.0}

    @property
    def failures(self) -> int:
        return int(self._state()["failures"])

    def delay(self) -> float:
        state = self._state()
        excess = state["failures"] - FREE_ATTEMPTS
        if excess < 0:
            return 0.0
        wait = min(2.0**excess, MAX_DELAY_SECONDS)
        return float(max(0.0, state["last"] + wait - self._clock.now().timestamp()))

    def check(self) -> None:
        remaining = self.delay()
        if remaining > 0:
            raise UnlockThrottled(
                _n(
                    "Too many wrong attempts. Wait {seconds} second before trying again.",
                    "Too many wrong attempts. Wait {seconds} seconds before trying again.",
                    int(remaining) + 1,
                ).format(seconds=int(remaining) + 1),
                remaining,
            )

    def failed(self) -> None:
        state = self._state()
        data = {"failures": state["failures"] + 1, "last": self._clock.now().timestamp()}
        atomic_write(self._path, json.dumps(data).encode())

    def succeeded(self) -> int:
        """Reset; returns how many failures preceded this success (to be audited)."""
        count = self.failures
        if count:
            atomic_write(self._path, json.dumps({"failures": 0, "last": 0}).encode())
        return count
