"""S22: copied secrets and testimony are marked sensitive and cleared after a while and on lock."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit, QWidget

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
        QGuiApplication.clipboard().setMimeData(self.mark(data))

    def mark(self, data: QMimeData) -> QMimeData:
        """Add the 'sensitive' hints and own the text, so it is cleared later and on lock."""
        for mime, value in _SENSITIVE_HINTS.items():
            data.setData(mime, value)
        self._owned = data.text()
        self._timer.start()
        return data

    def clear(self) -> None:
        """Clear what we put there, and only if it is still ours (never the user's own copy)."""
        clipboard = QGuiApplication.clipboard()
        if self._owned is not None and clipboard.text() == self._owned:
            clipboard.clear()
        self._owned = None
        self._timer.stop()

    def clear_on_lock(self) -> None:
        """What we copied, and the X11 PRIMARY selection if this window holds it: text selected
        with the mouse is served to any program that asks (a middle click pastes it) for as long
        as the window holds it, which outlived the lock (S44)."""
        self.clear()
        clipboard = QGuiApplication.clipboard()
        if clipboard.supportsSelection() and clipboard.ownsSelection():
            clipboard.clear(QClipboard.Mode.Selection)


class SensitiveTextEdit(QPlainTextEdit):
    """A text editor whose copies and cuts (keys, menu, drag) go out marked sensitive and owned."""

    def __init__(
        self, clipboard: SensitiveClipboard | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 - Qt's name
        data = super().createMimeDataFromSelection()
        return self._clipboard.mark(data) if self._clipboard is not None else data
