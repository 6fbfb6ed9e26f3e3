"""The checks of opening a vault, in order: key slot → DEK → key-file MAC → database (finishing an
interrupted rotation) → quick check → schema (backup, then migrate) → rollback against the anchor."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Any

from intake_app.core.clock import Clock, iso
from intake_app.core.errors import (
    DeviceSecretMissing,
    IntakeError,
    KeyFileDamaged,
    VaultDamaged,
    VaultRolledBack,
    VaultTooNew,
    WrongPassphrase,
)
from intake_app.core.i18n import _
from intake_app.core.vault import audit, migrations
from intake_app.core.vault.db import Database, damaged_error
from intake_app.core.vault.device_secret import KeyringUnavailable
from intake_app.core.vault.files import ensure_private_dir, restrict
from intake_app.core.vault.keyfile import KeyFile, KeyFileStore
from intake_app.core.vault.keyslots import device_fingerprint, open_dek, unwrap_private
from intake_app.core.vault.options import DB_NAME, ROTATING_NAME, VaultOptions
from intake_app.core.vault.rotation import finish_rotation
from intake_app.core.vault.throttle import UnlockThrottle


def device_secret_for(
    slot: dict[str, Any], keyfile: KeyFile, options: VaultOptions
) -> bytes | None:
    """S18: a device-bound slot without its exact secret fails closed; nothing is regenerated."""
    if not slot["device_bound"]:
        return None
    secret = None
    if options.device_store is not None:
        with contextlib.suppress(KeyringUnavailable):
            secret = options.device_store.get(keyfile.vault_id)
    if secret is None or device_fingerprint(secret) != slot["device"]:
        raise DeviceSecretMissing(
            _(
                "This vault is tied to a device secret that this computer's keyring no longer holds. "
                "Open it with the recovery key."
            )
        )
    return secret


def unwrap(
    keys: KeyFileStore, secret_for: Any, throttle: UnlockThrottle
) -> tuple[KeyFile, bytearray, list[str]]:
    candidates = keys.candidates()
    first_error: IntakeError | None = None
    for keyfile, mac, data in candidates:
        try:
            slot, secret = secret_for(keyfile)
            private = unwrap_private(keyfile.vault_id, slot, secret)
            dek = open_dek(
                keyfile.vault_id, slot, slot["dek"], private, int(keyfile.db["generation"])
            )
            keyfile.verify_mac(dek, mac)
        except (WrongPassphrase, KeyFileDamaged) as exc:
            first_error = first_error or exc
            continue
        if keyfile.pending:
            sealed = keyfile.pending["dek"].get(slot["id"])
            pending_dek = (
                open_dek(
                    keyfile.vault_id,
                    slot,
                    sealed,
                    private,
                    int(keyfile.pending["db"]["generation"]),
                )
                if sealed
                else None
            )
            keyfile.pending["_dek"] = pending_dek
        notices = []
        if not keys.both_equal(data):
            notices.append(
                _("The vault's key file was damaged and has been repaired from its copy.")
            )
        return keyfile, dek, notices
    if isinstance(first_error, WrongPassphrase):
        throttle.failed()
    assert first_error is not None
    raise first_error


def open_database(
    directory: Path, keyfile: KeyFile, dek: bytearray, options: VaultOptions, keys: KeyFileStore
) -> Database:
    path = directory / DB_NAME
    if not path.exists():
        raise VaultDamaged(_("The vault's database file is missing. Restore it from a backup."))
    pending = keyfile.pending
    if pending is None:
        # A rotation that died before it was recorded: its copy's key was never kept anywhere.
        with contextlib.suppress(FileNotFoundError):
            (directory / ROTATING_NAME).unlink()
        return Database(path, dek, bytes.fromhex(keyfile.db["salt"]))
    # A key rotation was interrupted: finish it or roll it back, whichever state the files are in.
    new_dek: bytearray | None = pending.pop("_dek", None)
    try:
        db = Database(path, dek, bytes.fromhex(keyfile.db["salt"]))
    except VaultDamaged:
        if new_dek is None:
            raise
        db = Database(path, new_dek, bytes.fromhex(pending["db"]["salt"]))
        finish_rotation(keys, keyfile, new_dek)
        dek[:] = new_dek
        return db
    with contextlib.suppress(FileNotFoundError):
        (directory / ROTATING_NAME).unlink()
    keyfile.pending = None
    keys.write(keyfile, dek)
    return db


def check_page_macs(db: Database) -> None:
    """S5's quick check (every page's MAC and every b-tree), on any connection: raises
    VaultDamaged with the sentence the user sees."""
    if db.quick_check():
        raise damaged_error()


def check_database(
    directory: Path, db: Database, keyfile: KeyFile, options: VaultOptions, *, check_pages: bool
) -> list[str]:
    """``check_pages=False`` leaves S5's quick check to the caller, who runs it in the background
    (it reads every page: seconds on a large vault); a vault about to be migrated is always
    checked first."""
    notices: list[str] = []
    version = migrations.schema_version(db)
    if check_pages or version < migrations.LATEST:
        check_page_macs(db)
    if version > migrations.LATEST:
        raise VaultTooNew(
            _("This vault was made by a newer version of intake_app. Update the app to open it.")
        )
    if version < migrations.LATEST:
        backup_before_migration(directory, db, version, options.clock)
        migrations.migrate(db, clock=options.clock)
        notices.append(
            _("The vault was upgraded to the current format; a copy of the old one was kept.")
        )
    notices += _rollback_notices(db, keyfile, options)
    return notices


def _rollback_notices(db: Database, keyfile: KeyFile, options: VaultOptions) -> list[str]:
    """S6: the database must not be older than (or forked from) the head the key file vouches for."""
    anchored_seq = int(keyfile.anchor.get("audit_seq", 0))
    anchored_head = str(keyfile.anchor.get("audit_head", audit.GENESIS))
    current = audit.head(db)
    row = (
        db.one("SELECT hash FROM audit_event WHERE seq = ?", (anchored_seq,))
        if anchored_seq
        else None
    )
    rolled_back = current.seq < anchored_seq or (
        anchored_seq > 0 and (row is None or row[0] != anchored_head)
    )
    if not rolled_back:
        return []
    message = _(
        "This vault is older than the last state this computer saw: it may have been replaced "
        "by an earlier copy. Check with your coordinator before you continue."
    )
    if not options.accept_rollback:
        raise VaultRolledBack(message)
    return [message]


def backup_before_migration(directory: Path, db: Database, version: int, clock: Clock) -> Path:
    db.checkpoint()
    stamp = iso(clock.now()).replace(":", "").replace(".", "")
    target = directory / "backups" / f"pre-migration-v{version}-{stamp}"
    ensure_private_dir(target)
    for name in (DB_NAME, "vault.keys"):
        shutil.copy2(directory / name, target / name)
        restrict(target / name)
    return target
