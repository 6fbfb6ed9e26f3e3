"""Starting the desktop app: Qt application, fonts, language, then the shell window."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from intake_app.core import i18n, session
from intake_app.core.bundle import font_dir, icon_path
from intake_app.core.clock import SystemClock


def register_fonts() -> None:
    """Noto (OFL) for Latin, Cyrillic and Arabic, whatever the system has."""
    for font in sorted(font_dir().glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font))


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("intake_app")
    app.setDesktopFileName("org.intakeapp.IntakeApp")  # packaging/linux/<this>.desktop
    app.setWindowIcon(QIcon(str(icon_path())))
    QGuiApplication.setQuitOnLastWindowClosed(True)
    register_fonts()
    return app


PRELOAD_AFTER_MS = 150  # the window is painted by then; nobody types a passphrase that fast


def preload() -> None:
    threading.Thread(target=session.preload, name="preload", daemon=True).start()


def run(args: argparse.Namespace, vault_dir: Path | None) -> int:
    from intake_app.app import default_vault_dir, production_options
    from intake_app.ui.capture import keep_out_of_captures
    from intake_app.ui.error_hook import install as install_error_hook
    from intake_app.ui.shell import ShellWindow
    from intake_app.ui.tasks import ThreadPoolRunner

    app = application()
    window = ShellWindow(
        vault_dir or default_vault_dir(),
        production_options(use_keyring=not args.no_keyring),
        SystemClock(),
        ThreadPoolRunner(),
    )
    install_error_hook(lambda: app.activeWindow() or window)
    window.set_language(i18n.current_language())
    window.resize(1100, 720)
    window.show()
    keep_out_of_captures(window)  # Windows and macOS; nothing to ask on Linux (ui/capture.py)
    # What opening a vault needs loads while the user types the passphrase (core/session.py),
    # once the window is on screen: started sooner it would hold the GIL during the first paint.
    QTimer.singleShot(PRELOAD_AFTER_MS, preload)
    return int(app.exec())
