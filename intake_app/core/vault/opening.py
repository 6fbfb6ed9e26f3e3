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
from intake_app.core.vault.signing import AuditSigner
from intake_app.core.vault.throttle import UnlockThrottle
from intake_app.core.vault.witness import HeadWitness, SeenHead


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
) -> tuple[KeyFile, bytearray, list[str], AuditSigner]:
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
        return keyfile, dek, notices, AuditSigner(private)
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
    if path.stat().st_size == 0:
        # SQLCipher would take an empty file for a new database: this is damage, not an old copy.
        raise damaged_error()
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
    directory: Path,
    db: Database,
    keyfile: KeyFile,
    options: VaultOptions,
    *,
    check_pages: bool,
    signer: AuditSigner | None = None,
    username: str | None = None,
) -> list[str]:
    """``check_pages=False`` leaves S5's quick check to the caller, who runs it in the background
    (it reads every page: seconds on a large vault); a vault about to be migrated is always
    checked first."""
    notices: list[str] = []
    version = migrations.schema_version(db)
    if check_pages or version < migrations.LATEST:
        check_page_macs(db)
    if version == 0 and int(keyfile.anchor.get("schema", 0)) > 0:
        raise damaged_error()  # the key file vouches for a schema the file does not have
    if version > migrations.LATEST:
        raise VaultTooNew(
            _("This vault was made by a newer version of intake_app. Update the app to open it.")
        )
    if version < migrations.LATEST:
        backup_before_migration(directory, db, version, options.clock)
        migrations.migrate(db, clock=options.clock, signer=signer, username=username)
        notices.append(
            _("The vault was upgraded to the current format; a copy of the old one was kept.")
        )
    notices += _rollback_notices(db, keyfile, options)
    return notices


def _rollback_notices(db: Database, keyfile: KeyFile, options: VaultOptions) -> list[str]:
    """S6: the database must not be older than (or forked from) the head the key file vouches for;
    S36: nor than the head this computer last saw, kept outside the folder."""
    notices: list[str] = []
    anchored = SeenHead(
        int(keyfile.anchor.get("audit_seq", 0)),
        str(keyfile.anchor.get("audit_head", audit.GENESIS)),
    )
    if not extends(db, anchored):
        notices.append(
            _(
                "This vault's database is older than its key file: it may have been replaced "
                "by an earlier copy. Check with your coordinator before you continue."
            )
        )
    seen = options.witness.seen(keyfile.vault_id) if options.witness else None
    if seen is not None and not extends(db, seen):
        notices.append(
            _(
                "This vault is older than this computer last saw it: the folder may have been "
                "put back to an earlier copy, and changes made since (a withdrawn consent, among "
                "others) would be lost. Check with your coordinator before you continue."
            )
        )
    if notices and not options.accept_rollback:
        raise VaultRolledBack(notices[-1])
    return notices


def extends(db: Database, head: SeenHead) -> bool:
    """Whether the vault's chain holds ``head`` (it may have grown since, never shrunk or forked)."""
    if head.seq == 0:
        return True
    row = db.one("SELECT hash FROM audit_event WHERE seq = ?", (head.seq,))
    return row is not None and str(row[0]) == head.hash


def refuse_backwards(db: Database, keyfile: KeyFile, witness: HeadWitness | None) -> None:
    """S37: an anchor never moves backwards. A chain that no longer holds the head the key file
    or this computer's witness vouches for (its tail deleted, or forked) is refused."""
    anchored = SeenHead(
        int(keyfile.anchor.get("audit_seq", 0)),
        str(keyfile.anchor.get("audit_head", audit.GENESIS)),
    )
    seen = witness.seen(keyfile.vault_id) if witness is not None else None
    for head in (anchored, seen):
        if head is not None and not extends(db, head):
            raise VaultRolledBack(
                _(
                    "Audit events this vault had already recorded are missing: the record was "
                    "not moved back. Check with your coordinator."
                )
            )


def backup_before_migration(directory: Path, db: Database, version: int, clock: Clock) -> Path:
    db.checkpoint()
    stamp = iso(clock.now()).replace(":", "").replace(".", "")
    target = directory / "backups" / f"pre-migration-v{version}-{stamp}"
    ensure_private_dir(target)
    for name in (DB_NAME, "vault.keys"):
        shutil.copy2(directory / name, target / name)
        restrict(target / name)
    return target
