"""The vault: a folder with ``vault.db`` (SQLCipher) and ``vault.keys`` (+ mirror).

Opening one: single-instance lock → throttle → key slot (passphrase [+ device secret] or recovery)
→ DEK → key-file MAC → database → quick check → schema → rollback check against the anchor.
Nothing in ``vault.db`` is touched before the passphrase has proved right (S12).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intake_app.core.clock import Clock, SystemClock, iso
from intake_app.core.errors import (
    DeviceSecretMissing,
    IntakeError,
    InvalidInput,
    KeyFileDamaged,
    NotFound,
    VaultDamaged,
    VaultExists,
    VaultRolledBack,
    VaultTooNew,
    WrongPassphrase,
)
from intake_app.core.i18n import _
from intake_app.core.vault import audit, migrations
from intake_app.core.vault.db import Database, check_cipher_available
from intake_app.core.vault.device_secret import DeviceSecretStore, KeyringUnavailable, new_device_secret
from intake_app.core.vault.files import (
    InstanceLock,
    StepHook,
    _no_hook,
    ensure_private_dir,
    fsync_dir,
    restrict,
)
from intake_app.core.vault.kdf import KdfPolicy
from intake_app.core.vault.keyfile import KeyFile, KeyFileStore
from intake_app.core.vault.keyslots import (
    PASSPHRASE,
    RECOVERY,
    SlotSecret,
    device_fingerprint,
    kdf_params,
    new_slot,
    open_dek,
    passphrase_secret,
    recovery_secret,
    rewrap_slot,
    seal_dek,
    unwrap_private,
)
from intake_app.core.vault.recovery import new_recovery_key, parse_recovery_key
from intake_app.core.vault.throttle import UnlockThrottle

DB_NAME = "vault.db"
ROTATING_NAME = "vault.db.rotating"


@dataclass
class VaultOptions:
    """Everything a vault needs from outside, injected by the composition root (or a test)."""

    kdf: KdfPolicy = field(default_factory=KdfPolicy)
    device_store: DeviceSecretStore | None = None
    clock: Clock = field(default_factory=SystemClock)
    hook: StepHook = _no_hook
    accept_rollback: bool = False


@dataclass(frozen=True)
class CreatedVault:
    vault: Vault
    recovery_key: str
    device_bound: bool


def _zero(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


class Vault:
    """An unlocked vault. Construct through :meth:`create`, :meth:`unlock` or :meth:`recover`."""

    def __init__(
        self,
        directory: Path,
        keyfile: KeyFile,
        dek: bytearray,
        db: Database,
        lock: InstanceLock,
        options: VaultOptions,
        *,
        username: str | None,
        failed_attempts: int = 0,
        notices: list[str] | None = None,
    ) -> None:
        self.directory = directory
        self.keyfile = keyfile
        self._dek = dek
        self.db = db
        self._lock = lock
        self.options = options
        self.username = username
        self.failed_attempts = failed_attempts
        self.notices = notices or []
        self._keys = KeyFileStore(directory, options.hook)

    def __repr__(self) -> str:  # never the key (S19)
        return f"Vault({self.directory.name!r}, open={self.is_open})"

    # -- creation -------------------------------------------------------------------------
    @classmethod
    def create(cls, directory: Path, username: str, passphrase: str, options: VaultOptions) -> CreatedVault:
        check_cipher_available()
        _check_passphrase(passphrase)
        directory = directory.expanduser().absolute()
        keys = KeyFileStore(directory)
        if keys.exists() or (directory / DB_NAME).exists():
            raise VaultExists(_("A vault already exists in this folder; nothing was changed."))
        ensure_private_dir(directory)
        lock = InstanceLock(directory / "vault.lock")
        lock.acquire()
        try:
            vault_id = str(uuid.uuid4())
            dek = bytearray(secrets.token_bytes(32))
            salt = secrets.token_bytes(16)
            device_secret = _new_device_secret(options.device_store, vault_id)
            recovery_text, recovery_raw = new_recovery_key()
            keyfile = KeyFile(
                vault_id=vault_id,
                created_at=iso(options.clock.now()),
                db={"salt": salt.hex(), "generation": 1},
                anchor={"audit_seq": 0, "audit_head": audit.GENESIS, "schema": migrations.LATEST},
            )
            params = options.kdf.params_for_new_slot()
            user_slot = new_slot(
                vault_id, kind=PASSPHRASE, user=username,
                secret=passphrase_secret(passphrase, device_secret), params=params,
            )
            recovery_slot = new_slot(
                vault_id, kind=RECOVERY, user=None, secret=recovery_secret(recovery_raw), params=None
            )
            for slot in (user_slot, recovery_slot):
                slot["dek"] = seal_dek(vault_id, slot, dek, 1)
                keyfile.slots.append(slot)
            db = Database(directory / DB_NAME, dek, salt)
            migrations.migrate(db)
            KeyFileStore(directory, options.hook).write(keyfile, dek)
        except BaseException:
            lock.release()
            raise
        vault = cls(directory, keyfile, dek, db, lock, options, username=username)
        return CreatedVault(vault, recovery_text, device_secret is not None)

    # -- opening --------------------------------------------------------------------------
    @classmethod
    def unlock(cls, directory: Path, username: str, passphrase: str, options: VaultOptions) -> Vault:
        def secret_for(keyfile: KeyFile) -> tuple[dict[str, Any], SlotSecret]:
            slot = keyfile.slot_for_user(username)
            if slot is None:
                raise WrongPassphrase(_("The user name or the passphrase is not correct."))
            options.kdf.check(kdf_params(slot))
            return slot, passphrase_secret(passphrase, _device_secret_for(slot, keyfile, options))

        return cls._open(directory, options, secret_for, username=username)

    @classmethod
    def recover(cls, directory: Path, recovery_key: str, options: VaultOptions) -> Vault:
        raw = parse_recovery_key(recovery_key)

        def secret_for(keyfile: KeyFile) -> tuple[dict[str, Any], SlotSecret]:
            slot = keyfile.recovery_slot()
            if slot is None:
                raise KeyFileDamaged(_("This vault has no recovery key slot."))
            return slot, recovery_secret(raw)

        return cls._open(directory, options, secret_for, username=None)

    @classmethod
    def _open(cls, directory: Path, options: VaultOptions, secret_for: Any, *, username: str | None) -> Vault:
        check_cipher_available()
        directory = directory.expanduser().absolute()
        keys = KeyFileStore(directory, options.hook)
        if not keys.exists():
            raise NotFound(_("There is no vault in this folder."))
        lock = InstanceLock(directory / "vault.lock")
        lock.acquire()
        try:
            throttle = UnlockThrottle(directory / "unlock.state", options.clock)
            throttle.check()
            keyfile, dek, notices = _unwrap(keys, secret_for, throttle)
            failed = throttle.succeeded()
            db = _open_database(directory, keyfile, dek, options, keys)
            try:
                notices += _check_database(directory, db, keyfile, options)
            except BaseException:
                db.close()
                raise
        except BaseException:
            lock.release()
            raise
        vault = cls(directory, keyfile, dek, db, lock, options, username=username,
                    failed_attempts=failed, notices=notices)
        if notices:
            vault.anchor()  # rewrites a damaged primary key file / records accepted state
        return vault

    # -- state ----------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.db.is_open

    @property
    def vault_id(self) -> str:
        return self.keyfile.vault_id

    def device_bound(self, username: str) -> bool:
        slot = self.keyfile.slot_for_user(username)
        return bool(slot and slot["device_bound"])

    def anchor(self) -> None:
        """Record the audit chain head in the key file's authenticated header (rollback anchor)."""
        current = audit.head(self.db)
        self.keyfile.anchor = {
            "audit_seq": current.seq,
            "audit_head": current.hash,
            "schema": migrations.schema_version(self.db),
        }
        self._keys.write(self.keyfile, self._dek)

    def close(self) -> None:
        """Lock: close the connection, zero the key, release the folder."""
        if self.db.is_open:
            with contextlib.suppress(IntakeError):
                self.anchor()
            self.db.close()
        _zero(self._dek)
        self._lock.release()

    lock = close

    # -- slots ----------------------------------------------------------------------------
    def add_user_slot(self, username: str, passphrase: str) -> bool:
        """A key slot for a new user; returns whether it is bound to this device."""
        _check_passphrase(passphrase)
        if self.keyfile.slot_for_user(username) is not None:
            raise InvalidInput(_("There is already a user with this name."))
        device_secret = self._device_secret_or_none()
        slot = new_slot(
            self.vault_id, kind=PASSPHRASE, user=username,
            secret=passphrase_secret(passphrase, device_secret),
            params=self.options.kdf.params_for_new_slot(),
        )
        slot["dek"] = seal_dek(self.vault_id, slot, self._dek, self.generation)
        self._write_slots([*self.keyfile.slots, slot])
        return device_secret is not None

    def remove_user_slot(self, username: str) -> None:
        slot = self.keyfile.slot_for_user(username)
        if slot is None:
            raise NotFound(_("There is no such user."))
        self._write_slots([s for s in self.keyfile.slots if s is not slot])

    def change_passphrase(self, username: str, old: str, new: str) -> None:
        """Rewrites this user's slot only; ``vault.db`` is not touched (S11)."""
        _check_passphrase(new)
        slot = self.keyfile.slot_for_user(username)
        if slot is None:
            raise NotFound(_("There is no such user."))
        device_secret = _device_secret_for(slot, self.keyfile, self.options)
        updated = rewrap_slot(
            self.vault_id, slot, passphrase_secret(old, device_secret),
            passphrase_secret(new, device_secret), self.options.kdf.params_for_new_slot(),
        )
        self._write_slots([updated if s is slot else s for s in self.keyfile.slots])

    def reset_passphrase(self, username: str, new: str) -> None:
        """After a recovery-key unlock: a fresh slot for ``username`` (the old one is dropped)."""
        _check_passphrase(new)
        slots = [s for s in self.keyfile.slots if not (s["kind"] == PASSPHRASE and s["user"] == username)]
        self.keyfile.slots = slots
        self.add_user_slot(username, new)

    def new_recovery_key(self) -> str:
        text, raw = new_recovery_key()
        slot = new_slot(self.vault_id, kind=RECOVERY, user=None, secret=recovery_secret(raw), params=None)
        slot["dek"] = seal_dek(self.vault_id, slot, self._dek, self.generation)
        self._write_slots([s for s in self.keyfile.slots if s["kind"] != RECOVERY] + [slot])
        return text

    @property
    def generation(self) -> int:
        return int(self.keyfile.db["generation"])

    def _write_slots(self, slots: list[dict[str, Any]]) -> None:
        updated = self.keyfile.copy()
        updated.slots = slots
        self._keys.write(updated, self._dek)
        self.keyfile = updated

    def _device_secret_or_none(self) -> bytes | None:
        store = self.options.device_store
        if store is None:
            return None
        try:
            return store.get(self.vault_id)
        except KeyringUnavailable:
            return None

    # -- key rotation (S14) -----------------------------------------------------------------
    def rotate_key(self) -> None:
        """A new DEK for the whole database; interrupted anywhere, the old or the new one opens."""
        hook = self.options.hook
        new_dek = bytearray(secrets.token_bytes(32))
        new_salt = secrets.token_bytes(16)
        generation = self.generation + 1
        target = self.directory / ROTATING_NAME
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        from intake_app.core.vault.db import raw_key

        version = migrations.schema_version(self.db)
        self.db.execute(f"ATTACH DATABASE ? AS rotated KEY \"{raw_key(new_dek, new_salt)}\"", (str(target),))
        try:
            self.db.execute("SELECT sqlcipher_export('rotated')")
            self.db.execute(f"PRAGMA rotated.user_version = {version}")
        finally:
            self.db.execute("DETACH DATABASE rotated")
        restrict(target)
        _fsync_file(target)
        hook("rotation:exported")
        pending = self.keyfile.copy()
        pending.pending = {
            "db": {"salt": new_salt.hex(), "generation": generation},
            "dek": {s["id"]: seal_dek(self.vault_id, s, new_dek, generation) for s in pending.slots},
        }
        self._keys.write(pending, self._dek)
        self.keyfile = pending
        hook("rotation:pending-written")
        self.db.close()
        _swap_in(self.directory, target)
        hook("rotation:swapped")
        _finish_rotation(self._keys, pending, new_dek)
        self.keyfile = pending
        _zero(self._dek)
        self._dek = new_dek
        self.db = Database(self.directory / DB_NAME, new_dek, new_salt)


