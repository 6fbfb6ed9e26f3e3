"""Cold start (issue 16): `python -m intake_app` draws the unlock window before it loads what
only an open vault needs. Measured in benchmarks/ (app_process.START); this pins what is loaded,
not how long it takes, so it cannot flake."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import child_env

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.app_process import entry_point  # noqa: E402

# The app exactly as `python -m intake_app --vault DIR` runs it, stopped at its event loop:
# which of our modules and libraries are loaded by then.
AT_THE_UNLOCK_WINDOW = entry_point("print(json.dumps(sorted(sys.modules)))", language="ar")
LATER = (
    "intake_app.cli.commands",  # the command-line commands: only for a command
    "intake_app.core.services",  # the services, their export, signing and forms libraries
    "intake_app.core.vault.vault",  # the audit chain, X.509, SQLCipher
    "intake_app.core.vault.db",
    "sqlcipher3",
    "babel",  # CLDR data: dates and names are shown only once a vault is open
    "argon2",  # Argon2id runs when the passphrase is given
    "pyhanko",
    "reportlab",
    "elementpath",
    "intake_app.ui.case_view",
    "intake_app.ui.users_dialog",
    "intake_app.ui.new_case_dialog",
)


def test_the_unlock_window_is_drawn_before_what_an_open_vault_needs_is_loaded(
    vault_dir, coordinator
):
    coordinator.lock()
    done = subprocess.run(
        [sys.executable, "-c", AT_THE_UNLOCK_WINDOW, str(vault_dir)],
        env={**child_env(), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "intake_app.ui.shell" in loaded and "intake_app.ui.access" in loaded  # it did start
    early = [name for name in LATER if name in loaded]
    assert early == [], f"loaded before the unlock window: {early}"
