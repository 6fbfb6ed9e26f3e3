"""Composition root: paths → options → vault → services → (GUI). Nothing else builds these."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import platformdirs

from intake_app.core.i18n import _, _n
from intake_app.core.vault.device_secret import detect_os_store
from intake_app.core.vault.kdf import KdfPolicy
from intake_app.core.vault.options import VaultOptions
from intake_app.core.vault.witness import FileWitness, HeadWitness, KeyringWitness

APP_NAME = "intake_app"
DEMO_USER = "demo"
# The demo vault holds only synthetic cases; its passphrase is public on purpose.
DEMO_PASSPHRASE = "demo vault - synthetic data only"
DEMO_CASES = 30


def data_dir() -> Path:
    """The platform's per-user data folder, never next to the executable."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_vault_dir() -> Path:
    return data_dir() / "vault"


def demo_vault_dir() -> Path:
    return data_dir() / "demo-vault"


def witness_dir() -> Path:
    """S36: outside every vault folder, per OS user."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "seen-heads"


def production_options(*, use_keyring: bool = True) -> VaultOptions:
    store = detect_os_store() if use_keyring else None
    witness: HeadWitness = (
        KeyringWitness(store.backend, store.description)
        if store is not None
        else FileWitness(witness_dir())
    )
    return VaultOptions(kdf=KdfPolicy(), device_store=store, witness=witness)


def protect_process() -> None:
    """S19: no core dumps (they would hold keys and testimony) where the OS lets us say so."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            pr_set_dumpable = 4
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_dumpable, 0, 0, 0, 0)


def ensure_demo_vault(directory: Path, options: VaultOptions) -> bool:
    """Create and fill the demo vault unless it exists; returns whether it was created."""
    from intake_app.core import session
    from intake_app.core.demo import generate

    if session.vault_exists(directory):
        return False
    session.create(
        directory,
        DEMO_USER,
        "Demo coordinator",
        DEMO_PASSPHRASE,
        options,
        populate=lambda services: generate(services, DEMO_CASES, seed=2026),
    )
    return True


def launch_gui(args: argparse.Namespace) -> int:
    if getattr(args, "screenshots", None):
        from intake_app.ui.screenshots import render

        for path in render(Path(args.screenshots)):
            print(path)
        return 0
    vault_dir = Path(args.vault).expanduser() if args.vault else None
    if args.demo:
        vault_dir = vault_dir or demo_vault_dir()
        # Passphrase-only: a demo must not leave secrets in the real keyring.
        if ensure_demo_vault(vault_dir, production_options(use_keyring=False)):
            print(
                _n(
                    "A demo vault with {count} synthetic case was created in {folder}.",
                    "A demo vault with {count} synthetic cases was created in {folder}.",
                    DEMO_CASES,
                ).format(count=DEMO_CASES, folder=vault_dir)
            )
        print(
            _("Demo user: {user} — passphrase: {passphrase}").format(
                user=DEMO_USER, passphrase=DEMO_PASSPHRASE
            )
        )
    try:
        from intake_app.ui.main import run
    except ImportError:  # a damaged install: the commands still work without Qt
        print(
            _(
                "The desktop interface (Qt) could not be loaded. The commands still work: "
                "intake-app --help"
            ),
            file=sys.stderr,
        )
        return 2
    return int(run(args, vault_dir))
