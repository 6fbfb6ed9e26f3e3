from __future__ import annotations

import os
import sys
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import PASSPHRASE, FakeClock, cheap_options, create_vault, unlock  # noqa: E402

from intake_app.core.records import PersonRole, Role  # noqa: E402
from intake_app.core.services import Services  # noqa: E402
from intake_app.core.vault.device_secret import MemoryStore  # noqa: E402
from intake_app.core.vault.vault import VaultOptions  # noqa: E402
from intake_app.core.vault.witness import MemoryWitness  # noqa: E402


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture(autouse=True)
def private_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test its own configuration folder: what one test's CLI run has seen of a vault (the
    S36 witness) must not meet another test's copy of the same fixture vault."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def options(store: MemoryStore, clock: FakeClock) -> VaultOptions:
    return cheap_options(store, clock, witness=MemoryWitness())


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def coordinator(vault_dir: Path, options: VaultOptions) -> Iterator[Services]:
    services, _key = create_vault(vault_dir, options)
    yield services
    if services.ctx.vault.is_open:
        services.lock()


class Team:
    """A vault with one user of each role; ``as_(role)`` switches the acting user."""

    def __init__(self, vault_dir: Path, options: VaultOptions, coordinator: Services) -> None:
        self.vault_dir, self.options = vault_dir, options
        self.current = coordinator
        for role in (Role.ADVOCATE, Role.INVESTIGATOR, Role.LIAISON):
            coordinator.users.add(role.value, role.value.title(), role, PASSPHRASE + role.value)

    def as_(self, role: Role) -> Services:
        self.current.lock()
        username = "coord" if role is Role.COORDINATOR else role.value
        passphrase = PASSPHRASE if role is Role.COORDINATOR else PASSPHRASE + role.value
        self.current = unlock(self.vault_dir, self.options, username, passphrase)
        return self.current


@pytest.fixture
def team(vault_dir: Path, options: VaultOptions, coordinator: Services) -> Iterator[Team]:
    team = Team(vault_dir, options, coordinator)
    yield team
    if team.current.ctx.vault.is_open:
        team.current.lock()


@pytest.fixture
def case_ref(coordinator: Services) -> str:
    case = coordinator.cases.open(languages=["ar"])
    coordinator.cases.add_person(
        case.reference, role=PersonRole.SURVIVOR, pseudonym="Amal 7", legal_name="Real Legal Name"
    )
    return case.reference


def pytest_collection_modifyitems(config, items):
    """Widget tests are marked so `pytest -m "not gui"` runs the core alone in seconds."""
    for item in items:
        if "/gui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)
