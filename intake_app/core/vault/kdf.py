"""Passphrase key derivation: Argon2id, calibrated per machine, with a production floor (S10)."""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass

from intake_app.core.errors import WeakKdfParameters
from intake_app.core.i18n import _


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int

    def at_least(self, floor: KdfParams) -> bool:
        return (
            self.time_cost >= floor.time_cost
            and self.memory_kib >= floor.memory_kib
            and self.parallelism >= floor.parallelism
        )


PRODUCTION_FLOOR = KdfParams(time_cost=3, memory_kib=64 * 1024, parallelism=4)
CALIBRATION_TARGET_SECONDS = 0.75
_MAX_TIME_COST = 64


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC so that the same words typed on different keyboards give the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def argon2id(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw  # its bindings load at the first unlock

    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def calibrate(target_seconds: float = CALIBRATION_TARGET_SECONDS) -> KdfParams:
    """The strongest parameters (memory first, then passes) that cost about ``target_seconds``."""
    salt = b"\0" * 16
    chosen = PRODUCTION_FLOOR
    for memory in (256 * 1024, 128 * 1024, 64 * 1024):
        params = KdfParams(PRODUCTION_FLOOR.time_cost, memory, PRODUCTION_FLOOR.parallelism)
        elapsed = _timed(salt, params)
        if elapsed <= target_seconds or memory == PRODUCTION_FLOOR.memory_kib:
            chosen = params
            break
    elapsed = _timed(salt, chosen)
    passes = int(chosen.time_cost * target_seconds / max(elapsed, 1e-3))
    passes = max(PRODUCTION_FLOOR.time_cost, min(passes, _MAX_TIME_COST))
    return KdfParams(passes, chosen.memory_kib, chosen.parallelism)


def _timed(salt: bytes, params: KdfParams) -> float:
    start = time.perf_counter()
    argon2id(b"calibration", salt, params)
    return time.perf_counter() - start


@dataclass(frozen=True)
class KdfPolicy:
    """What new slots use and the weakest parameters an existing slot may have.

    Production: calibrated, floor t=3 m=64 MiB p=4. Tests inject cheap parameters and a
    matching floor so the suite stays fast; the production floor itself is tested separately.
    """

    floor: KdfParams = PRODUCTION_FLOOR
    fixed: KdfParams | None = None

    def params_for_new_slot(self) -> KdfParams:
        return self.fixed if self.fixed is not None else calibrate()

    def check(self, params: KdfParams) -> None:
        if not params.at_least(self.floor):
            raise WeakKdfParameters(
                _(
                    "This key slot uses key-derivation settings weaker than allowed; it was refused. "
                    "Unlock with the recovery key and set the passphrase again."
                )
            )
