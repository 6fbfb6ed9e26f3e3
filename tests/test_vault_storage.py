"""Data at rest and reliability: S2, S3, S5, S6, S8, S9, S25–S28, migrations."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from support import (
    PASSPHRASE,
    TESTS,
    cheap_options,
    child_env,
    create_vault,
    decrypt_pages,
    unlock,
)

from intake_app.core.errors import (
    InvalidInput,
    StorageFull,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultRolledBack,
    VaultTooNew,
)
from intake_app.core.records import PersonRole, Readback
from intake_app.core.vault import migrations
from intake_app.core.vault.backup import restore_backup
from intake_app.core.vault.db import PAGE_SIZE
from intake_app.core.vault.files import atomic_write
from intake_app.core.vault.integrity import full_check
from intake_app.core.vault.vault import Vault
from intake_app.core.vault.witness import MemoryWitness


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def contains(path: Path, canary: str) -> bool:
    data = path.read_bytes()
    return any(form in data for form in (canary.encode(), canary.encode("utf-16-le")))


@pytest.mark.slow
def test_s2_canary_is_in_no_file_after_kill_9(tmp_path):
    canary = "CANARY" + os.urandom(6).hex()
    vault_dir, tmp, home = tmp_path / "vault", tmp_path / "tmp", tmp_path / "home"
    tmp.mkdir()
    home.mkdir()
    env = child_env(
        TMPDIR=str(tmp),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local"),
        XDG_CACHE_HOME=str(home / ".cache"),
    )
    child = subprocess.Popen(
        [sys.executable, str(TESTS / "children" / "canary.py"), str(vault_dir), canary],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "READY", child.stderr.read()
    time.sleep(0.2)
    child.send_signal(signal.SIGKILL)
    child.wait()
    checked = files_under(vault_dir, tmp, home)
    assert any(p.name == "vault.db" for p in checked)
    leaking = [str(p) for p in checked if contains(p, canary)]
    assert leaking == []


def test_s3_deleted_content_is_gone_from_every_page(coordinator, vault_dir, case_ref):
    canary = b"DELETEDCANARY" + os.urandom(4).hex().encode()
    from io import BytesIO

    attachment = coordinator.attachments.add(case_ref, BytesIO(canary * 1000), filename="note.txt")
    dek = bytes(coordinator.ctx.vault._dek)
    coordinator.ctx.db.checkpoint()
    assert canary in decrypt_pages(vault_dir / "vault.db", dek)  # the check can see it when present
    coordinator.attachments.purge(attachment.id, "attached to the wrong case")
    assert canary not in decrypt_pages(vault_dir / "vault.db", dek)
    wal = vault_dir / "vault.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_s3_corrected_names_and_struck_words_leave_the_search_index(
    coordinator, vault_dir, options, tmp_path
):
    old_name, struck = b"zzyzxoldname", b"qqwertystruck"
    case = coordinator.cases.open()
    person = coordinator.cases.add_person(
        case.reference,
        role=PersonRole.SURVIVOR,
        pseudonym="Star",
        legal_name="Zzyzxoldname Realperson",
    )
    statement = coordinator.statements.create(
        case.reference, title="t", language="en", text="he said qqwertystruck words here"
    )
    dek = bytes(coordinator.ctx.vault._dek)
    coordinator.ctx.db.checkpoint()
    plain = decrypt_pages(vault_dir / "vault.db", dek).lower()
    assert old_name in plain and struck in plain  # the check can see them while they stand
    coordinator.cases.update_person(person.id, legal_name="Corrected Name", reason="spelling")
    coordinator.statements.save_draft(
        statement.current.id, text="he said words here"
    )  # "please strike that"
    coordinator.ctx.db.checkpoint()
    # FTS5's secure-delete (migration 0006) takes the old tokens out of the index at once: the
    # words are gone from every page as soon as they are corrected, not only when the vault locks.
    plain = decrypt_pages(vault_dir / "vault.db", dek).lower()
    assert old_name not in plain and struck not in plain
    coordinator.admin.backup(tmp_path / "backup.tar")
    coordinator.lock()
    plain = decrypt_pages(vault_dir / "vault.db", dek).lower()
    assert old_name not in plain and struck not in plain
    restore_backup(tmp_path / "backup.tar", tmp_path / "restored", "coord", PASSPHRASE, options)
    plain = decrypt_pages(tmp_path / "restored" / "vault.db", dek).lower()
    assert old_name not in plain and struck not in plain
    services = unlock(vault_dir, options)
    assert services.search.search("Corrected") and not services.search.search("Zzyzxoldname")
    services.lock()


def test_s3_words_struck_while_typing_leave_the_index_at_the_pause_lock_or_next_unlock(
    coordinator, vault_dir, options, case_ref
):
    """Autosaves while typing (settle=False) save the text but leave the search entry for the
    next pause (migration 0008). Struck words are then gone from every page; a crash before that
    is settled at the next unlock. The full check knows such an entry is legitimately behind."""
    version = coordinator.statements.create(
        case_ref, title="t", language="en", text="he said qqwertystruck words"
    ).current.id
    coordinator.statements.save_draft(version, text="he said words and more", settle=False)
    text = coordinator.ctx.db.one("SELECT text FROM statement_version WHERE id = ?", (version,))
    assert text[0] == "he said words and more"  # the record is saved at once
    assert coordinator.search.search("qqwertystruck")  # the entry is still the settled text
    assert not coordinator.search.search("more")
    assert coordinator.admin.verify().ok  # an entry waiting for a pause is not damage
    dek = bytes(coordinator.ctx.vault._dek)
    coordinator.statements.settle_search(version)  # the typing paused
    assert coordinator.search.search("more") and not coordinator.search.search("qqwertystruck")
    coordinator.ctx.db.checkpoint()
    assert b"qqwertystruck" not in decrypt_pages(vault_dir / "vault.db", dek)
    # Typing again, then a crash: no lock, no pause; the next unlock settles it.
    coordinator.statements.save_draft(version, text="he said zzcrashword", settle=False)
    coordinator.ctx.db.checkpoint()
    shutil.copytree(vault_dir, vault_dir.parent / "crashed")
    (vault_dir.parent / "crashed" / "vault.lock").unlink(missing_ok=True)
    # The crashed copy is opened as another computer would: two diverging copies of one vault
    # on the same computer are what S36 refuses.
    services = unlock(vault_dir.parent / "crashed", replace(options, witness=MemoryWitness()))
    try:
        assert services.search.search("zzcrashword") and not services.search.search("more")
        assert services.admin.verify().ok
    finally:
        services.lock()
    coordinator.lock()  # and the lock settles too
    services = unlock(vault_dir, options)
    try:
        assert services.ctx.db.one("SELECT count(*) FROM search_deferred")[0] == 0
        assert services.search.search("zzcrashword")
    finally:
        services.lock()


def test_autosave_timer_settles_the_search_entry_only_after_typing_pauses():
    from intake_app.core.testimony import SEARCH_SETTLE_IDLE, AutosaveTimer

    timer = AutosaveTimer()
    timer.changed(0.0)
    timer.changed(0.5)
    assert timer.due(1.0) and not timer.settle_due(1.0)
    timer.saved(search_behind=True)  # saved while typing went on
    timer.changed(1.2)
    assert not timer.settle_due(1.2 + SEARCH_SETTLE_IDLE)  # unsaved typing comes first
    timer.saved(search_behind=True)
    assert not timer.settle_due(1.2 + SEARCH_SETTLE_IDLE - 0.1)
    assert timer.settle_due(1.2 + SEARCH_SETTLE_IDLE)
    timer.settled()
    assert not timer.settle_due(10.0)


def test_s5_damaged_page_is_reported_and_original_untouched(
    coordinator, vault_dir, options, case_ref, tmp_path
):
    statement = coordinator.statements.create(
        case_ref, title="t", language="en", text="words " * 3000
    )
    coordinator.statements.seal(statement.current.id, readback=Readback.CONFIRMED)
    coordinator.lock()
    copy = tmp_path / "copy"
    shutil.copytree(vault_dir, copy)
    original_hash = hashlib.sha256((vault_dir / "vault.db").read_bytes()).hexdigest()
    data = bytearray((copy / "vault.db").read_bytes())
    for offset in range(PAGE_SIZE * 2 + 100, len(data), PAGE_SIZE):
        data[offset] ^= 0xFF
    (copy / "vault.db").write_bytes(bytes(data))
    with pytest.raises(VaultDamaged) as damaged:
        Vault.unlock(copy, "coord", PASSPHRASE, options)
    assert "damaged" in damaged.value.message and "backup" in damaged.value.message
    assert hashlib.sha256((vault_dir / "vault.db").read_bytes()).hexdigest() == original_hash
    unlock(vault_dir, options).lock()


def test_s5_one_flipped_byte_is_caught_by_the_full_check(
    coordinator, vault_dir, options, case_ref, tmp_path
):
    coordinator.statements.create(case_ref, title="t", language="en", text="words " * 3000)
    coordinator.lock()
    size = (vault_dir / "vault.db").stat().st_size
    copy = tmp_path / "copy"
    shutil.copytree(vault_dir, copy)
    with (copy / "vault.db").open("r+b") as handle:
        handle.seek(size - PAGE_SIZE + 500)
        byte = handle.read(1)
        handle.seek(size - PAGE_SIZE + 500)
        handle.write(bytes([byte[0] ^ 1]))
    try:
        vault = Vault.unlock(copy, "coord", PASSPHRASE, options)
    except VaultDamaged:
        return
    report = full_check(vault.db, vault.keyfile)
    vault.close()
    assert not report.ok and any(
        "HMAC" in p or "damaged" in p or "malformed" in p for p in report.problems
    )


def _state_one_and_two(services, vault_dir: Path, tmp_path: Path, case_ref: str):
    statement = services.statements.create(
        case_ref, title="t", language="en", text="original words"
    )
    services.ctx.db.checkpoint()
    services.ctx.vault.anchor()
    old_copy = tmp_path / "old"
    shutil.copytree(vault_dir, old_copy, ignore=shutil.ignore_patterns("vault.lock"))
    services.statements.save_draft(statement.current.id, text="changed words after the copy")
    services.cases.add_person(case_ref, role=PersonRole.WITNESS, pseudonym="Neighbour")
    return old_copy


def test_s6_whole_file_rollback_is_reported(coordinator, vault_dir, options, case_ref, tmp_path):
    old_copy = _state_one_and_two(coordinator, vault_dir, tmp_path, case_ref)
    coordinator.lock()
    shutil.copy(old_copy / "vault.db", vault_dir / "vault.db")
    with pytest.raises(VaultRolledBack) as refused:
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    assert "earlier copy" in refused.value.message
    options.accept_rollback = True
    vault = Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    assert any("earlier copy" in n for n in vault.notices)
    vault.close()


def _all_searches(vault) -> dict[str, list]:
    words = {
        w
        for (body,) in vault.db.all("SELECT body FROM search_index")
        for w in body.split()
        if w.isalnum()
    }
    return {
        w: sorted(
            r[0]
            for r in vault.db.all(
                "SELECT source_id FROM search_index WHERE search_index MATCH ?", (f'"{w}"',)
            )
        )
        for w in sorted(words)
    }


def test_s6_page_spliced_from_an_earlier_copy_is_reported(
    coordinator, vault_dir, options, case_ref, tmp_path
):
    old_copy = _state_one_and_two(coordinator, vault_dir, tmp_path, case_ref)
    coordinator.lock()
    old = (old_copy / "vault.db").read_bytes()
    new = (vault_dir / "vault.db").read_bytes()
    differing = [
        i
        for i in range(min(len(old), len(new)) // PAGE_SIZE)
        if old[i * PAGE_SIZE : (i + 1) * PAGE_SIZE] != new[i * PAGE_SIZE : (i + 1) * PAGE_SIZE]
    ]
    assert differing
    vault = Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    reference_searches = _all_searches(vault)
    vault.close()
    for page in differing:
        spliced_dir = tmp_path / f"spliced{page}"
        shutil.copytree(vault_dir, spliced_dir)
        data = bytearray(new)
        data[page * PAGE_SIZE : (page + 1) * PAGE_SIZE] = old[
            page * PAGE_SIZE : (page + 1) * PAGE_SIZE
        ]
        (spliced_dir / "vault.db").write_bytes(bytes(data))
        try:
            vault = Vault.unlock(spliced_dir, "coord", PASSPHRASE, options)
        except (VaultDamaged, VaultRolledBack):
            continue
        report = full_check(vault.db, vault.keyfile)
        if report.ok:  # then it must be search-index internals that change nothing observable
            # (navigation pages, or the settings page, whose format version FTS5 bumps after its
            # first secure delete; the full check makes sure secure-delete itself is still on), or
            # the list of stale entries (0010), empty at every commit: an older empty page of it
            # is still empty
            roots = {
                r[1] - 1: r[0] for r in vault.db.all("SELECT name, rootpage FROM sqlite_schema")
            }
            internals = ("search_index_idx", "search_index_data", "search_index_config",
                         "search_stale")  # fmt: skip
            assert roots.get(page) in internals, f"page {page} went unnoticed"
            assert _all_searches(vault) == reference_searches
        vault.close()


def test_s8_folder_and_every_file_are_owner_only(coordinator, vault_dir, case_ref):
    coordinator.statements.create(case_ref, title="t", language="en", text="x")
    assert (vault_dir / "vault.db-wal").exists()
    assert stat.S_IMODE(vault_dir.stat().st_mode) == 0o700
    for path in files_under(vault_dir):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_s9_damage_and_wrong_key_print_one_sentence_and_no_library_noise(tmp_path):
    vault = tmp_path / "v"
    env = child_env()
    base = [sys.executable, "-m", "intake_app"]
    made = subprocess.run(
        [*base, "init", "--vault", str(vault), "--user", "coord"],
        input=PASSPHRASE + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    wrong = subprocess.run(
        [*base, "cases", "--vault", str(vault), "--user", "coord"],
        input="nope nope nope\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert wrong.returncode != 0
    assert wrong.stderr.count("\n") == 1 and "Traceback" not in wrong.stderr
    data = bytearray((vault / "vault.db").read_bytes())
    for offset in range(200, len(data), 1024):
        data[offset] ^= 0x55
    (vault / "vault.db").write_bytes(bytes(data))
    damaged = subprocess.run(
        [*base, "cases", "--vault", str(vault), "--user", "coord"],
        input=PASSPHRASE + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert damaged.returncode == 6
    assert damaged.stderr.strip().startswith("intake-app: The vault is damaged")
    assert damaged.stderr.count("\n") == 1 and "hmac" not in damaged.stderr.lower()


@pytest.mark.slow
def test_s25_full_disk_keeps_acknowledged_data_and_never_corrupts(tmp_path):
    vault_dir = tmp_path / "vault"
    services, _ = create_vault(vault_dir, cheap_options())
    case = services.cases.open()
    version_id = services.statements.create(case.reference, title="t", language="en").current.id
    services.lock()
    child = subprocess.run(
        [sys.executable, str(TESTS / "children" / "disk_full.py"), str(vault_dir), version_id],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr
    outcome = json.loads(child.stdout.strip().splitlines()[-1])
    assert outcome["errors"], "the file-size limit never bit"
    assert all("disk" in e or "written" in e for e in outcome["errors"])
    services = unlock(vault_dir, cheap_options())
    stored = services.statements.get(
        services.statements.for_case(case.reference)[0].id
    ).current.text
    assert stored.startswith(outcome["acknowledged"][-1])
    assert services.admin.verify().ok
    services.lock()


def test_s26_failing_writer_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "file"
    target.write_bytes(b"OLD" * 1000)

    def failing(handle, data):
        handle.write(data[:100])
        raise OSError(28, "No space left on device")

    with pytest.raises(StorageFull):
        atomic_write(target, b"NEW" * 1000, writer=failing)
    assert target.read_bytes() == b"OLD" * 1000
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


@pytest.mark.parametrize("step", ["written", "synced", "renamed"])
def test_s26_kill_between_steps_leaves_old_or_new(tmp_path, step):
    target = tmp_path / "file"
    target.write_bytes(b"OLD" * 1000)
    result = subprocess.run(
        [sys.executable, str(TESTS / "children" / "kill_during_write.py"), str(target), step],
        env=child_env(),
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == -signal.SIGKILL
    assert target.read_bytes() in (b"OLD" * 1000, b"NEW" * 10000)


def _dump(directory: Path, options) -> dict[str, list]:
    vault = Vault.unlock(directory, "coord", PASSPHRASE, options)
    try:
        tables = vault.db.all(
            "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
            " AND name NOT LIKE 'search_index%' AND name NOT LIKE 'sqlite_%'"
        )
        # search_source is WITHOUT ROWID: it is ordered by its key, the first column.
        return {
            t: [
                tuple(r)
                for r in vault.db.all(f"SELECT * FROM {t} ORDER BY {'1' if wr else 'rowid'}")
            ]
            for t, wr in tables
        }
    finally:
        vault.close()


def test_s27_backup_restore_reproduces_the_data_exactly(coordinator, vault_dir, options, tmp_path):
    from intake_app.core.demo import generate

    generate(coordinator, 3, seed=7)
    manifest = coordinator.admin.backup(tmp_path / "backup.tar")
    coordinator.lock()
    before = _dump(vault_dir, options)
    report = restore_backup(
        tmp_path / "backup.tar", tmp_path / "restored", "coord", PASSPHRASE, options
    )
    assert report.ok and report.head.hash == manifest["audit_head"]
    after = _dump(tmp_path / "restored", options)
    # The live vault has since recorded the backup and the session events; the rest is identical.
    assert {t: rows for t, rows in after.items() if not t.startswith("audit")} == {
        t: rows for t, rows in before.items() if not t.startswith("audit")
    }
    # The audit log of the copy is the live log up to the backup (then: backup recorded, lock).
    assert after["audit_event"] == before["audit_event"][: len(after["audit_event"])]
    assert [r[3] for r in before["audit_event"][len(after["audit_event"]) :]] == [
        "vault.backup",
        "session.locked",
    ]
    assert stat.S_IMODE((tmp_path / "restored").stat().st_mode) == 0o700


def test_restore_leaves_the_parent_folder_alone(coordinator, options, tmp_path):
    coordinator.admin.backup(tmp_path / "backup.tar")
    parent = tmp_path / "shared"
    parent.mkdir(mode=0o755)
    parent.chmod(0o755)
    restore_backup(tmp_path / "backup.tar", parent / "restored", "coord", PASSPHRASE, options)
    assert stat.S_IMODE(parent.stat().st_mode) == 0o755
    assert stat.S_IMODE((parent / "restored").stat().st_mode) == 0o700


def test_s27_restore_never_overwrites_and_refuses_bad_files(coordinator, options, tmp_path):
    coordinator.admin.backup(tmp_path / "backup.tar")
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "something").write_text("keep me")
    with pytest.raises(VaultExists):
        restore_backup(tmp_path / "backup.tar", occupied, "coord", PASSPHRASE, options)
    assert (occupied / "something").read_text() == "keep me"
    data = bytearray((tmp_path / "backup.tar").read_bytes())
    data[len(data) // 2] ^= 1
    (tmp_path / "tampered.tar").write_bytes(bytes(data))
    with pytest.raises(InvalidInput):
        restore_backup(tmp_path / "tampered.tar", tmp_path / "new", "coord", PASSPHRASE, options)
    assert not (tmp_path / "new").exists()
    (tmp_path / "junk.tar").write_bytes(b"not a tar at all")
    with pytest.raises(InvalidInput):
        restore_backup(tmp_path / "junk.tar", tmp_path / "new", "coord", PASSPHRASE, options)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".new")] == []


def test_s27_backup_of_a_damaged_vault_is_refused(coordinator, tmp_path):
    db = coordinator.ctx.db
    db.execute("DROP TRIGGER audit_event_no_update")
    db.execute("UPDATE audit_event SET action = 'forged' WHERE seq = 1")
    with pytest.raises(VaultDamaged):
        coordinator.admin.backup(tmp_path / "backup.tar")
    assert not (tmp_path / "backup.tar").exists()


def test_s28_a_vault_opens_once(coordinator, vault_dir, options):
    with pytest.raises(VaultInUse):
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)


def test_s28_a_second_process_cannot_open_it(tmp_path):
    vault_dir = tmp_path / "vault"
    services, _ = create_vault(vault_dir, cheap_options())
    services.lock()
    holder = subprocess.Popen(
        [sys.executable, str(TESTS / "children" / "hold_open.py"), str(vault_dir)],
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "OPEN"
        with pytest.raises(VaultInUse):
            Vault.unlock(vault_dir, "coord", PASSPHRASE, cheap_options())
    finally:
        holder.communicate("\n", timeout=60)
    unlock(vault_dir, cheap_options()).lock()


def test_newer_vault_is_refused(coordinator, vault_dir, options):
    coordinator.ctx.db.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    coordinator.lock()
    with pytest.raises(VaultTooNew):
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)


def test_older_vault_is_backed_up_then_migrated(coordinator, vault_dir, options, case_ref):
    db = coordinator.ctx.db
    for (name,) in db.all(
        "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'search_%'"
    ):
        db.execute(f"DROP TRIGGER {name}")
    db.execute("DROP TABLE search_vocab")  # made by 0009
    db.execute("DROP TABLE search_index")
    db.execute("DROP TABLE search_source")  # made by 0006
    db.execute("DROP TABLE search_deferred")  # made by 0008
    db.execute("DROP TABLE search_stale")  # made by 0010
    db.execute("DROP TABLE form_definition")  # made by 0003
    db.execute("DROP TABLE export_record")  # made by 0004
    db.execute("DROP TABLE signing_identity")
    db.execute("DROP TABLE promise")  # made by 0005
    db.execute("DROP TABLE referral_follow_up")
    for index in ("session_break_session", "referral_transition_referral", "liaison_update_status"):
        db.execute(f"DROP INDEX {index}")  # made by 0007
    db.execute("DROP TABLE audit_signer")  # made by 0011, with the two columns below
    db.execute("ALTER TABLE audit_event DROP COLUMN signature")
    db.execute("ALTER TABLE audit_event DROP COLUMN signer")
    for index in ("audit_event_case", "audit_row_state_seq"):
        db.execute(f"DROP INDEX {index}")  # made by 0012
    db.execute("DROP TABLE vault_setting")  # made by 0013
    db.execute("PRAGMA user_version = 1")
    coordinator.ctx.vault.close()  # no session.locked event: nothing is written at schema 1
    services = unlock(vault_dir, options)
    assert migrations.schema_version(services.ctx.db) == migrations.LATEST
    assert any("upgraded" in n for n in services.ctx.vault.notices)
    kept = list((vault_dir / "backups").glob("pre-migration-v1-*/vault.db"))
    assert len(kept) == 1
    services.cases.add_person(case_ref, role=PersonRole.WITNESS, pseudonym="Searchable Witness")
    assert services.search.search("Searchable")
    assert services.search.search("Searcha*")  # through 0009's list of words
    services.lock()
