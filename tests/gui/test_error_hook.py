"""Issue 16: an unexpected error in the window shows one translated sentence and logs only the
exception's type and where, never its message (which may carry a name or testimony)."""

from __future__ import annotations

import io
import sys
import threading

from PySide6.QtWidgets import QMessageBox, QWidget

from intake_app.core import i18n
from intake_app.ui.capture import keep_out_of_captures
from intake_app.ui.error_hook import ErrorHook, install

SECRET = "Amal Haddad said the soldiers came at dawn"


def _hook(qtbot, monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda parent, title, text, *a, **k: shown.append((title, text))
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    log = io.StringIO()
    return ErrorHook(lambda: parent, log), log, shown


def test_an_unexpected_error_shows_one_sentence_and_logs_no_content(qtbot, monkeypatch):
    hook, log, shown = _hook(qtbot, monkeypatch)
    try:
        raise KeyError(SECRET)
    except KeyError:
        hook(*sys.exc_info())
    assert len(shown) == 1 and "saved is safe" in shown[0][1]
    assert SECRET not in log.getvalue() and "Amal" not in log.getvalue()
    assert log.getvalue().startswith("intake_app: unexpected error: KeyError")


def test_the_log_names_where_in_our_code_it_was_raised(qtbot, monkeypatch):
    from intake_app.ui import error_hook

    hook, log, _shown = _hook(qtbot, monkeypatch)
    try:
        error_hook.describe(KeyError, "not a traceback")  # type: ignore[arg-type]
    except Exception:
        hook(*sys.exc_info())
    line = log.getvalue()
    assert "ui/error_hook.py:" in line and " in describe" in line
    assert "not a traceback" not in line and "object has no attribute" not in line


def test_the_sentence_is_in_the_users_language(qtbot, monkeypatch):
    hook, _log, shown = _hook(qtbot, monkeypatch)
    i18n.set_language("ar")
    try:
        try:
            raise ValueError(SECRET)
        except ValueError:
            hook(*sys.exc_info())
    finally:
        i18n.set_language("en")
    assert (
        shown
        and "Something" not in shown[0][1]
        and any("\u0600" <= c <= "\u06ff" for c in shown[0][1])
    )


def test_a_worker_threads_error_is_logged_without_content(qtbot, monkeypatch):
    hook, log, shown = _hook(qtbot, monkeypatch)
    previous = threading.excepthook
    threading.excepthook = hook.thread
    try:
        worker = threading.Thread(target=lambda: (_ for _ in ()).throw(RuntimeError(SECRET)))
        worker.start()
        worker.join()
    finally:
        threading.excepthook = previous
    assert "RuntimeError" in log.getvalue() and SECRET not in log.getvalue() and not shown


def test_install_takes_both_hooks_and_capture_protection_is_a_no_op_here(qtbot):
    before = (sys.excepthook, threading.excepthook)
    try:
        hook = install(lambda: None)
        assert sys.excepthook is hook and threading.excepthook == hook.thread
    finally:
        sys.excepthook, threading.excepthook = before
    window = QWidget()
    qtbot.addWidget(window)
    assert keep_out_of_captures(window) is False  # Linux offers nothing to ask (ui/capture.py)
