"""Shared by tests and by the child processes they start (importable as ``support``)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from intake_app.core.services import Services
from intake_app.core.vault.device_secret import MemoryStore
from intake_app.core.vault.kdf import KdfParams, KdfPolicy
from intake_app.core.vault.vault import Vault, VaultOptions

TESTS = Path(__file__).parent
PASSPHRASE = "correct horse battery staple"
CHEAP = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        self.ticks = 0.0

    def now(self) -> datetime:
        # Strictly increasing, so event order never depends on the machine's speed.
        self.moment += timedelta(microseconds=1)
        return self.moment

    def monotonic(self) -> float:
        return self.ticks

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)
        self.ticks += timedelta(**delta).total_seconds()


def cheap_options(
    store: MemoryStore | None = None, clock: FakeClock | None = None, **extra: object
) -> VaultOptions:
    return VaultOptions(
        kdf=KdfPolicy(floor=CHEAP, fixed=CHEAP),
        device_store=store,
        clock=clock or FakeClock(),
        **extra,
    )  # type: ignore[arg-type]


def create_vault(
    directory: Path, options: VaultOptions, username: str = "coord"
) -> tuple[Services, str]:
    created = Vault.create(directory, username, PASSPHRASE, options)
    services = Services.bootstrap(created.vault, username, "Coordinator", options.clock)
    return services, created.recovery_key


def unlock(
    directory: Path, options: VaultOptions, username: str = "coord", passphrase: str = PASSPHRASE
) -> Services:
    vault = Vault.unlock(directory, username, passphrase, options)
    return Services.login(vault, options.clock)


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(TESTS.parent), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def ledger_entry(ident, purpose, scope, decision, at, expires=None, withdrawn=None):
    """A consent ledger row for a survivor's decision, as the consent service records it."""
    from intake_app.core.records import Basis, Consent, GivenBy

    return Consent(
        ident, "case", None, purpose, scope, decision, Basis.CONSENT, None, None,
        GivenBy.SURVIVOR, None, "ar", None, None, "u", at, expires, withdrawn, None, None,
    )  # fmt: skip
