"""The two halves of a verified backup, at the same time (S27).

``vault.db`` streams into the backup file on a thread of its own, every page's MAC checked before
any of its bytes are written (pages.py), while the calling thread checks the rows and the chain on
the same read snapshot. The file half spends its time in the kernel and in OpenSSL, which release
Python's lock, so the two overlap: the backup takes about as long as the longer half, not the sum.
Nothing becomes a backup until both halves have passed: the file is written under a temporary
name, and renamed into place only then (S26).

Progress is the two halves as one measure, in thousandths, weighted by their share of the time.
A progress callback that raises (the GUI's way of stopping a backup) stops both halves.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tarfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from intake_app.core.vault.db import PAGE_SIZE
from intake_app.core.vault.files import FILE_MODE, fsync_dir
from intake_app.core.vault.pages import BLOCK_PAGES, PageDamage, check_block

SCALE = 1000
LOGICAL_SHARE = 0.8  # measured: the rows and the chain take about four fifths of the work


class Stopped(Exception):
    """The other half failed or was stopped: this one stops too."""


class Progress:
    """Both halves' progress as one nondecreasing figure, ``report(done, SCALE)``. Thread-safe;
    an exception from ``report`` reaches the half that reported, which then stops the other."""

    def __init__(self, report: Callable[[int, int], None] | None) -> None:
        self._report = report
        self._lock = threading.Lock()
        self._logical = 0.0
        self._file = 0.0
        self._last = -1
        self.stop = threading.Event()

    def logical(self, fraction: float) -> None:
        self._update(logical=fraction)

    def file(self, fraction: float) -> None:
        self._update(file=fraction)

    def finished(self) -> None:
        self._update(logical=1.0, file=1.0)

    def check(self) -> None:
        if self.stop.is_set():
            raise Stopped

    def _update(self, *, logical: float | None = None, file: float | None = None) -> None:
        self.check()
        with self._lock:
            self._logical = self._logical if logical is None else max(self._logical, logical)
            self._file = self._file if file is None else max(self._file, file)
            value = round(
                SCALE * (LOGICAL_SHARE * self._logical + (1 - LOGICAL_SHARE) * self._file)
            )
            if value <= self._last or self._report is None:
                return
            self._last = value
            try:
                self._report(value, SCALE)
            except BaseException:
                self.stop.set()
                raise


class CheckedReader:
    """``vault.db`` as tarfile reads it: exactly the bytes asked for, every page's MAC checked
    before any of its bytes are handed on, and the SHA-256 of the whole taken on the way."""

    def __init__(self, source: IO[bytes], size: int, keyed: Any, progress: Progress) -> None:
        self._source, self._size, self._keyed, self._progress = source, size, keyed, progress
        self._digest = hashlib.sha256()
        self._buffer = bytearray()
        self._done = 0

    def read(self, n: int = -1) -> bytes:
        want = self._size if n < 0 else n
        while len(self._buffer) < want and self._done < self._size:
            self._progress.check()
            block = self._source.read(min(BLOCK_PAGES * PAGE_SIZE, self._size - self._done))
            if not block or len(block) % PAGE_SIZE:
                raise PageDamage(self._done // PAGE_SIZE + 1)  # shrank, or ends mid-page
            check_block(self._keyed, self._done // PAGE_SIZE + 1, block)
            self._digest.update(block)
            self._buffer += block
            self._done += len(block)
            self._progress.file(self._done / self._size)
        chunk = bytes(self._buffer[:want])
        del self._buffer[:want]
        return chunk

    def sha256(self) -> str:
        return self._digest.hexdigest()


class BackupFile:
    """The tar being written, under a temporary name beside ``out`` until :meth:`commit`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._tmp = out.with_name(f".{out.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        fd = os.open(self._tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        self._handle = os.fdopen(fd, "wb")
        self._tar = tarfile.open(fileobj=self._handle, mode="w", format=tarfile.PAX_FORMAT)

    def add(self, name: str, source: IO[bytes] | CheckedReader, size: int) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mode = size, FILE_MODE
        self._tar.addfile(info, source)

    def add_bytes(self, name: str, data: bytes) -> None:
        self.add(name, io.BytesIO(data), len(data))

    def commit(self) -> None:
        self._tar.close()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self._tmp, self.out)
        fsync_dir(self.out.parent)

    def discard(self) -> None:
        with contextlib.suppress(Exception):
            self._tar.close()
        with contextlib.suppress(Exception):
            self._handle.close()
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()


class FileHalf:
    """Streams ``reader`` into ``backup`` as ``name`` on a thread of its own; :meth:`join`
    re-raises what it met there."""

    def __init__(self, backup: BackupFile, name: str, reader: CheckedReader, size: int) -> None:
        self._error: BaseException | None = None
        self._progress = reader._progress

        def run() -> None:
            try:
                backup.add(name, reader, size)
            except BaseException as exc:  # handed to the caller's thread by join()
                self._error = exc
                self._progress.stop.set()

        self._thread = threading.Thread(target=run, name="backup-file", daemon=True)
        self._thread.start()

    def join(self) -> None:
        self._thread.join()
        if self._error is not None and not isinstance(self._error, Stopped):
            raise self._error

    def stop(self) -> None:
        self._progress.stop.set()
        self._thread.join()
