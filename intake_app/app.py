"""Composition root: paths → options → vault → services → (GUI). Nothing else builds these."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import platformdirs

from intake_app.core.i18n import _
from intake_app.core.vault.device_secret import detect_os_store
from intake_app.core.vault.kdf import KdfPolicy
from intake_app.core.vault.vault import VaultOptions

APP_NAME = "intake_app"


def default_vault_dir() -> Path:
    """The platform's per-user data folder, never next to the executable."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "vault"


def production_options(*, use_keyring: bool = True) -> VaultOptions:
    return VaultOptions(kdf=KdfPolicy(), device_store=detect_os_store() if use_keyring else None)


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


def launch_gui(args: argparse.Namespace) -> int:
    try:
        from intake_app.ui.main import run  # type: ignore[import-not-found]
    except ImportError:
        sys.stderr.write(
            "intake-app: "
            + _(
                "The desktop window is not part of this build yet; use the commands (intake-app --help)."
            )
            + "\n"
        )
        return 2
    return int(run(args))
