"""Encrypted, verified backups (S27) and restore that never overwrites a vault.

A backup is one tar file: manifest.json, vault.db (SQLCipher, same key), vault.keys (the slots).
It is reopened and fully checked before success is reported.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from intake_app.core.canonical import canonical_json
from intake_app.core.clock import iso
from intake_app.core.errors import InvalidInput, NotFound, StorageError, VaultDamaged, VaultExists
from intake_app.core.i18n import _
from intake_app.core.user_files import open_regular
from intake_app.core.vault import audit, migrations
from intake_app.core.vault.db import PAGE_SIZE, Database
from intake_app.core.vault.files import (
    FILE_MODE,
    fsync_dir,
    restrict,
    storage_error,
)
from intake_app.core.vault.integrity import (
    IntegrityReport,
    attachments,
    full_check,
    sealed_statements,
)
from intake_app.core.vault.keyfile import KeyFile
from intake_app.core.vault.pages import BLOCK_PAGES, PageDamage, check_block, mac_key
from intake_app.core.vault.search_index import settle_all
from intake_app.core.vault.vault import DB_NAME, Vault, VaultOptions
from intake_app.core.vault.witness import SeenHead

FORMAT = "intake_app.backup"
MEMBERS = ("manifest.json", DB_NAME, "vault.keys")
MAX_MANIFEST = 64 * 1024


@dataclass(frozen=True)
class BackupJob:
    """What a backup needs from the vault, taken on the vault's own thread, so that a worker can
    write it on a reader of its own (:func:`run_backup`) while the window goes on."""

    directory: Path
    keyfile: KeyFile
    keyed_mac: Any = field(repr=False)  # the page MAC key (pages.py): the worker needs no DEK
    open_reader: Callable[[], Database] = field(repr=False)
    created_at: str


def prepare_backup(vault: Vault) -> BackupJob:
    settle_all(vault.db)  # a backup carries no words that were corrected away
    vault.anchor()
    return BackupJob(
        vault.directory,
        vault.keyfile,
        mac_key(vault._dek, bytes.fromhex(vault.keyfile.db["salt"])),
        vault.reader(),
        iso(vault.options.clock.now()),
    )


def run_backup(
    job: BackupJob,
    out: Path,
    progress: Callable[[int, int], None] | None = None,
    db: Database | None = None,
) -> dict[str, Any]:
    """Write the verified backup on ``db``, or on a reader opened (and closed) here."""
    if db is not None:
        return write_backup(
            db, job.directory, job.keyfile, job.keyed_mac, out, job.created_at, progress
        )
    reader = job.open_reader()
    try:
        return write_backup(
            reader, job.directory, job.keyfile, job.keyed_mac, out, job.created_at, progress
        )
    finally:
        reader.close()


def create_backup(
    vault: Vault, out: Path, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """Write a verified backup to ``out`` (atomically) from the vault's own connection; returns
    its manifest."""
    return run_backup(prepare_backup(vault), out, progress, db=vault.db)


def write_backup(
    db: Database,
    directory: Path,
    keyfile: KeyFile,
    keyed_mac: Any,
    out: Path,
    created_at: str,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The verified copy, on any connection to the vault (S27), in one pass over the file.

    Inside one read transaction whose snapshot is the database file alone (the WAL emptied
    first, so no checkpoint can change the file under it): the rows are checked against their
    last audited digests and the chain (S5, S6), then ``vault.db`` streams into the backup with
    every page's MAC checked as it passes (pages.py). ``restore`` checks the copy in full again
    before it is used."""
    out = out.expanduser().absolute()
    path = directory / DB_NAME
    # Taken before the snapshot: the owner's thread may anchor later heads while this one copies.
    # So is the key file copied: its anchor must not be ahead of the database copied with it.
    anchored = int(keyfile.anchor.get("audit_seq", 0))
    keys = (directory / "vault.keys").read_bytes()
    with _file_snapshot(db, path):
        problems, head = _logical_check(db, anchored)
        if problems:
            raise VaultDamaged(
                _("The vault failed its integrity check, so no backup was made: {problem}.").format(
                    problem=problems[0]
                )
            )
        size = path.stat().st_size
        if size % PAGE_SIZE:
            raise VaultDamaged(
                _("The vault is damaged and cannot be read safely. Restore it from a backup.")
            )
        try:
            with path.open("rb") as source:
                reader = _CheckedReader(source, size, keyed_mac, progress)
                manifest = {
                    "format": FORMAT,
                    "version": 1,
                    "vault_id": keyfile.vault_id,
                    "created_at": created_at,
                    "schema": migrations.schema_version(db),
                    "audit_seq": head.seq,
                    "audit_head": head.hash,
                    "files": {"vault.keys": hashlib.sha256(keys).hexdigest()},
                }
                _write_tar(out, manifest, reader, size, keys)
        except PageDamage:
            raise VaultDamaged(
                _("The vault failed its integrity check, so no backup was made: {problem}.").format(
                    problem=_("a page of the database is damaged")
                )
            ) from None
        except OSError as exc:
            raise storage_error(exc) from None
    return manifest