# -- helpers for opening ----------------------------------------------------------------------
def _check_passphrase(passphrase: str) -> None:
    if len(passphrase.strip()) < 8:
        raise InvalidInput(_("A passphrase needs at least 8 characters; several words are best."))


def _new_device_secret(store: DeviceSecretStore | None, vault_id: str) -> bytes | None:
    if store is None:
        return None
    secret = new_device_secret()
    try:
        store.put(vault_id, secret)
    except KeyringUnavailable:
        return None
    return secret


def _device_secret_for(slot: dict[str, Any], keyfile: KeyFile, options: VaultOptions) -> bytes | None:
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


def _unwrap(keys: KeyFileStore, secret_for: Any, throttle: UnlockThrottle) -> tuple[KeyFile, bytearray, list[str]]:
    candidates = keys.candidates()
    first_error: IntakeError | None = None
    for keyfile, mac, data in candidates:
        try:
            slot, secret = secret_for(keyfile)
            private = unwrap_private(keyfile.vault_id, slot, secret)
            dek = open_dek(keyfile.vault_id, slot, slot["dek"], private, int(keyfile.db["generation"]))
            keyfile.verify_mac(dek, mac)
        except (WrongPassphrase, KeyFileDamaged) as exc:
            first_error = first_error or exc
            continue
        if keyfile.pending:
            sealed = keyfile.pending["dek"].get(slot["id"])
            pending_dek = open_dek(keyfile.vault_id, slot, sealed, private, int(keyfile.pending["db"]["generation"])) if sealed else None
            keyfile.pending["_dek"] = pending_dek
        notices = []
        if not keys.both_equal(data):
            notices.append(_("The vault's key file was damaged and has been repaired from its copy."))
        return keyfile, dek, notices
    if isinstance(first_error, WrongPassphrase):
        throttle.failed()
    assert first_error is not None
    raise first_error


