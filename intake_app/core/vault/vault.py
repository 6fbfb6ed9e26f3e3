"""The vault: a folder with ``vault.db`` (SQLCipher) and ``vault.keys`` (+ mirror).

Opening one: single-instance lock → throttle → key slot (passphrase [+ device secret] or recovery)
→ DEK → key-file MAC → database → quick check → schema → rollback check against the anchor.
Nothing in ``vault.db`` is touched before the passphrase has proved right (S12).
"""

from __future__ import annotations

import contextlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intake_app.core.clock import iso
from intake_app.core.errors import (
    IntakeError,
    InvalidInput,
    KeyFileDamaged,
    NotFound,
    VaultExists,
    WrongPassphrase,
)
from intake_app.core.i18n import _
from intake_app.core.passphrase import check_passphrase
from intake_app.core.vault import audit, migrations, search_index
from intake_app.core.vault.db import (
    Database,
    DatabaseError,
    check_cipher_available,
)
from intake_app.core.vault.device_secret import (
    DeviceSecretStore,
    KeyringUnavailable,
    new_device_secret,
)
from intake_app.core.vault.files import InstanceLock, ensure_private_dir
from intake_app.core.vault.keyfile import KeyFile, KeyFileStore
from intake_app.core.vault.keyslots import (
    PASSPHRASE,
    RECOVERY,
    SlotSecret,
    kdf_params,
    new_slot,
    new_slot_keyed,
    passphrase_secret,
    recovery_secret,
    rewrap_slot,
    seal_dek,
)
from intake_app.core.vault.opening import (
    check_database,
    check_page_macs,
    device_secret_for,
    open_database,
    refuse_backwards,
    unwrap,
)
from intake_app.core.vault.options import DB_NAME, ROTATING_NAME, VaultOptions
from intake_app.core.vault.recovery import new_recovery_key, parse_recovery_key
from intake_app.core.vault.rotation import rotate
from intake_app.core.vault.signing import AuditSigner
from intake_app.core.vault.throttle import UnlockThrottle
from intake_app.core.vault.witness import SeenHead, record_quietly

__all__ = ["DB_NAME", "ROTATING_NAME", "CreatedVault", "Vault", "VaultOptions"]


