"""Counting and throttling failed unlocks (S12, S45). Nothing here is secret.

Where the count lives: ``unlock.state`` and a ``throttle`` record in both copies of the key file
(``keyfile.py``), all written at each wrong passphrase; the largest count is the one that holds.
Deleting the state file (or one copy) resets nothing. The record cannot be under the key file's
MAC: it is written when the passphrase was wrong, so the DEK is not known. Someone who rewrites
the key file's JSON and its checksum can reset it; they can as well copy the folder and guess with
their own program, where no throttle reaches and Argon2id's cost per guess (S10) is the defence.
The throttle is for guesses made through the app.

How long to wait: 2^(failures − 3) seconds, at most ``MAX_DELAY_SECONDS``, from the last failure.
Within one run the time since a failure is measured on the monotonic clock, so moving the wall
clock neither shortens nor lengthens the wait; across runs it is the wall clock, and whatever it
says (a clock that was a month fast during the guesses), never more than the wait itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from intake_app.core.clock import Clock
from intake_app.core.errors import UnlockThrottled
from intake_app.core.i18n import _n
from intake_app.core.vault.files import atomic_write
from intake_app.core.vault.keyfile import KeyFileStore

FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300.0

# The failures seen by this process: state file → (clock, failures, monotonic time of the last).
_THIS_RUN: dict[Path, tuple[Clock, float, float]] = {}


def _record(data: Any) -> dict[str, float] | None:
    try:
        return {"failures": max(0.0, float(data["failures"])), "last": float(data["last"])}
    except (ValueError, KeyError, TypeError):
        return None


class UnlockThrottle:
    def __init__(self, path: Path, clock: Clock, keys: KeyFileStore | None = None) -> None:
        self._path = path
        self._clock = clock
        self._keys = keys

    def _state(self) -> dict[str, float]:
        found = []
        try:
            found.append(_record(json.loads(self._path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            pass
        if self._keys is not None:
            found += [_record(r) for r in self._keys.throttle_records()]
        records = [r for r in found if r is not None]
        if not records:
            return {"failures": 0.0, "last": 0.0}
        return max(records, key=lambda r: (r["failures"], r["last"]))

    @property
    def failures(self) -> int:
        return int(self._state()["failures"])

    def delay(self) -> float:
        state = self._state()
        excess = state["failures"] - FREE_ATTEMPTS
        if excess < 0:
            return 0.0
        wait = min(2.0**excess, MAX_DELAY_SECONDS)
        seen = _THIS_RUN.get(self._path)
        if seen is not None and seen[0] is self._clock and seen[1] == state["failures"]:
            elapsed = self._clock.monotonic() - seen[2]
        else:
            elapsed = self._clock.now().timestamp() - state["last"]
        return float(min(wait, max(0.0, wait - elapsed)))

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
        failures = self._state()["failures"] + 1
        data = {"failures": failures, "last": self._clock.now().timestamp()}
        _THIS_RUN[self._path] = (self._clock, failures, self._clock.monotonic())
        atomic_write(self._path, json.dumps(data).encode())
        if self._keys is not None:
            self._keys.write_throttle(data)

    def succeeded(self) -> int:
        """Reset; returns how many failures preceded this success (to be audited)."""
        count = self.failures
        _THIS_RUN.pop(self._path, None)
        if count:
            atomic_write(self._path, json.dumps({"failures": 0, "last": 0}).encode())
            if self._keys is not None:
                self._keys.write_throttle(None)
        return count
