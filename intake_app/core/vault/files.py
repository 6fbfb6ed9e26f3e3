"""Files outside the database: atomic writes, owner-only permissions, the single-instance lock."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from intake_app.core.errors import StorageError, StorageFull, VaultInUse
from intake_app.core.i18n import _

DIR_MODE = 0o700
FILE_MODE = 0o600

# Test seam: called between the steps of an atomic write with the step's name.
StepHook = Callable[[str], None]


def _no_hook(step: str) -> None:
    return None


def ensure_private_dir(path: Path) -> None:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)


def restrict(path: Path) -> None:
    """Owner-only access for a file that exists (WAL/SHM appear late, so this runs repeatedly)."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, FILE_MODE)


def fsync_dir(path: Path) -> None:
    if sys.platform == "win32":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_error(exc: OSError) -> StorageError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return StorageFull(
            _("The disk is full: nothing was changed. Free some space and try again.")
        )
    return StorageError(_("The file could not be written: nothing was changed."))


def atomic_write(
    path: Path,
    data: bytes,
    *,
    hook: StepHook = _no_hook,
    writer: Callable[[IO[bytes], bytes], None] | None = None,
) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the whole old or the whole new file.

    temp file in the same folder (0600) → write → fsync → rename over → fsync the folder.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        try:
            with os.fdopen(fd, "wb") as handle:
                (writer or _write_all)(handle, data)
                hook("written")
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        hook("synced")
        os.replace(tmp, path)
        hook("renamed")
        fsync_dir(path.parent)
    except OSError as exc:
        raise storage_error(exc) from None


def _write_all(handle: IO[bytes], data: bytes) -> None:
    handle.write(data)


class InstanceLock:
    """An advisory lock file so one vault is opened by one process at a time (S28)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        handle = os.fdopen(fd, "r+b")
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise VaultInUse(
                _("This vault is already open in another window or process. Close it there first.")
            ) from None
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                _unlock(self._handle)
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