@dataclass(frozen=True)
class DerivedKeys:
    """The result of the slow half of unlocking; holds the folder's lock until finished."""

    directory: Path
    keyfile: KeyFile
    dek: bytearray = field(repr=False)
    lock: InstanceLock = field(repr=False)
    options: VaultOptions = field(repr=False)
    username: str | None
    failed_attempts: int
    notices: list[str]
    signer: AuditSigner = field(repr=False)


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
        signer: AuditSigner | None = None,
        recovery_audit_key: str | None = None,
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
        # S37: the unlocking user's audit signing key (from their own slot), and at creation the
        # recovery slot's public one, which the vault.created event registers.
        self.signer = signer
        self.recovery_audit_key = recovery_audit_key
        self._keys = KeyFileStore(directory, options.hook)

    def __repr__(self) -> str:  # never the key (S19)
        return f"Vault({self.directory.name!r}, open={self.is_open})"

    # -- creation -------------------------------------------------------------------------
    @classmethod
    def create(
        cls, directory: Path, username: str, passphrase: str, options: VaultOptions
    ) -> CreatedVault:
        check_cipher_available()
        _check_passphrase(passphrase)
        directory = directory.expanduser().absolute()
        keys = KeyFileStore(directory)
        if keys.exists() or (directory / DB_NAME).exists():
            raise VaultExists(_("A vault already exists in this folder; nothing was changed."))
        if directory.exists() and any(directory.iterdir()):
            # Never take over (and chmod) a folder that holds other things, such as a home folder.
            raise VaultExists(
                _(
                    "The folder {folder} is not empty: choose a new or empty folder for the vault."
                ).format(folder=directory)
            )
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
            user_slot, user_private = new_slot_keyed(
                vault_id,
                kind=PASSPHRASE,
                user=username,
                secret=passphrase_secret(passphrase, device_secret),
                params=params,
            )
            recovery_slot, recovery_private = new_slot_keyed(
                vault_id,
                kind=RECOVERY,
                user=None,
                secret=recovery_secret(recovery_raw),
                params=None,
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
        vault = cls(
            directory, keyfile, dek, db, lock, options, username=username,
            signer=AuditSigner(user_private),
            recovery_audit_key=AuditSigner(recovery_private).public_hex,
        )  # fmt: skip
        return CreatedVault(vault, recovery_text, device_secret is not None)

    # -- opening --------------------------------------------------------------------------
    @classmethod
    def unlock(
        cls, directory: Path, username: str, passphrase: str, options: VaultOptions
    ) -> Vault:
        return cls.finish_unlock(cls.derive_keys(directory, username, passphrase, options))

    @classmethod
    def derive_keys(
        cls, directory: Path, username: str, passphrase: str, options: VaultOptions
    ) -> DerivedKeys:
        """The slow half of unlocking (Argon2id, key slots): no database, so any thread may run it."""

        def secret_for(keyfile: KeyFile) -> tuple[dict[str, Any], SlotSecret]:
            slot = keyfile.slot_for_user(username)
            if slot is None:
                raise WrongPassphrase(_("The user name or the passphrase is not correct."))
            options.kdf.check(kdf_params(slot))
            return slot, passphrase_secret(passphrase, device_secret_for(slot, keyfile, options))

        return cls._derive(directory, options, secret_for, username=username)

    @classmethod
    def recover(cls, directory: Path, recovery_key: str, options: VaultOptions) -> Vault:
        raw = parse_recovery_key(recovery_key)

        def secret_for(keyfile: KeyFile) -> tuple[dict[str, Any], SlotSecret]:
            slot = keyfile.recovery_slot()
            if slot is None:
                raise KeyFileDamaged(_("This vault has no recovery key slot."))
            return slot, recovery_secret(raw)

        return cls.finish_unlock(cls._derive(directory, options, secret_for, username=None))

    @classmethod
    def _derive(
        cls, directory: Path, options: VaultOptions, secret_for: Any, *, username: str | None
    ) -> DerivedKeys:
        check_cipher_available()
        directory = directory.expanduser().absolute()
        keys = KeyFileStore(directory, options.hook)
        if not keys.exists():
            raise NotFound(_("There is no vault in this folder."))
        lock = InstanceLock(directory / "vault.lock")
        lock.acquire()
        try:
            throttle = UnlockThrottle(directory / "unlock.state", options.clock, keys)
            throttle.check()
            keyfile, dek, notices, signer = unwrap(keys, secret_for, throttle)
            failed = throttle.succeeded()
        except BaseException:
            lock.release()
            raise
        return DerivedKeys(
            directory, keyfile, dek, lock, options, username, failed, notices, signer
        )

    @classmethod
    def finish_unlock(cls, derived: DerivedKeys, *, check_pages: bool = True) -> Vault:
        """The fast half: open the database on the calling thread (a connection stays there).

        With ``check_pages=False`` the caller runs :meth:`check_pages` itself, off this thread
        (the GUI does, on a reader connection, right after unlocking)."""
        directory, keyfile, dek, options = (
            derived.directory,
            derived.keyfile,
            derived.dek,
            derived.options,
        )
        notices = list(derived.notices)
        try:
            keys = KeyFileStore(directory, options.hook)
            db = open_database(directory, keyfile, dek, options, keys)
            try:
                # S3: a crash may have left old versions of pages, with words since struck, in
                # the WAL: it is copied into the database (the newest of each page) and emptied
                # before anything else.
                db.checkpoint()
                notices += check_database(
                    directory, db, keyfile, options, check_pages=check_pages,
                    signer=derived.signer, username=derived.username,
                )  # fmt: skip
                search_index.settle_all(db)  # entries left behind by a crash while typing
            except BaseException:
                db.close()
                raise
        except BaseException:
            _zero(dek)
            derived.lock.release()
            raise
        vault = cls(
            directory,
            keyfile,
            dek,
            db,
            derived.lock,
            options,
            username=derived.username,
            failed_attempts=derived.failed_attempts,
            notices=notices,
            signer=derived.signer,
        )
        if notices:
            # rewrites a damaged primary key file / records a state the user chose to accept
            vault.anchor(accept_older=options.accept_rollback)
        else:
            current = audit.head(db)
            record_quietly(options.witness, vault.vault_id, SeenHead(current.seq, current.hash))
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

    def anchor(self, *, accept_older: bool = False) -> None:
        """Record the audit chain head in the key file's authenticated header (rollback anchor)
        and with this computer's witness (S36). The anchor never moves backwards: a chain that
        no longer holds the anchored head (its tail deleted, or forked) is refused (S37)."""
        current = audit.head(self.db)
        if not accept_older:
            refuse_backwards(self.db, self.keyfile, self.options.witness)
        self.keyfile.anchor = {
            "audit_seq": current.seq,
            "audit_head": current.hash,
            "schema": migrations.schema_version(self.db),
        }
        self._keys.write(self.keyfile, self._dek)
        record_quietly(self.options.witness, self.vault_id, SeenHead(current.seq, current.hash))

    def reader(self) -> Callable[[], Database]:
        """Opens, on whichever thread calls it (once), a read-only connection of its own: a worker
        may search a large vault while this thread stays responsive."""
        path, salt, dek = (
            self.directory / DB_NAME,
            bytes.fromhex(self.keyfile.db["salt"]),
            bytearray(self._dek),
        )

        def open_reader() -> Database:
            try:
                db = Database(path, dek, salt)
            finally:
                _zero(
                    dek
                )  # single use: the copy of the key does not outlive the connection's setup
            db.execute("PRAGMA query_only = ON")
            return db

        return open_reader

    check_pages = staticmethod(check_page_macs)  # S5's quick check, on any connection

    def close(self) -> None:
        """Lock: close the connection, zero the key, release the folder."""
        if self.db.is_open:
            with contextlib.suppress(IntakeError, DatabaseError):  # never stand in a lock's way
                search_index.settle_all(self.db)
            with contextlib.suppress(IntakeError):
                self.anchor()
            self.db.close()
        _zero(self._dek)
        self._lock.release()

    lock = close

    # -- slots ----------------------------------------------------------------------------
    def add_user_slot(self, username: str, passphrase: str) -> tuple[bool, str]:
        """A key slot for a new user; returns whether it is bound to this device, and the public
        half of the user's audit signing key (S37), which the event adding them registers."""
        _check_passphrase(passphrase)
        if self.keyfile.slot_for_user(username) is not None:
            raise InvalidInput(_("There is already a user with this name."))
        device_secret = self._device_secret_or_none()
        slot, private = new_slot_keyed(
            self.vault_id,
            kind=PASSPHRASE,
            user=username,
            secret=passphrase_secret(passphrase, device_secret),
            params=self.options.kdf.params_for_new_slot(),
        )
        slot["dek"] = seal_dek(self.vault_id, slot, self._dek, self.generation)
        self._write_slots([*self.keyfile.slots, slot])
        return device_secret is not None, AuditSigner(private).public_hex

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
        device_secret = device_secret_for(slot, self.keyfile, self.options)
        updated = rewrap_slot(
            self.vault_id,
            slot,
            passphrase_secret(old, device_secret),
            passphrase_secret(new, device_secret),
            self.options.kdf.params_for_new_slot(),
        )
        self._write_slots([updated if s is slot else s for s in self.keyfile.slots])

    def reset_passphrase(self, username: str, new: str) -> str:
        """After a recovery-key unlock: a fresh slot for ``username`` (the old one is dropped);
        returns the public half of the user's new audit signing key."""
        _check_passphrase(new)
        slots = [
            s for s in self.keyfile.slots if not (s["kind"] == PASSPHRASE and s["user"] == username)
        ]
        self.keyfile.slots = slots
        return self.add_user_slot(username, new)[1]

    def new_recovery_key(self) -> str:
        text, raw = new_recovery_key()
        slot = new_slot(
            self.vault_id, kind=RECOVERY, user=None, secret=recovery_secret(raw), params=None
        )
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
        self.keyfile, self._dek, self.db = rotate(
            self.directory, self.keyfile, self._dek, self.db, self._keys
        )


# -- helpers for opening ----------------------------------------------------------------------
def _check_passphrase(passphrase: str) -> None:
    check_passphrase(passphrase)  # S43: the strength meter's rule, for the CLI and the GUI alike


def _new_device_secret(store: DeviceSecretStore | None, vault_id: str) -> bytes | None:
    if store is None:
        return None
    secret = new_device_secret()
    try:
        store.put(vault_id, secret)
    except KeyringUnavailable:
        return None
    return secret
