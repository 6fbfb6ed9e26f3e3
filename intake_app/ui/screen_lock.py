"""Lock the vault when the operating system locks the screen (where the OS tells us).

Linux: the freedesktop and GNOME screensavers' ActiveChanged on the session bus, and logind's
Lock on the system bus. No bus (or another OS) means this simply never fires; the idle timer and
Ctrl+L still lock. Windows and macOS session notifications are not wired yet.
"""

from __future__ import annotations

from PySide6.QtCore import SLOT, QObject, Signal, Slot

SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)


class ScreenLockWatcher(QObject):
    screen_locked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.listening: list[str] = []
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return
        session, system = QDBusConnection.sessionBus(), QDBusConnection.systemBus()
        if session.isConnected():
            for service, path, interface in SCREENSAVERS:
                if session.connect(
                    service,
                    path,
                    interface,
                    "ActiveChanged",
                    self,
                    SLOT("active_changed(bool)").encode(),
                ):
                    self.listening.append(interface)
        if system.isConnected() and system.connect(
            "org.freedesktop.login1",
            "",
            "org.freedesktop.login1.Session",
            "Lock",
            self,
            SLOT("session_lock()").encode(),
        ):
            self.listening.append("org.freedesktop.login1.Session")

    @Slot(bool)
    def active_changed(self, active: bool) -> None:
        if active:
            self.screen_locked.emit()

    @Slot()
    def session_lock(self) -> None:
        self.screen_locked.emit()
