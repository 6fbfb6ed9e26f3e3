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
from pathlib import Path
from typing import IO, Any

from intake_app.core.canonical import canonical_json
from intake_app.core.clock import iso
from intake_app.core.errors import InvalidInput, NotFound, VaultDamaged, VaultExists
from intake_app.core.i18n import _
from intake_app.core.user_files import open_regular
from intake_app.core.vault import migrations
from intake_app.core.vault.db import Database, raw_key
from intake_app.core.vault.files import (
    FILE_MODE,
    fsync_dir,
    restrict,
    storage_error,
)
from intake_app.core.vault.integrity import IntegrityReport, full_check
from intake_app.core.vault.search_index import settle_all
from intake_app.core.vault.vault import DB_NAME, Vault, VaultOptions

FORMAT = "intake_app.backup"
MEMBERS = ("manifest.json", DB_NAME, "vault.keys")
MAX_MANIFEST = 64 * 1024


def create_backup(vault: Vault, out: Path) -> dict[str, Any]:
    """Write a verified backup to ``out`` (atomically); returns its manifest."""
    settle_all(vault.db)  # a backup carries no words that were corrected away
    report = full_check(vault.db, vault.keyfile)
    if not report.ok:
        raise VaultDamaged(
            _("The vault failed its integrity check, so no backup was made: {problem}.").format(
                problem=report.problems[0]
            )
        )
    vault.anchor()
    out = out.expanduser().absolute()
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=vault.directory))
    try:
        copy = work / DB_NAME
        dek, salt = vault._dek, bytes.fromhex(vault.keyfile.db["salt"])
        vault.db.execute(f'ATTACH DATABASE ? AS backup KEY "{raw_key(dek, salt)}"', (str(copy),))
        try:
            vault.db.execute("SELECT sqlcipher_export('backup')")
            vault.db.execute(f"PRAGMA backup.user_version = {migrations.schema_version(vault.db)}")
        finally:
            vault.db.execute("DETACH DATABASE backup")
        restrict(copy)
        checked = Database(copy, dek, salt)
        try:
            copy_report = full_check(checked)
        finally:
            checked.close()
        if not copy_report.ok or copy_report.head != report.head:
            raise VaultDamaged(_("The backup copy did not pass its check; no backup was made."))
        keys = vault.directory / "vault.keys"
        manifest = {
            "format": FORMAT,
            "version": 1,
            "vault_id": vault.vault_id,
            "created_at": iso(vault.options.clock.now()),
            "schema": migrations.schema_version(vault.db),
            "audit_seq": report.head.seq,
            "audit_head": report.head.hash,
            "files": {DB_NAME: _sha256_file(copy), "vault.keys": _sha256_file(keys)},
        }
        _write_tar(out, manifest, {DB_NAME: copy, "vault.keys": keys})
    except OSError as exc:
        raise storage_error(exc) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _write_tar(out: Path, manifest: dict[str, Any], files: dict[str, Path]) -> None:
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
                data = canonical_json(manifest)
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mode = len(data), FILE_MODE
                tar.addfile(info, io.BytesIO(data))
                for name, path in files.items():
                    info = tarfile.TarInfo(name)
                    info.size, info.mode = path.stat().st_size, FILE_MODE
                    with path.open("rb") as source:
                        tar.addfile(info, source)
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
        vault = Vault.unlock(staging, username, passphrase, options)
        try:
            report = full_check(vault.db, vault.keyfile)
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
        return report
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
