"""Files a user hands in or takes away: read with a size cap (hostile input, S29), or written as a
new file, owner-only, flushed to disk, never a half file."""

from __future__ import annotations

import os
from pathlib import Path

from intake_app.core.errors import InvalidInput, NotFound, StorageError
from intake_app.core.i18n import _


def read_capped(path: str | Path, limit: int, what: str) -> bytes:
    """The whole file, refused when it is larger than ``limit`` (never read past it)."""
    try:
        with open(path, "rb") as handle:
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
