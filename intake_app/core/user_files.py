"""Files a user hands in or takes away: read with a size cap (hostile input, S29), or written as a
new file, owner-only, flushed to disk, never a half file."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from intake_app.core.errors import InvalidInput, NotFound, StorageError
from intake_app.core.i18n import _


def file_name_text(name: str) -> str:
    """A file name as text. Linux names are bytes; one that is not UTF-8 (``scan-\\xff.pdf``)
    reaches Python with surrogates, which cannot be stored or printed: those bytes become U+FFFD."""
    try:
        raw = os.fsencode(name)
    except UnicodeError:  # a lone surrogate that did not come from a file name's bytes
        raw = name.encode("utf-8", errors="replace")
    return raw.decode("utf-8", errors="replace")


def _not_a_file(path: str | Path) -> InvalidInput:
    return InvalidInput(
        _("{path} is a folder, a device or a pipe, not a file; give a file.").format(path=path)
    )


def open_regular(path: str | Path, what: str) -> BinaryIO:
    """``path`` opened for reading, refused at once unless it is a regular file (S40).

    Opened without blocking, so a FIFO with no writer or a terminal cannot hang us before the
    check; the check is on the open descriptor (``fstat``), so nothing can swap the file between
    the check and the read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise _not_a_file(path) from None
    except OSError:
        raise NotFound(_("Cannot read {what}: {path}.").format(what=what, path=path)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _not_a_file(path)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def check_input_file(path: str | Path, what: str) -> None:
    """Refuse a file argument that is missing or not a regular file, before anything else runs."""
    open_regular(path, what).close()


def check_output_file(path: str | Path) -> None:
    """Refuse an output path that names a folder, a device or a pipe (writing would hang or fail
    late); a missing path, or a regular file, is for the command to judge."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        raise _not_a_file(path)


def read_capped(path: str | Path, limit: int, what: str) -> bytes:
    """The whole file, refused when it is larger than ``limit`` (never read past it)."""
    with open_regular(path, what) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError:
            raise NotFound(_("Cannot read {what}: {path}.").format(what=what, path=path)) from None
    if len(data) > limit:
        raise InvalidInput(_("{path} is too large to be {what}.").format(path=path, what=what))
    return data


def write_new_file(path: str, data: bytes) -> None:
    """Create ``path`` (never overwrite), readable by its owner only; nothing is left on failure."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInput(
            _("{path} already exists; choose another name.").format(path=path)
        ) from None
    except OSError:
        raise StorageError(_("Cannot create {path}.").format(path=path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        Path(path).unlink(missing_ok=True)
        raise StorageError(
            _("Writing {path} failed; nothing was kept.").format(path=path)
        ) from None
