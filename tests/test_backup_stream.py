"""S27 at speed: the backup checks each page's MAC as it streams (core/vault/pages.py), the rows
against their digests once, and reads a snapshot that writes on another connection cannot move."""

from __future__ import annotations

import threading

import pytest
from support import PASSPHRASE

from intake_app.core.demo import generate
from intake_app.core.errors import InvalidInput, VaultDamaged
from intake_app.core.vault.backup import create_backup, prepare_backup, restore_backup, run_backup
from intake_app.core.vault.db import PAGE_SIZE
from intake_app.core.vault.pages import PageDamage, check_block, mac_key, page_ok


@pytest.fixture
def filled(coordinator):
    generate(coordinator, 3, seed=11)
    coordinator.ctx.db.checkpoint()
    return coordinator


def _key(services):
    vault = services.ctx.vault
    return mac_key(vault._dek, bytes.fromhex(vault.keyfile.db["salt"]))


def test_every_page_of_a_real_vault_carries_the_mac_sqlcipher_wrote(filled, vault_dir):
    data = (vault_dir / "vault.db").read_bytes()
    pages = len(data) // PAGE_SIZE
    assert pages > 20
    key = _key(filled)
    assert all(page_ok(key, n + 1, data[n * PAGE_SIZE : (n + 1) * PAGE_SIZE]) for n in range(pages))
    check_block(key, 1, data)  # the whole file at once
    # One flipped bit anywhere in a page (ciphertext, IV or MAC) fails that page, and only it.
    for page, offset in ((1, 20), (2, 0), (3, PAGE_SIZE - 70), (pages, PAGE_SIZE - 1)):
        start = (page - 1) * PAGE_SIZE
        flipped = bytearray(data[start : start + PAGE_SIZE])
        flipped[offset] ^= 0x01
        assert not page_ok(key, page, bytes(flipped))
    # The salt in page 1's first 16 bytes is outside the MAC (S7: it may be zeroed).
    first = bytearray(data[:PAGE_SIZE])
    first[:16] = bytes(16)
    assert page_ok(key, 1, bytes(first))
    # A page moved to another position fails: the page number is inside the MAC.
    assert not page_ok(key, 3, data[PAGE_SIZE : 2 * PAGE_SIZE])
    with pytest.raises(PageDamage) as damage:
        check_block(key, 2, data[2 * PAGE_SIZE : 4 * PAGE_SIZE])
    assert damage.value.number == 2


def test_a_page_damaged_on_disk_makes_no_backup(filled, vault_dir, tmp_path):
    vault = filled.ctx.vault
    path = vault_dir / "vault.db"
    data = bytearray(path.read_bytes())
    last = len(data) // PAGE_SIZE - 1
    data[last * PAGE_SIZE + 100] ^= 0x40  # a page no check before the copy reads
    path.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged) as refused:
        create_backup(vault, tmp_path / "b.tar")
    assert "page" in refused.value.message
    assert list(tmp_path.glob("*b.tar*")) == []


def test_the_backup_reads_a_snapshot_while_another_connection_writes(
    filled, vault_dir, options, tmp_path
):
    """The GUI backs up in a worker on its own reader while the window keeps autosaving."""
    vault = filled.ctx.vault
    ref = filled.cases.list()[0].reference
    version = filled.statements.create(ref, title="t", language="en", text="start").current.id
    result: dict[str, object] = {}
    progress: list[tuple[int, int]] = []

    job = prepare_backup(vault)  # on the window's thread; the worker opens its own reader

    def worker() -> None:
        try:
            result["manifest"] = run_backup(
                job, tmp_path / "b.tar", lambda done, total: progress.append((done, total))
            )
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=worker)
    thread.start()
    for n in range(30):  # the window goes on saving meanwhile
        filled.statements.save_draft(version, text=f"typed {n} words", settle=False)
    thread.join(60)
    assert "error" not in result, result.get("error")
    assert progress and progress[-1][0] == progress[-1][1]
    assert [d for d, _t in progress] == sorted(d for d, _t in progress)
    filled.lock()
    report = restore_backup(tmp_path / "b.tar", tmp_path / "restored", "coord", PASSPHRASE, options)
    assert report.ok
    manifest = result["manifest"]
    assert isinstance(manifest, dict)
    assert report.head.hash == manifest["audit_head"]


@pytest.mark.parametrize("stop_at", [1, 500, 999])
def test_a_stop_in_either_half_stops_both_and_writes_nothing(filled, tmp_path, stop_at):
    """The file streams on its own thread while the rows are checked (backup_stream.py): the
    GUI's stop, raised from the progress callback whichever half reports, ends both halves and
    leaves no file and no temporary file behind."""
    seen: list[int] = []

    def report(done: int, total: int) -> None:
        seen.append(done)
        if done >= stop_at:
            raise InvalidInput("stopped")

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput):
        run_backup(prepare_backup(filled.ctx.vault), out / "b.tar", report)
    assert seen and seen == sorted(seen)
    assert list(out.iterdir()) == []
    assert all(t.name != "backup-file" for t in threading.enumerate())


def test_progress_reaches_its_end_only_when_both_halves_have_passed(filled, tmp_path):
    seen: list[tuple[int, int]] = []
    out = tmp_path / "out"
    out.mkdir()
    manifest = run_backup(
        prepare_backup(filled.ctx.vault), out / "b.tar", lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (1000, 1000)
    assert [d for d, _t in seen] == sorted({d for d, _t in seen})  # each value once, rising
    assert manifest["files"]["vault.db"]
    assert sorted(p.name for p in out.iterdir()) == ["b.tar"]


def test_a_forged_row_fails_the_backup_although_every_page_is_sound(filled, tmp_path):
    """The key holder's edit passes every page MAC (SQLCipher wrote them); the rows' half of
    the same pass refuses it, and the file half's work is thrown away."""
    db = filled.ctx.db
    db.execute("DROP TRIGGER consent_ledger_no_edit")
    db.execute("UPDATE consent SET decision = 'granted'")
    db.conn.commit()
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(VaultDamaged) as refused:
        run_backup(prepare_backup(filled.ctx.vault), out / "b.tar")
    assert "consent" in refused.value.message
    assert list(out.iterdir()) == []
