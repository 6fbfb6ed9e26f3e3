"""Encrypted, verified backups (S27) and restore that never overwrites a vault.

A backup is one tar file: manifest.json, vault.db (SQLCipher, same key), vault.keys (the slots).
Every page is authenticated as it is written and every row checked against the audit log before
success is reported; a restore checks the copy in full before it is used.
"""

from __future__ import annotations

import contextlib
import hashlib
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
from intake_app.core.vault.backup_stream import (
    BackupFile,
    CheckedReader,
    FileHalf,
    Progress,
    Stopped,
)
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
from intake_app.core.vault.pages import PageDamage, mac_key
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
    first, so no checkpoint can change the file under it), two halves at once
    (backup_stream.py): ``vault.db`` streams into the backup on a thread of its own with every
    page's MAC checked as it passes (pages.py), while this thread checks the chain and every row
    against its last audited digest (S5, S6). The file becomes the backup only when both have
    passed. ``restore`` checks the copy in full again before it is used."""
    out = out.expanduser().absolute()
    path = directory / DB_NAME
    # Taken before the snapshot: the owner's thread may anchor later heads while this one copies.
    # So is the key file copied: its anchor must not be ahead of the database copied with it.
    anchored = int(keyfile.anchor.get("audit_seq", 0))
    keys = (directory / "vault.keys").read_bytes()
    combined = Progress(progress)
    with _file_snapshot(db, path):
        size = path.stat().st_size
        if size % PAGE_SIZE:
            raise VaultDamaged(
                _("The vault is damaged and cannot be read safely. Restore it from a backup.")
            )
        backup: BackupFile | None = None
        try:
            with path.open("rb") as source:
                backup = BackupFile(out)
                reader = CheckedReader(source, size, keyed_mac, combined)
                problems, head = _both_halves(db, anchored, FileHalf(backup, DB_NAME, reader, size),
                                              combined)  # fmt: skip
            if problems:
                raise VaultDamaged(
                    _("The vault failed its integrity check, so no backup was made: {problem}.")
                    .format(problem=problems[0])
                )  # fmt: skip
            manifest = {
                "format": FORMAT,
                "version": 1,
                "vault_id": keyfile.vault_id,
                "created_at": created_at,
                "schema": migrations.schema_version(db),
                "audit_seq": head.seq,
                "audit_head": head.hash,
                "files": {"vault.keys": hashlib.sha256(keys).hexdigest(), DB_NAME: reader.sha256()},
            }
            backup.add_bytes("vault.keys", keys)
            backup.add_bytes("manifest.json", canonical_json(manifest))
            combined.finished()
            backup.commit()
        except BaseException as exc:
            if backup is not None:
                backup.discard()
            if isinstance(exc, PageDamage):
                raise VaultDamaged(
                    _("The vault failed its integrity check, so no backup was made: {problem}.")
                    .format(problem=_("a page of the database is damaged"))
                ) from None  # fmt: skip
            if isinstance(exc, OSError):
                raise storage_error(exc) from None
            raise
    return manifest


def _both_halves(
    db: Database, anchored: int, file_half: FileHalf, combined: Progress
) -> tuple[list[str], audit.ChainHead]:
    """The rows and the chain on this thread while the file streams on its own; a failure of
    either stops the other. A damaged page is reported as such even when the rows' check met
    it first (SQLite's error for it says less)."""
    try:
        result = _logical_check(db, anchored, combined)
    except Stopped:
        file_half.join()  # the file half failed: its error is the one to report
        raise
    except BaseException:
        file_half.stop()
        file_half.join()
        raise
    file_half.join()
    return result


def _logical_check(
    db: Database, anchored: int, combined: Progress | None = None
) -> tuple[list[str], audit.ChainHead]:
    chain_share = 0.6
    events = max(audit.head(db).seq, 1)

    def chain_tick(done: int) -> None:
        if combined is not None:
            combined.logical(chain_share * done / events)

    latest: dict[tuple[str, str], str | None] = {}
    problems, head = audit.verify_chain(
        db, signatures=False, latest=latest, tick=chain_tick
    )  # damage, not forgery: S37 is audit verify's
    rows = max(len(latest), 1)

    def rows_tick(done: int) -> None:
        if combined is not None:
            combined.logical(chain_share + (1 - chain_share) * done / rows)

    problems += audit.verify_rows(db, latest, tick=rows_tick)
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