def _logical_check(db: Database, anchored: int) -> tuple[list[str], audit.ChainHead]:
    problems, head = audit.verify_chain(
        db, signatures=False
    )  # damage, not forgery: S37 is audit verify's
    problems += audit.verify_rows(db)
    problems += sealed_statements(db) + attachments(db)
    if head.seq < anchored:
        problems.append("the audit log is shorter than the key file's anchor")
    return problems, head


@contextlib.contextmanager
def _file_snapshot(db: Database, path: Path) -> Iterator[None]:
    """A read transaction that sees exactly the database file. An empty WAL at its start puts
    it on SQLite's read mark 0, which no checkpoint can pass: the file stays as it was until the
    transaction ends, while the GUI thread goes on writing to the WAL."""
    wal = Path(str(path) + "-wal")
    for _attempt in range(200):
        with contextlib.suppress(StorageError):
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        db.execute("BEGIN")
        try:
            db.one("SELECT count(*) FROM sqlite_schema")
            if not wal.exists() or wal.stat().st_size == 0:
                break
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("ROLLBACK")
        time.sleep(0.05)  # a write landed between the checkpoint and the snapshot: again
    else:
        raise StorageError(_("The vault is too busy to back up now; try again in a moment."))
    try:
        yield
    finally:
        with contextlib.suppress(StorageError):
            db.execute("ROLLBACK")


