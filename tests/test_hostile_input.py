"""S29 at the storage level: files from outside are parsed defensively, and released vaults open."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import cheap_options, unlock

from intake_app.core.errors import InvalidInput, KeyFileDamaged, VaultTooNew
from intake_app.core.vault import migrations
from intake_app.core.vault.backup import _extract
from intake_app.core.vault.keyfile import parse
from intake_app.core.vault.recovery import parse_recovery_key
from intake_app.core.vault.vault import Vault

FIXTURES = Path(__file__).parent / "fixtures"


@given(st.binary(max_size=4096))
@settings(max_examples=300)
def test_key_file_parser_only_ever_says_damaged(data):
    try:
        parse(data)
    except (KeyFileDamaged, VaultTooNew):
        pass


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
@settings(max_examples=300)
def test_key_file_parser_survives_any_json(value):
    try:
        parse(json.dumps(value).encode())
    except (KeyFileDamaged, VaultTooNew):
        pass


@given(st.text(max_size=80))
@settings(max_examples=300)
def test_recovery_key_parser_only_ever_says_invalid(text):
    try:
        assert len(parse_recovery_key(text)) == 20
    except InvalidInput:
        pass


def _tar(members: dict[str, bytes], *, kind: bytes = tarfile.REGTYPE) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.type = len(data), kind
            if kind == tarfile.SYMTYPE:
                info.size, info.linkname = 0, "/etc/passwd"
            tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "archive",
    [
        _tar({"manifest.json": b"{}", "vault.db": b"x", "vault.keys": b"x", "extra": b"x"}),
        _tar({"manifest.json": b"{}", "../vault.db": b"x", "vault.keys": b"x"}),
        _tar({"manifest.json": b"{}", "vault.db": b"", "vault.keys": b""}, kind=tarfile.SYMTYPE),
        _tar({"manifest.json": b"[1, 2]", "vault.db": b"x", "vault.keys": b"x"}),
        _tar(
            {
                "manifest.json": json.dumps(
                    {
                        "format": "intake_app.backup",
                        "files": {"vault.db": "0" * 64, "vault.keys": "0" * 64},
                    }
                ).encode(),
                "vault.db": b"x",
                "vault.keys": b"x",
            }
        ),
        _tar({"manifest.json": b"{" * 100_000, "vault.db": b"x", "vault.keys": b"x"}),
        b"",
    ],
)
def test_hostile_backups_are_refused_and_nothing_escapes(tmp_path, archive):
    target = tmp_path / "staging"
    target.mkdir()
    with pytest.raises(InvalidInput):
        _extract(io.BytesIO(archive), target)
    assert not (tmp_path / "vault.db").exists() and not Path("/etc/passwd").is_symlink()


@given(st.binary(max_size=2048))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_backup_reader_survives_random_bytes(tmp_path, data):
    target = tmp_path / "fuzz"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    with pytest.raises(InvalidInput):
        _extract(io.BytesIO(data), target)


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("vault-v*")))
def test_every_released_schema_opens_verifies_and_upgrades(tmp_path, fixture):
    copy = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, copy)
    for path in copy.iterdir():
        path.chmod(0o600)
    copy.chmod(0o700)
    services = unlock(copy, cheap_options())
    assert migrations.schema_version(services.ctx.db) == migrations.LATEST
    assert services.admin.verify().ok
    assert services.cases.count() == 3
    services.lock()
    recovery = (copy / "RECOVERY_KEY.txt").read_text().strip()
    Vault.recover(copy, recovery, cheap_options()).close()
