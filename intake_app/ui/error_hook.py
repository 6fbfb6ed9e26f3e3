"""An unexpected error in the window: one translated sentence on screen, and one log line that
holds no content.

Python's default hook prints the traceback with the exception's message, and a message can carry
what the program was handling (a name, a word of testimony, a path). This hook writes only the
exception's type and where it was raised in our code, and tells the user in their language that
what was saved is safe. Errors in worker threads are logged the same way (a dialog belongs to the
window's thread; the worker's own error path already tells the user, ui/tasks.py).
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TextIO

from PySide6.QtWidgets import QMessageBox, QWidget

from intake_app.core.i18n import _

PACKAGE = Path(__file__).resolve().parents[1]


def describe(kind: type[BaseException], tb: TracebackType | None) -> str:
    """``KeyError at ui/cases_page.py:123 in refresh``: the type and the innermost frame of our
    own code (a library's frame says less, and its path may name the user's folders)."""
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if _inside(f.filename)]
    if not ours:
        return kind.__name__
    frame = ours[-1]
    where = Path(frame.filename).resolve().relative_to(PACKAGE).as_posix()
    return f"{kind.__name__} at {where}:{frame.lineno} in {frame.name}"


def _inside(filename: str) -> bool:
    try:
        Path(filename).resolve().relative_to(PACKAGE)
    except ValueError:
        return False
    return True


class ErrorHook:
    """Installed as ``sys.excepthook`` (and ``threading.excepthook``) by :func:`install`."""

    def __init__(self, parent: Callable[[], QWidget | None], stream: TextIO | None = None) -> None:
        self._parent = parent
        self._stream = stream
        self._showing = False
        self.shown: list[str] = []  # what the user was told, for tests

    def log(self, kind: type[BaseException], tb: TracebackType | None) -> None:
        stream = self._stream or sys.stderr
        try:
            stream.write(f"intake_app: unexpected error: {describe(kind, tb)}\n")
            stream.flush()
        except (OSError, ValueError):  # no terminal (a frozen build on Windows)
            pass

    def __call__(
        self,
        kind: type[BaseException],
        error: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        self.log(kind, tb)
        if self._showing:  # an error while telling of one: the log line is enough
            return
        self._showing = True
        try:
            text = _(
                "Something unexpected went wrong. What was saved is safe, and what you were "
                "typing is autosaved. If it happens again, tell your coordinator what you were "
                "doing (not what you had typed)."
            )
            self.shown.append(text)
            QMessageBox.critical(self._parent(), _("Unexpected error"), text)
        finally:
            self._showing = False

    def thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not SystemExit:
            self.log(args.exc_type, args.exc_traceback)


def install(parent: Callable[[], QWidget | None]) -> ErrorHook:
    hook = ErrorHook(parent)
    sys.excepthook = hook
    threading.excepthook = hook.thread
    return hook