class _CheckedReader:
    """``vault.db`` as tarfile reads it: exactly the bytes asked for, every page's MAC checked
    before any of its bytes are handed on, and the SHA-256 of the whole taken on the way."""

    def __init__(
        self,
        source: IO[bytes],
        size: int,
        keyed: Any,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self._source, self._size, self._keyed, self._progress = source, size, keyed, progress
        self._digest = hashlib.sha256()
        self._buffer = bytearray()
        self._done = 0

    def read(self, n: int = -1) -> bytes:
        want = self._size if n < 0 else n
        while len(self._buffer) < want and self._done < self._size:
            block = self._source.read(min(BLOCK_PAGES * PAGE_SIZE, self._size - self._done))
            if not block or len(block) % PAGE_SIZE:
                raise PageDamage(self._done // PAGE_SIZE + 1)  # shrank, or ends mid-page
            check_block(self._keyed, self._done // PAGE_SIZE + 1, block)
            self._digest.update(block)
            self._buffer += block
            self._done += len(block)
            if self._progress is not None:
                self._progress(self._done, self._size)
        chunk = bytes(self._buffer[:want])
        del self._buffer[:want]
        return chunk

    def sha256(self) -> str:
        return self._digest.hexdigest()


def _write_tar(
    out: Path, manifest: dict[str, Any], db_reader: _CheckedReader, db_size: int, keys: bytes
) -> None:
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
                info = tarfile.TarInfo(DB_NAME)
                info.size, info.mode = db_size, FILE_MODE
                tar.addfile(info, db_reader)
                manifest["files"][DB_NAME] = db_reader.sha256()
                for name, data in (
                    ("vault.keys", keys),
                    ("manifest.json", canonical_json(manifest)),
                ):
                    info = tarfile.TarInfo(name)
                    info.size, info.mode = len(data), FILE_MODE
                    tar.addfile(info, io.BytesIO(data))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _bad_backup() -> InvalidInput:
    return InvalidInput(_("This file is not an intake_app backup, or it is damaged."))


def _extract(source: IO[bytes], target: Path) -> dict[str, Any]:
    """Only the three expected regular members, sizes checked against the manifest's hashes."""
    try:
        with tarfile.open(fileobj=source, mode="r:") as tar:
            members = tar.getmembers()
            names = [m.name for m in members]
            if sorted(names) != sorted(MEMBERS) or not all(m.isreg() for m in members):
                raise _bad_backup()
            by_name = {m.name: m for m in members}
            manifest_member = by_name["manifest.json"]
            if manifest_member.size > MAX_MANIFEST:
                raise _bad_backup()
            handle = tar.extractfile(manifest_member)
            assert handle is not None
            manifest = json.loads(handle.read())
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise _bad_backup()
            for name in (DB_NAME, "vault.keys"):
                data = tar.extractfile(by_name[name])
                assert data is not None
                path = target / name
                digest = hashlib.sha256()
                with open(
                    os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), "wb"
                ) as out:
                    for block in iter(lambda d=data: d.read(1 << 20), b""):  # type: ignore[misc]
                        digest.update(block)
                        out.write(block)
                    out.flush()
                    os.fsync(out.fileno())
                if digest.hexdigest() != manifest["files"][name]:
                    raise _bad_backup()
            shutil.copyfile(target / "vault.keys", target / "vault.keys.mirror")
            restrict(target / "vault.keys.mirror")
            return manifest
    except (tarfile.TarError, ValueError, KeyError, TypeError, EOFError):
        raise _bad_backup() from None


def restore_backup(
    backup: Path, target: Path, username: str, passphrase: str, options: VaultOptions
) -> IntegrityReport:
    """Verify ``backup`` fully, then place it at ``target``, which must not hold anything yet."""
    target = target.expanduser().absolute()
    if target.exists() and any(target.iterdir()):
        raise VaultExists(
            _("The folder {folder} is not empty; a restore never overwrites anything.").format(
                folder=target
            )
        )
    target.parent.mkdir(parents=True, exist_ok=True)  # never change an existing folder's mode
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.restoring-", dir=target.parent))
    os.chmod(staging, 0o700)
    try:
        try:
            source = open_regular(backup, _("a file"))  # a FIFO must not hang the restore (S40)
        except NotFound:
            raise InvalidInput(_("The backup file could not be read.")) from None
        with source:
            _extract(source, staging)
        # The backup is older than what this computer has seen of the vault, by nature: its
        # check does not compare with the witness (S36), and restoring it is the user's explicit
        # choice of that state, which the witness records once the restore is in place.
        vault = Vault.unlock(staging, username, passphrase, replace(options, witness=None))
        try:
            report = full_check(vault.db, vault.keyfile)
            vault_id = vault.vault_id
        finally:
            vault.close()
        if not report.ok:
            raise VaultDamaged(
                _("The backup is damaged: {problem}.").format(problem=report.problems[0])
            )
        with contextlib.suppress(FileNotFoundError):
            (staging / "vault.lock").unlink()
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
        fsync_dir(target.parent)
        if options.witness is not None:
            options.witness.record(vault_id, SeenHead(report.head.seq, report.head.hash))
        return report
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
