"""Opening a vault, once for both clients: create, unlock, recover, list the users, lock.

The command line opens, runs one command and locks. The desktop app splits unlocking in two, since
a SQLCipher connection stays on the thread that opened it: :func:`derive_keys` (Argon2id, no
database) runs in a worker, :func:`finish_unlock` opens the database on the GUI thread without the
page check, and :func:`page_check` gives the worker that check on its own read-only connection.
``ui/`` reaches the vault only through this module (a test checks), so the types a client needs
are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from intake_app.core.clock import Clock
from intake_app.core.errors import NotFound
from intake_app.core.i18n import _
from intake_app.core.vault.keyfile import KeyFileStore
from intake_app.core.vault.options import VaultOptions

if TYPE_CHECKING:  # the vault and the services load once the window is up (cold start)
    from intake_app.core.services import Services
    from intake_app.core.vault.db import Database
    from intake_app.core.vault.vault import DerivedKeys, Vault

__all__ = [
    "Database",
    "DerivedKeys",
    "NewVault",
    "Opened",
    "VaultOptions",
    "create",
    "derive_keys",
    "finish_unlock",
    "list_users",
    "lock",
    "page_check",
    "recover",
    "unlock",
    "vault_exists",
]


def __getattr__(name: str) -> object:
    """``Database`` and ``DerivedKeys`` for the window's type hints, imported when asked for:
    the database and vault modules (SQLCipher, the audit chain, X.509) are not needed to draw
    the unlock window."""
    if name == "Database":
        from intake_app.core.vault.db import Database

        return Database
    if name == "DerivedKeys":
        from intake_app.core.vault.vault import DerivedKeys

        return DerivedKeys
    raise AttributeError(name)


def _vault() -> type[Vault]:
    from intake_app.core.vault.vault import Vault

    return Vault


@dataclass(frozen=True)
class NewVault:
    """A vault just made, already locked again: what its first user must be told once."""

    directory: Path
    username: str
    recovery_key: str = field(repr=False)
    device_bound: bool


@dataclass(frozen=True)
class Opened:
    """An unlocked vault: the services of the user who opened it, and what opening noticed
    (a key file repaired from its mirror, an accepted rollback)."""

    services: Services
    notices: tuple[str, ...]


def vault_exists(directory: Path) -> bool:
    return KeyFileStore(directory).exists()


def list_users(directory: Path) -> list[str]:
    """The user names of the vault in ``directory`` (none when there is no vault yet); raises
    ``KeyFileDamaged`` when its key file exists but cannot be read."""
    keys = KeyFileStore(directory)
    if not keys.exists():
        return []
    return keys.candidates()[0][0].usernames()


def create(
    directory: Path,
    username: str,
    display_name: str,
    passphrase: str,
    options: VaultOptions,
    *,
    clock: Clock | None = None,
    populate: Callable[[Services], object] | None = None,
) -> NewVault:
    """A new vault whose first user is a coordinator; ``populate`` may fill it (the demo) before
    it is locked. Safe in a worker: the connection opens and closes on the calling thread."""
    from intake_app.core.services.users import check_username

    check_username(username)
    created = _vault().create(directory, username, passphrase, options)
    try:
        services = _services().bootstrap(
            created.vault, username, display_name, clock or options.clock
        )
        try:
            if populate is not None:
                populate(services)
        finally:
            services.lock()
    finally:
        created.vault.close()  # a no-op after the lock; closes it when bootstrapping failed
    return NewVault(created.vault.directory, username, created.recovery_key, created.device_bound)


def unlock(directory: Path, username: str, passphrase: str, options: VaultOptions) -> Opened:
    """Unlock in one go, with S5's quick check of every page first (the command line)."""
    _require_vault(directory)
    return _login(_vault().unlock(directory, username, passphrase, options), options.clock)


def derive_keys(
    directory: Path, username: str, passphrase: str, options: VaultOptions
) -> DerivedKeys:
    """The slow half of unlocking (Argon2id): no database, so a worker may run it."""
    _require_vault(directory)
    return _vault().derive_keys(directory, username, passphrase, options)


def finish_unlock(derived: DerivedKeys, clock: Clock | None = None) -> Opened:
    """The fast half, on the thread that will use the vault. The page check is left to
    :func:`page_check`, in a worker, so the case list shows at once on a large vault."""
    vault = _vault().finish_unlock(derived, check_pages=False)
    return _login(vault, clock or derived.options.clock)


def page_check(services: Services) -> Callable[[], None]:
    """S5's quick check of every page, as work for another thread: it opens a read-only
    connection of its own there, checks, and closes it. Raises ``VaultDamaged`` on damage."""
    open_reader = services.ctx.vault.reader()

    def check() -> None:
        db = open_reader()
        try:
            _vault().check_pages(db)
        finally:
            db.close()

    return check


def recover(
    directory: Path,
    recovery_key: str,
    username: str,
    new_passphrase: str | Callable[[], str],
    options: VaultOptions,
    *,
    clock: Clock | None = None,
) -> bool:
    """Give ``username`` a new passphrase with the vault's recovery key (no keyring needed); the
    vault is opened, changed and locked again on the calling thread. ``new_passphrase`` may be
    asked for only once the key has opened the vault. Returns whether the new slot is bound to
    this computer's keyring."""
    _require_vault(directory)
    vault = _vault().recover(directory, recovery_key, options)
    try:
        services = _services().login(vault, clock or options.clock, username)
        new = new_passphrase() if callable(new_passphrase) else new_passphrase
        services.users.reset_passphrase(username, new)
        return vault.device_bound(username)
    finally:
        vault.close()


def lock(services: Services) -> None:
    """Record the lock, close the vault and zero its key."""
    services.lock()


def _require_vault(directory: Path) -> None:
    if not vault_exists(directory):
        raise NotFound(_("There is no vault in {folder}.").format(folder=directory))


def _login(vault: Vault, clock: Clock) -> Opened:
    try:
        return Opened(_services().login(vault, clock), tuple(vault.notices))
    except BaseException:
        vault.close()  # a removed user, say: the folder is released and the key zeroed
        raise


def _services() -> type[Services]:
    """The services, imported when a vault is first opened or created, not before the unlock
    window is drawn: they bring the export, signing and forms libraries (about half of a cold
    start). The window imports them in the background meanwhile (:func:`preload`)."""
    from intake_app.core.services import Services

    return Services


def preload() -> None:
    """Import what opening a vault needs, ahead of the first unlock (on a worker thread)."""
    _vault()
    _services()
