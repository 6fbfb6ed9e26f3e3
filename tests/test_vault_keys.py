"""Keys and sign-in: S1, S7, S10–S19."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import CHEAP, PASSPHRASE, cheap_options, child_env, create_vault, unlock

from intake_app.core.errors import (
    DeviceSecretMissing,
    IntakeError,
    InvalidInput,
    KeyFileDamaged,
    UnlockThrottled,
    WeakKdfParameters,
    WrongPassphrase,
)
from intake_app.core.records import Role
from intake_app.core.vault.device_secret import MemoryStore
from intake_app.core.vault.kdf import PRODUCTION_FLOOR, KdfParams, KdfPolicy, calibrate
from intake_app.core.vault.recovery import format_recovery_key, parse_recovery_key
from intake_app.core.vault.vault import Vault


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_s1_new_vault_is_encrypted_and_unreadable_by_plain_sqlite(coordinator, vault_dir):
    coordinator.cases.open()
    coordinator.lock()
    data = (vault_dir / "vault.db").read_bytes()
    assert not data.startswith(b"SQLite format 3\x00")
    plain = sqlite3.connect(vault_dir / "vault.db")
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT * FROM sqlite_master").fetchall()
    plain.close()


def test_s7_zeroed_header_salt_still_opens(coordinator, vault_dir, options):
    reference = coordinator.cases.open().reference
    coordinator.lock()
    db = vault_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[:16] = bytes(16)
    db.write_bytes(bytes(data))
    services = unlock(vault_dir, options)
    assert services.cases.get(reference).reference == reference
    services.lock()


def test_s10_production_floor_refuses_weak_slot(coordinator, vault_dir, store, clock):
    coordinator.lock()
    production = cheap_options(store, clock)
    production.kdf = KdfPolicy()  # the real floor: t=3, m=64 MiB, p=4
    with pytest.raises(WeakKdfParameters):
        Vault.unlock(vault_dir, "coord", PASSPHRASE, production)


def test_s10_calibration_never_goes_below_the_floor():
    params = calibrate(target_seconds=0.01)
    assert params.at_least(PRODUCTION_FLOOR)
    assert not KdfParams(2, 64 * 1024, 4).at_least(PRODUCTION_FLOOR)


def test_s10_slot_records_its_parameters(coordinator, vault_dir):
    slot = json.loads((vault_dir / "vault.keys").read_text())["slots"][0]
    assert slot["kdf"]["alg"] == "argon2id"
    assert (slot["kdf"]["t"], slot["kdf"]["m"], slot["kdf"]["p"]) == (
        CHEAP.time_cost,
        CHEAP.memory_kib,
        CHEAP.parallelism,
    )


def test_s11_passphrase_change_rewrites_one_slot_not_the_database(coordinator, vault_dir, options):
    coordinator.users.add("adv", "Advocate", Role.ADVOCATE, "advocate passphrase")
    coordinator.lock()
    before_db = sha(vault_dir / "vault.db")
    before_slots = json.loads((vault_dir / "vault.keys").read_text())["slots"]
    vault = Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    vault.change_passphrase("coord", PASSPHRASE, "a completely new passphrase")
    vault.db.close()  # no writes to the database at all
    vault._lock.release()
    assert sha(vault_dir / "vault.db") == before_db
    after_slots = json.loads((vault_dir / "vault.keys").read_text())["slots"]
    changed = [a["id"] for a, b in zip(after_slots, before_slots, strict=True) if a != b]
    assert changed == [before_slots[0]["id"]]
    with pytest.raises(WrongPassphrase):
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    unlock(vault_dir, options, passphrase="a completely new passphrase").lock()
    unlock(vault_dir, options, "adv", "advocate passphrase").lock()


def test_s12_wrong_passphrase_never_opens_the_database(coordinator, vault_dir, options):
    coordinator.lock()
    shutil.move(vault_dir / "vault.db", vault_dir.parent / "aside.db")
    with pytest.raises(WrongPassphrase):  # not "database missing": it was never looked at
        Vault.unlock(vault_dir, "coord", "not the passphrase", options)
    shutil.move(vault_dir.parent / "aside.db", vault_dir / "vault.db")


def test_s12_failures_are_throttled_counted_and_audited(coordinator, vault_dir, options, clock):
    coordinator.lock()
    for _ in range(3):  # three free attempts
        with pytest.raises(WrongPassphrase):
            Vault.unlock(vault_dir, "coord", "wrong guess", options)
    with pytest.raises(UnlockThrottled) as refused:
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)  # even the right one must wait
    assert 0 < refused.value.retry_after <= 1
    clock.advance(seconds=1.5)
    with pytest.raises(WrongPassphrase):
        Vault.unlock(vault_dir, "coord", "wrong guess", options)
    with pytest.raises(UnlockThrottled) as refused:  # the wait doubles
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    assert 1 < refused.value.retry_after <= 2
    clock.advance(seconds=3)
    services = unlock(vault_dir, options)
    events = services.admin.events(limit=5)
    unlocked = next(e for e in events if e.action == "session.unlocked")
    assert unlocked.details["failed_attempts_before"] == 4
    services.lock()
    services = unlock(vault_dir, options)
    assert services.admin.events(limit=5)[0].details["failed_attempts_before"] == 0
    services.lock()


def test_s12_unknown_user_is_indistinguishable_from_wrong_passphrase(
    coordinator, vault_dir, options
):
    coordinator.lock()
    with pytest.raises(WrongPassphrase):
        Vault.unlock(vault_dir, "nobody", PASSPHRASE, options)


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaf_paths(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _leaf_paths(inner, (*path, index))
    else:
        yield path


def _tampered(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value is None:
        return "x"
    text = str(value)
    return (
        ("0" if text[-1] != "0" else "1")
        if not text
        else text[:-1] + ("0" if text[-1] != "0" else "1")
    )


def test_s13_any_change_to_any_field_is_detected(coordinator, vault_dir, options):
    coordinator.lock()
    original = json.loads((vault_dir / "vault.keys").read_text())
    paths = list(_leaf_paths(original))
    assert len(paths) > 30
    for path in paths:
        doc = json.loads(json.dumps(original))
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = _tampered(target[path[-1]])
        for name in ("vault.keys", "vault.keys.mirror"):
            (vault_dir / name).write_text(json.dumps(doc))
        with pytest.raises(IntakeError):
            Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
        (vault_dir / "unlock.state").unlink(missing_ok=True)
    for name in ("vault.keys", "vault.keys.mirror"):
        (vault_dir / name).write_text(json.dumps(original))
    unlock(vault_dir, options).lock()


def test_s13_random_byte_flips_never_open_silently(coordinator, vault_dir, options):
    coordinator.lock()
    data = (vault_dir / "vault.keys").read_bytes()
    original = json.loads(data)
    for offset in range(0, len(data), 7):
        flipped = bytearray(data)
        flipped[offset] ^= 0x01
        for name in ("vault.keys", "vault.keys.mirror"):
            (vault_dir / name).write_bytes(bytes(flipped))
        try:
            vault = Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
        except IntakeError:
            (vault_dir / "unlock.state").unlink(missing_ok=True)
            continue
        # Only a flip outside any value (JSON whitespace) may open, and then nothing changed.
        assert json.loads(bytes(flipped)) == original
        vault.close()


def test_s13_damaged_primary_is_repaired_from_its_mirror(coordinator, vault_dir, options):
    coordinator.lock()
    good = (vault_dir / "vault.keys").read_bytes()
    (vault_dir / "vault.keys").write_bytes(good[:100])
    services = unlock(vault_dir, options)
    assert any("repaired" in n for n in services.ctx.vault.notices)
    services.lock()
    assert (
        json.loads((vault_dir / "vault.keys").read_bytes())["vault_id"]
        == json.loads(good)["vault_id"]
    )


def test_s14_removed_users_passphrase_stops_working(coordinator, vault_dir, options):
    coordinator.users.add("adv", "Advocate", Role.ADVOCATE, "advocate passphrase")
    coordinator.users.remove("adv")
    coordinator.lock()
    with pytest.raises(WrongPassphrase):
        Vault.unlock(vault_dir, "adv", "advocate passphrase", options)


@pytest.mark.parametrize(
    "step", ["rotation:exported", "rotation:pending-written", "rotation:swapped", None]
)
def test_s14_interrupted_key_rotation_leaves_one_openable_vault(
    coordinator, vault_dir, options, step
):
    coordinator.users.add("adv", "Advocate", Role.ADVOCATE, "advocate passphrase")
    reference = coordinator.cases.open().reference
    coordinator.lock()

    class Crash(Exception):
        pass

    def hook(name: str) -> None:
        if name == step:
            raise Crash(name)

    crashing = cheap_options(options.device_store, options.clock, hook=hook)
    services = unlock(vault_dir, crashing)
    generation = services.ctx.vault.generation
    if step is None:
        services.admin.rotate_key()
        services.lock()
    else:
        with pytest.raises(Crash):
            services.admin.rotate_key()
        services.ctx.vault._lock.release()  # the process "died" here
    for user, passphrase in (("coord", PASSPHRASE), ("adv", "advocate passphrase")):
        again = unlock(vault_dir, options, user, passphrase)
        assert again.cases.get(reference).reference == reference
        assert again.ctx.vault.keyfile.pending is None
        assert again.ctx.vault.generation in (generation, generation + 1)
        assert again.admin.verify().ok
        again.lock()
    assert not (vault_dir / "vault.db.rotating").exists()


def test_s14_rotation_changes_the_database_key(coordinator, vault_dir, options):
    coordinator.lock()
    before = (vault_dir / "vault.db").read_bytes()[:4096]
    services = unlock(vault_dir, options)
    services.admin.rotate_key()
    services.lock()
    assert (vault_dir / "vault.db").read_bytes()[:4096] != before
    assert json.loads((vault_dir / "vault.keys").read_text())["db"]["generation"] == 2


def test_s15_recovery_key_opens_on_another_machine_without_the_keyring(vault_dir, clock):
    store = MemoryStore()
    services, recovery_key = create_vault(vault_dir, cheap_options(store, clock))
    assert services.ctx.vault.device_bound("coord")
    reference = services.cases.open().reference
    services.lock()
    elsewhere = cheap_options(None, clock)  # another computer: no keyring at all
    with pytest.raises(DeviceSecretMissing):
        Vault.unlock(vault_dir, "coord", PASSPHRASE, elsewhere)
    vault = Vault.recover(vault_dir, recovery_key.lower().replace("-", " "), elsewhere)
    from intake_app.core.services import Services

    recovered = Services.login(vault, clock, "coord")
    assert recovered.cases.get(reference)
    recovered.users.reset_passphrase("coord", "a new river stone here")
    recovered.lock()
    again = unlock(vault_dir, elsewhere, passphrase="a new river stone here")
    assert not again.ctx.vault.device_bound("coord")
    actions = [e.action for e in again.admin.events(limit=10)]
    assert "user.passphrase_reset_by_recovery" in actions
    again.lock()


def test_recovery_key_typos_are_caught_by_the_checksum():
    raw = bytes(range(20))
    text = format_recovery_key(raw)
    assert parse_recovery_key(text) == raw
    typo = ("B" if text[0] != "B" else "C") + text[1:]
    with pytest.raises(InvalidInput):
        parse_recovery_key(typo)


def test_s16_plaintext_keyring_forced_by_environment_is_refused(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    script = (
        "from intake_app.core.vault.device_secret import detect_os_store\n"
        "print('STORE', detect_os_store())\n"
    )
    env = child_env(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "STORE None" in result.stdout
    assert not any(p.is_file() for p in home.rglob("*")), "a secret file was written"


def test_s16_cli_init_with_plaintext_backend_is_passphrase_only(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = child_env(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "intake_app",
            "init",
            "--vault",
            str(tmp_path / "v"),
            "--user",
            "coord",
            "--json",
        ],
        input=PASSPHRASE + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["device_bound"] is False
    # The only file is what this computer saw of the vault's audit chain (S36): a head, no secret.
    files = [p for p in home.rglob("*") if p.is_file()]
    assert [p.parent.name for p in files] == ["seen-heads"]
    assert set(json.loads(files[0].read_text())) == {"audit_seq", "audit_head"}
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"


def test_s17_no_keyring_is_a_normal_mode(vault_dir, clock):
    services, _ = create_vault(vault_dir, cheap_options(None, clock))
    assert not services.ctx.vault.device_bound("coord")
    services.lock()
    unlock(vault_dir, cheap_options(None, clock)).lock()


@pytest.mark.parametrize("change", ["missing", "changed"])
def test_s18_missing_or_changed_device_secret_fails_closed(
    coordinator, vault_dir, store, clock, change
):
    coordinator.lock()
    vault_id = json.loads((vault_dir / "vault.keys").read_text())["vault_id"]
    before = {
        name: sha(vault_dir / name) for name in ("vault.db", "vault.keys", "vault.keys.mirror")
    }
    if change == "missing":
        store.delete(vault_id)
    else:
        store.put(vault_id, b"\x01" * 32)
    with pytest.raises(DeviceSecretMissing) as refused:
        Vault.unlock(vault_dir, "coord", PASSPHRASE, cheap_options(store, clock))
    assert "recovery key" in refused.value.message
    assert {name: sha(vault_dir / name) for name in before} == before
    assert change == "changed" or store.get(vault_id) is None  # nothing was regenerated


def test_s19_keys_never_in_reprs_or_errors_and_zeroed_on_lock(coordinator, vault_dir, options):
    vault = coordinator.ctx.vault
    dek_hex = bytes(vault._dek).hex()
    assert dek_hex not in repr(vault) and dek_hex not in repr(
        coordinator.ctx.vault.db.__dict__.get("path")
    )
    buffer = vault._dek
    coordinator.lock()
    assert bytes(buffer) == bytes(len(buffer))
    try:
        Vault.unlock(vault_dir, "coord", "wrong passphrase!", options)
    except WrongPassphrase as exc:
        assert dek_hex not in str(exc) and "wrong passphrase!" not in str(exc)


def test_key_file_damaged_everywhere_is_a_clear_error(coordinator, vault_dir, options):
    coordinator.lock()
    for name in ("vault.keys", "vault.keys.mirror"):
        (vault_dir / name).write_bytes(b"\x00garbage")
    with pytest.raises(KeyFileDamaged) as refused:
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    assert "key file" in refused.value.message


def test_a_vault_is_never_created_in_a_folder_that_holds_other_things(tmp_path, options):
    from intake_app.core.errors import VaultExists

    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    (home / "letters.txt").write_text("private")
    with pytest.raises(VaultExists, match="not empty"):
        Vault.create(home, "coord", PASSPHRASE, options)
    assert oct(home.stat().st_mode & 0o777) == "0o755" and sorted(
        p.name for p in home.iterdir()
    ) == ["letters.txt"]
