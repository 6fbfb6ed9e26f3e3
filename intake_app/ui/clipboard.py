"""S22: copied secrets and testimony are marked sensitive and cleared after a while and on lock."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_MS = 45_000
# Clipboard managers (KDE Klipper, macOS, Windows history) skip content carrying these hints.
_SENSITIVE_HINTS = {
    "x-kde-passwordManagerHint": b"secret",
    "application/x-nspasteboard-concealed-type": b"secret",
    "ExcludeClipboardContentFromMonitorProcessing": b"1",
    "CanIncludeInClipboardHistory": b"\x00\x00\x00\x00",
}


class SensitiveClipboard:
    def __init__(self, clear_after_ms: int = CLEAR_AFTER_MS) -> None:
        self._owned: str | None = None
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setInterval(clear_after_ms)
        self._timer.timeout.connect(self.clear)

    def copy(self, text: str) -> None:
        data = QMimeData()
        data.setText(text)
        for mime, value in _SENSITIVE_HINTS.items():
            data.setData(mime, value)
        QGuiApplication.clipboard().setMimeData(data)
        self._owned = text
        self._timer.start()

    def clear(self) -> None:
        """Clear what we put there, and only if it is still ours (never the user's own copy)."""
        clipboard = QGuiApplication.clipboard()
        if self._owned is not None and clipboard.text() == self._owned:
            clipboard.clear()
        self._owned = None
        self._timer.stop()
