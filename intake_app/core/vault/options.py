"""What a vault needs from outside, injected by the composition root (or a test)."""

from __future__ import annotations

from dataclasses import dataclass, field

from intake_app.core.clock import Clock, SystemClock
from intake_app.core.vault.device_secret import DeviceSecretStore
from intake_app.core.vault.files import StepHook, _no_hook
from intake_app.core.vault.kdf import KdfPolicy
from intake_app.core.vault.witness import HeadWitness

DB_NAME = "vault.db"
ROTATING_NAME = "vault.db.rotating"


@dataclass
class VaultOptions:
    """Everything a vault needs from outside, injected by the composition root (or a test)."""

    kdf: KdfPolicy = field(default_factory=KdfPolicy)
    device_store: DeviceSecretStore | None = None
    clock: Clock = field(default_factory=SystemClock)
    hook: StepHook = _no_hook
    accept_rollback: bool = False
    # S36: where this computer keeps the last chain head it saw of each vault (outside the folder).
    witness: HeadWitness | None = None
