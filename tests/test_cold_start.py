"""Cold start (issue 16): `python -m intake_app` draws the unlock window before it loads what
only an open vault needs. Measured in benchmarks/ (app_process.START); this pins what is loaded,
not how long it takes, so it cannot flake."""

from __future__ import annotations

import json
import subprocess
import sys

from support import child_env

# The app exactly as `python -m intake_app --vault DIR` runs it, stopped at its event loop:
# which of our modules and libraries are loaded by then.
AT_THE_UNLOCK_WINDOW = """
import importlib.machinery, json, runpy, sys

class Stop:
    def find_spec(self, name, path, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            def shown(app):
                app.processEvents()
                print(json.dumps(sorted(sys.modules)))
                return 0
            module.QApplication.exec = shown
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Stop())
sys.argv = ["intake_app", "--vault", sys.argv[1], "--no-keyring", "--language", "ar"]
try:
    runpy.run_module("intake_app", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
"""
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
