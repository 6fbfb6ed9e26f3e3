"""S36 and the anchor half of S37: what this computer has seen of a vault is kept outside its
folder, so a whole folder put back to an older copy, or a chain whose tail was deleted by someone
holding the key, is reported instead of being accepted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from support import (
    PASSPHRASE,
    build_export_case,
    cheap_options,
    child_env,
    create_vault,
    recipient_key_and_certificate,
    unlock,
)

from intake_app.core.errors import VaultDamaged, VaultRolledBack
from intake_app.core.records import Purpose
from intake_app.core.services.exports import ExportRequest
from intake_app.core.vault.backup import restore_backup
from intake_app.core.vault.vault import Vault
from intake_app.core.vault.witness import FileWitness

PASSWORD = b"a long shared password"


@pytest.fixture
def witnessed(tmp_path):
    """A vault with an exportable case, on a computer whose witness is the production kind: an
    owner-only file in the user's configuration folder."""
    options = cheap_options(witness=FileWitness(tmp_path / "config" / "seen-heads"))
    services, _ = create_vault(tmp_path / "vault", options)
    ref = build_export_case(services)
    _key, cert = recipient_key_and_certificate()
    services.recipients.add(
        name="Unit 3", organisation="Office of the Prosecutor", role="investigators",
        language="en", certificate=cert.public_bytes(serialization.Encoding.PEM),
    )  # fmt: skip
    return services, ref, options, tmp_path / "vault"


def _copy(vault_dir: Path, target: Path) -> Path:
    shutil.copytree(vault_dir, target, ignore=shutil.ignore_patterns("vault.lock"))
    return target


def _put_back(copy: Path, vault_dir: Path) -> None:
    shutil.rmtree(vault_dir)
    shutil.copytree(copy, vault_dir)


def test_s36_a_folder_put_back_does_not_revive_a_withdrawn_consent(witnessed, tmp_path):
    services, ref, options, vault_dir = witnessed
    services.exports.export(ExportRequest(ref, "Unit 3", password=PASSWORD))  # shareable now
    services.lock()
    yesterday = _copy(vault_dir, tmp_path / "yesterday")
    services = unlock(vault_dir, options)
    (share,) = [c for c in services.consent.ledger(ref) if c.purpose is Purpose.SHARE_INVESTIGATORS]
    services.consent.withdraw(share.id, "She no longer wants to share.")
    services.lock()

    _put_back(yesterday, vault_dir)  # key file, mirror and database: all of yesterday, consistent
    with pytest.raises(VaultRolledBack) as refused:
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    assert "older than this computer last saw" in refused.value.message
    assert "repaired" not in refused.value.message
    # Nothing was changed by the refusal: the folder is still yesterday's, byte for byte.
    assert (vault_dir / "vault.db").read_bytes() == (yesterday / "vault.db").read_bytes()


def test_s36_the_cli_refuses_the_older_folder_with_its_own_sentence(tmp_path):
    home = tmp_path / "home"
    env = child_env(XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    vault = tmp_path / "v"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "intake_app", "--no-keyring", *args, "--vault", str(vault)],
            input=PASSPHRASE + "\n",
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert cli("init", "--user", "coord").returncode == 0
    assert cli("demo", "--cases", "1").returncode == 0
    yesterday = _copy(vault, tmp_path / "yesterday")
    assert cli("demo", "--cases", "1").returncode == 0
    _put_back(yesterday, vault)
    result = cli("cases")
    assert result.returncode == 6
    assert "older than this computer last saw" in result.stderr
    assert "Traceback" not in result.stderr
    # The witness sits outside the vault folder, owner-only, and holds no secret.
    (seen,) = (home / "config").rglob("*.json")
    assert vault not in seen.parents
    assert oct(seen.stat().st_mode & 0o777) == "0o600"
    assert set(json.loads(seen.read_text())) == {"audit_seq", "audit_head"}


def test_s36_an_empty_database_file_is_damage_not_an_older_copy(witnessed):
    services, _ref, options, vault_dir = witnessed
    services.lock()
    (vault_dir / "vault.db").write_bytes(b"")
    with pytest.raises(VaultDamaged) as refused:
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    assert "damaged" in refused.value.message
    assert (vault_dir / "vault.db").stat().st_size == 0  # nothing was written into it


def test_s36_restoring_a_backup_is_the_explicit_choice_of_an_older_state(witnessed, tmp_path):
    services, ref, options, vault_dir = witnessed
    services.admin.backup(tmp_path / "monday.iabk")
    (share,) = [c for c in services.consent.ledger(ref) if c.purpose is Purpose.SHARE_INVESTIGATORS]
    services.consent.withdraw(share.id, "She no longer wants to share.")
    services.lock()
    restored = tmp_path / "restored"
    restore_backup(tmp_path / "monday.iabk", restored, "coord", PASSPHRASE, options)
    services = unlock(restored, options)  # opens: the user chose this state
    assert services.admin.verify().ok
    services.lock()


def test_s37_deleting_the_tail_of_the_chain_does_not_move_the_anchor_back(witnessed):
    """An insider with the key drops the append-only triggers, deletes the events that recorded
    their reading, and restores the triggers. Locking used to re-anchor at the shorter chain."""
    services, ref, options, vault_dir = witnessed
    db = services.ctx.db
    before = db.one("SELECT max(seq) FROM audit_event")[0]
    services.statements.for_case(ref)  # a reading of testimony, audited
    services.ctx.vault.anchor()
    assert db.one("SELECT max(seq) FROM audit_event")[0] > before
    triggers = db.all(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN"
        " ('audit_event', 'audit_row_state')"
    )
    with db.transaction():
        for name, _sql in triggers:
            db.execute(f"DROP TRIGGER {name}")
        db.execute("DELETE FROM audit_row_state WHERE seq > ?", (before,))
        db.execute("DELETE FROM audit_event WHERE seq > ?", (before,))
        for _name, sql in triggers:
            db.execute(sql)
    with pytest.raises(VaultRolledBack):
        services.ctx.vault.anchor()  # refused: the chain no longer holds the anchored head
    services.ctx.vault.close()  # the lock's own anchor is refused the same way
    with pytest.raises(VaultRolledBack):
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)

    # The insider holds the key, so they can also rewrite the key file's anchor. This computer's
    # witness, outside the folder, still remembers the longer chain.
    vault = Vault.unlock(
        vault_dir, "coord", PASSPHRASE, replace(options, witness=None, accept_rollback=True)
    )
    vault.anchor(accept_older=True)
    vault.close()
    with pytest.raises(VaultRolledBack) as refused:
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    assert "older than this computer last saw" in refused.value.message
    # What only a team witness can catch: a computer that never saw the longer chain.
    Vault.unlock(vault_dir, "coord", PASSPHRASE, replace(options, witness=None)).close()
