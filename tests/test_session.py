"""Opening a vault through core/session.py, the one path both clients take."""

from __future__ import annotations

import pytest
from support import PASSPHRASE, cheap_options

from intake_app.core import session
from intake_app.core.errors import (
    InvalidInput,
    KeyFileDamaged,
    NotFound,
    VaultDamaged,
    VaultInUse,
)
from intake_app.core.records import Role
from intake_app.core.vault import audit
from intake_app.core.vault.device_secret import MemoryStore


@pytest.fixture
def options():
    return cheap_options()


@pytest.fixture
def made(tmp_path, options):
    return session.create(tmp_path / "vault", "coord", "Coordinator", PASSPHRASE, options)


def test_a_new_vault_is_made_locked_with_its_first_coordinator(made, options):
    assert made.username == "coord" and len(made.recovery_key.split("-")) == 6
    assert made.directory.is_absolute() and "recovery_key" not in repr(made)
    assert session.vault_exists(made.directory)
    assert session.list_users(made.directory) == ["coord"]
    opened = session.unlock(made.directory, "coord", PASSPHRASE, options)
    try:
        assert opened.services.actor.role is Role.COORDINATOR and opened.notices == ()
    finally:
        session.lock(opened.services)
    assert not opened.services.ctx.vault.is_open


def test_a_folder_without_a_vault_has_no_users_and_says_so(tmp_path, options):
    assert session.list_users(tmp_path / "nothing") == []
    assert not session.vault_exists(tmp_path / "nothing")
    with pytest.raises(NotFound, match="There is no vault"):
        session.unlock(tmp_path / "nothing", "coord", PASSPHRASE, options)
    with pytest.raises(NotFound, match="There is no vault"):
        session.derive_keys(tmp_path / "nothing", "coord", PASSPHRASE, options)


def test_an_unreadable_key_file_is_said_when_listing_users(made):
    (made.directory / "vault.keys").write_bytes(b"not a key file")
    (made.directory / "vault.keys.mirror").write_bytes(b"not a key file")
    with pytest.raises(KeyFileDamaged):
        session.list_users(made.directory)


def test_a_bad_user_name_is_refused_before_any_folder_is_made(tmp_path, options):
    with pytest.raises(InvalidInput):
        session.create(tmp_path / "vault", "no spaces allowed", "X", PASSPHRASE, options)
    assert not (tmp_path / "vault").exists()


def test_populate_fills_the_vault_before_it_is_locked(tmp_path, options):
    seen = []
    made = session.create(
        tmp_path / "vault", "coord", "Coordinator", PASSPHRASE, options,
        populate=lambda services: seen.append(services.cases.open(languages=["fr"]).reference),
    )  # fmt: skip
    opened = session.unlock(made.directory, "coord", PASSPHRASE, options)
    try:
        assert [c.reference for c in opened.services.cases.list()] == seen
    finally:
        session.lock(opened.services)


def test_the_two_halves_and_the_page_check_for_a_worker(made, options):
    derived = session.derive_keys(made.directory, "coord", PASSPHRASE, options)
    opened = session.finish_unlock(derived)
    try:
        services = opened.services
        session.page_check(services)()  # clean: returns
        events = [e.action for e in audit.events(services.ctx.db)]
        assert events[0] == "session.unlocked"
    finally:
        session.lock(services)


def test_damage_the_fast_half_does_not_read_is_found_by_the_page_check(made, options):
    from io import BytesIO

    from support import decrypt_page

    opened = session.unlock(made.directory, "coord", PASSPHRASE, options)
    services = opened.services
    reference = services.cases.open().reference
    services.attachments.add(reference, BytesIO(b"SCANNEDPAGE" * 40_000), filename="scan.bin")
    dek = bytes(services.ctx.vault._dek)
    session.lock(services)
    path = made.directory / "vault.db"
    data = bytearray(path.read_bytes())
    pages = [i for i in range(len(data) // 4096) if b"SCANNEDPAGE" in decrypt_page(data, i, dek)]
    data[pages[len(pages) // 2] * 4096 + 100] ^= 0xFF
    path.write_bytes(bytes(data))
    opened = session.finish_unlock(
        session.derive_keys(made.directory, "coord", PASSPHRASE, options)
    )
    try:
        with pytest.raises(VaultDamaged):
            session.page_check(opened.services)()
    finally:
        session.lock(opened.services)
    with pytest.raises(VaultDamaged):  # the command line checks before it opens
        session.unlock(made.directory, "coord", PASSPHRASE, options)


def test_a_vault_whose_first_user_was_never_recorded_is_refused_and_released(tmp_path, options):
    """A crash between making the key file and recording the first user: the passphrase opens
    the keys, the login finds no user; the vault must not stay open or held."""
    from intake_app.core.vault.vault import Vault

    Vault.create(tmp_path / "vault", "coord", PASSPHRASE, options).vault.close()
    derived = session.derive_keys(tmp_path / "vault", "coord", PASSPHRASE, options)
    with pytest.raises(NotFound, match="no user called coord"):
        session.finish_unlock(derived)
    with pytest.raises(NotFound, match="no user called coord"):  # not VaultInUse: released
        session.unlock(tmp_path / "vault", "coord", PASSPHRASE, options)


def test_a_vault_open_elsewhere_is_said(made, options):
    opened = session.unlock(made.directory, "coord", PASSPHRASE, options)
    try:
        with pytest.raises(VaultInUse):
            session.unlock(made.directory, "coord", PASSPHRASE, options)
    finally:
        session.lock(opened.services)


def test_recovery_sets_a_new_passphrase_asked_only_once_the_key_opened_the_vault(tmp_path):
    bound = cheap_options(MemoryStore())
    made = session.create(tmp_path / "vault", "coord", "C", PASSPHRASE, bound)
    asked = []

    def ask():
        asked.append(True)
        return "a brand new passphrase"

    elsewhere = cheap_options(None)
    with pytest.raises(InvalidInput):
        session.recover(made.directory, "not-a-key", "coord", ask, elsewhere)
    assert asked == []
    assert session.recover(made.directory, made.recovery_key, "coord", ask, elsewhere) is False
    assert asked == [True]
    opened = session.unlock(made.directory, "coord", "a brand new passphrase", elsewhere)
    session.lock(opened.services)


def test_s44_the_lock_happens_even_when_it_cannot_be_recorded(coordinator):
    """A vault that cannot take the lock's audit event (a full disk, a damaged page) is closed
    and its key zeroed all the same; before, the failed write left it open."""
    db = coordinator.ctx.db
    db.execute(
        "CREATE TRIGGER full_disk BEFORE INSERT ON audit_event"
        " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    vault = coordinator.ctx.vault
    coordinator.lock()
    assert not vault.is_open
    assert not any(vault._dek)
