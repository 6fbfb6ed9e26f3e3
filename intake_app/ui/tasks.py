"""All blocking work goes through one helper: run ``fn`` on the thread pool, call back on the GUI
thread. Tests swap in :class:`ImmediateRunner` (same interface, synchronous)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

if TYPE_CHECKING:
    from intake_app.core.session import Database

T = TypeVar("T")


def with_reader(
    open_reader: Callable[[], Database], work: Callable[[Database], T]
) -> Callable[[], T]:
    """Work for the thread pool that reads the vault: a connection stays on the thread that opens
    it, so the worker opens its own read-only one (``Vault.reader()``), runs ``work``, closes it."""

    @functools.wraps(work)  # keeps the work's name, for profiles and tests
    def run() -> T:
        db = open_reader()
        try:
            return work(db)
        finally:
            db.close()

    return run


class Runner(Protocol):
    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None: ...


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # reported on the GUI thread, never lost in the worker
            self._signals.failed.emit(exc)
            return
        self._signals.done.emit(result)


class ThreadPoolRunner:
    """Runs on QThreadPool; the signal objects live on the GUI thread, so callbacks land there."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self._pool = pool or QThreadPool.globalInstance()
        self._pending: set[_Signals] = set()

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        signals = _Signals()
        self._pending.add(signals)

        def finish(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                self._pending.discard(signals)
                callback(value)

            return call

        signals.done.connect(finish(on_success))
        signals.failed.connect(finish(on_error))
        self._pool.start(_Task(fn, signals))

    def wait(self, msecs: int = 30000) -> bool:
        return bool(self._pool.waitForDone(msecs))


class ImmediateRunner:
    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        try:
            result = fn()
        except BaseException as exc:
            on_error(exc)
            return
        on_success(result)
