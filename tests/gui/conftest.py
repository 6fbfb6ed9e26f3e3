from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import PASSPHRASE, cheap_options, create_vault

from intake_app.core import i18n
from intake_app.core.records import PersonRole, Role
from intake_app.ui.shell import ShellWindow
from intake_app.ui.tasks import ImmediateRunner


@pytest.fixture(autouse=True)
def english_afterwards(qapp) -> Iterator[None]:
    from PySide6.QtCore import Qt

    yield
    i18n.set_language("en")
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


@pytest.fixture
def gui_vault(tmp_path: Path):
    """A passphrase-only vault with a coordinator, a liaison officer and one case with testimony."""
    options = cheap_options()
    services, _key = create_vault(tmp_path / "vault", options)
    services.users.add("liaison", "Liaison", Role.LIAISON, PASSPHRASE + "liaison")
    case = services.cases.open(languages=["ar"])
    services.cases.add_person(
        case.reference, role=PersonRole.SURVIVOR, pseudonym="Amal 7", legal_name="Real Name"
    )
    services.statements.create(
        case.reference, title="Initial", language="ar", text="كان ذلك في الصباح"
    )
    services.lock()
    return tmp_path / "vault", options, case.reference


@pytest.fixture
def window(qtbot, gui_vault) -> Iterator[ShellWindow]:
    vault_dir, options, _reference = gui_vault
    shell = ShellWindow(vault_dir, options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    shell.show()
    yield shell
    shell.lock()