def _open_database(directory: Path, keyfile: KeyFile, dek: bytearray, options: VaultOptions, keys: KeyFileStore) -> Database:
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
        _finish_rotation(keys, keyfile, new_dek)
        dek[:] = new_dek
        return db
    with contextlib.suppress(FileNotFoundError):
        (directory / ROTATING_NAME).unlink()
    keyfile.pending = None
    keys.write(keyfile, dek)
    return db


def _finish_rotation(keys: KeyFileStore, keyfile: KeyFile, new_dek: bytearray) -> None:
    pending = keyfile.pending
    assert pending is not None
    for slot in keyfile.slots:
        slot["dek"] = pending["dek"][slot["id"]]
    keyfile.db = {"salt": pending["db"]["salt"], "generation": pending["db"]["generation"]}
    keyfile.pending = None
    keys.write(keyfile, new_dek)


def _swap_in(directory: Path, rotated: Path) -> None:
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            (directory / (DB_NAME + suffix)).unlink()
    os.replace(rotated, directory / DB_NAME)
    fsync_dir(directory)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_database(directory: Path, db: Database, keyfile: KeyFile, options: VaultOptions) -> list[str]:
    notices: list[str] = []
    if db.quick_check():
        raise VaultDamaged(_("The vault is damaged and cannot be read safely. Restore it from a backup."))
    version = migrations.schema_version(db)
    if version > migrations.LATEST:
        raise VaultTooNew(_("This vault was made by a newer version of intake_app. Update the app to open it."))
    if version < migrations.LATEST:
        backup_before_migration(directory, db, version, options.clock)
        migrations.migrate(db)
        notices.append(_("The vault was upgraded to the current format; a copy of the old one was kept."))
    notices += _rollback_notices(db, keyfile, options)
    return notices


def _rollback_notices(db: Database, keyfile: KeyFile, options: VaultOptions) -> list[str]:
    """S6: the database must not be older than (or forked from) the head the key file vouches for."""
    anchored_seq = int(keyfile.anchor.get("audit_seq", 0))
    anchored_head = str(keyfile.anchor.get("audit_head", audit.GENESIS))
    current = audit.head(db)
    row = db.one("SELECT hash FROM audit_event WHERE seq = ?", (anchored_seq,)) if anchored_seq else None
    rolled_back = current.seq < anchored_seq or (anchored_seq > 0 and (row is None or row[0] != anchored_head))
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
