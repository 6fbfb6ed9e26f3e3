"""S29 at the storage level: files from outside are parsed defensively, and released vaults open."""

from __future__ import annotations

import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import PASSPHRASE, Cli, cheap_options, child_env, unlock
from test_recipient_certificates import make_certificate

from intake_app.core.errors import InvalidInput, KeyFileDamaged, VaultTooNew
from intake_app.core.vault import migrations
from intake_app.core.vault.backup import _extract
from intake_app.core.vault.keyfile import parse
from intake_app.core.vault.recovery import parse_recovery_key
from intake_app.core.vault.vault import Vault

FIXTURES = Path(__file__).parent / "fixtures"
FORMS = Path(__file__).parent / "forms"


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


# --- The command line (S39–S43): one sentence, a documented exit code, no traceback, no change ---

DOCUMENTED_EXIT_CODES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}  # README "Command line" and --help


def _changes(cli) -> list[str]:
    """What a command changed: every audit event but unlocking, locking and reading."""
    events = cli.json("audit", "log", "--limit", "100000", "--vault", str(cli.vault))
    return [
        e["action"]
        for e in events
        if not e["action"].startswith("session.") and not e["action"].endswith(".viewed")
    ]


@pytest.fixture(scope="module")
def hostile_cli(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    cli = Cli(folder / "vault")
    code, _out, err = cli("init", "--vault", str(cli.vault), "--user", "coord")
    assert code == 0, err
    cli.folder = folder
    return cli


def _file(folder: Path, name: str | bytes, content: bytes) -> str:
    path = os.path.join(os.fsencode(folder), os.fsencode(name))
    with open(path, "wb") as handle:
        handle.write(content)
    return os.fsdecode(path)


HOSTILE_CLI = {
    "a limit too large for SQLite": (
        lambda f: ["audit", "log", "--limit", "99999999999999999999"],
        2,
        "between",
    ),
    "a negative limit": (lambda f: ["cases", "--limit", "-5"], 2, "between"),
    "a limit that is not a number": (lambda f: ["cases", "--limit", "many"], 2, "between"),
    "an RSA-1024 certificate": (
        lambda f: _recipient(f, make_certificate(rsa.generate_private_key(65537, 1024))),
        2,
        "at least 2048",
    ),
    "two certificates in one file": (
        lambda f: _recipient(f, make_certificate() + make_certificate()),
        2,
        "more than one",
    ),
    "a CSV cell that would drive the terminal": (
        lambda f: [
            "providers",
            "import",
            _file(f, "p.csv", b"type,organisation\n\x1b[2J\x1b]0;pwned\x07,Clinic\n"),
        ],
        2,
        "unknown type '\\u001b[2J\\u001b]0;pwned\\u0007'",
    ),
    "a weak passphrase for a new user": (
        lambda f: ["user", "add", "--name", "amal", "--role", "advocate"],
        2,
        "weak",
        f"{PASSPHRASE}\npassword123\n",
    ),
    "a folder as a certificate": (lambda f: _recipient_path(str(f)), 2, "not a file"),
    "a CA certificate": (lambda f: _recipient(f, make_certificate(ca=True)), 2, "authority"),
    "a FIFO as the provider directory": (
        lambda f: ["providers", "import", _fifo(f)],
        2,
        "not a file",
    ),
}


def _recipient(folder: Path, pem: bytes) -> list[str]:
    return _recipient_path(_file(folder, "recipient.pem", pem))


def _recipient_path(cert: str) -> list[str]:
    return ["recipient", "add", "--name", "R", "--org", "O", "--cert", cert]


def _fifo(folder: Path) -> str:
    path = folder / "fifo"
    if not path.exists():
        os.mkfifo(path)
    return str(path)


@pytest.mark.parametrize("case", sorted(HOSTILE_CLI))
def test_hostile_command_lines_get_one_sentence_and_change_nothing(hostile_cli, case):
    make, code, words, *stdin = HOSTILE_CLI[case]
    before = _changes(hostile_cli)
    result, out, err = hostile_cli(
        *make(hostile_cli.folder),
        "--vault",
        str(hostile_cli.vault),
        stdin=(stdin or [PASSPHRASE + "\n"])[0],
    )
    assert result == code and code in DOCUMENTED_EXIT_CODES, err
    assert err.startswith("intake-app: ") and err.count("\n") == 1 and words in err, err
    assert "Traceback" not in err + out
    assert _changes(hostile_cli) == before


def test_a_file_name_that_is_not_utf8_is_an_ordinary_name(hostile_cli):
    """`scan-\\xff\\xfe.pdf` is a valid Linux name; it is kept readably, never an internal error."""
    services = unlock(hostile_cli.vault, hostile_cli.options)
    try:
        reference = services.cases.open(languages=["en"]).reference
        path = Path(_file(hostile_cli.folder, b"scan-\xff\xfe.pdf", b"%PDF-1.4\n%%EOF\n"))
        attachment = services.attachments.add_file(reference, path)
        assert attachment.filename == "scan-\ufffd\ufffd.pdf"
        assert services.attachments.read(attachment.id).startswith(b"%PDF")
    finally:
        services.lock()
    form = _file(hostile_cli.folder, b"form-\xff.md", (FORMS / "all_types.md").read_bytes())
    code, out, err = hostile_cli("forms", "check", form)
    assert code == 0 and not err and "form-\\udcff.md: OK" in out, err  # shown as an escape
    code, out, err = hostile_cli("forms", "add", form, "--vault", str(hostile_cli.vault))
    assert code == 0 and not err, err


def test_a_closed_pipe_stops_the_command_quietly(hostile_cli):
    """`intake-app search WORD | head -3`: the reader went away (here: before reading a byte, so
    the pipe is surely closed when the results come); no internal error, no traceback."""
    services = unlock(hostile_cli.vault, hostile_cli.options)
    try:
        for _ in range(40):
            case = services.cases.open(languages=["en"])
            statement = services.statements.create(case.reference, title="Pipe", language="en")
            services.statements.save_draft(statement.current.id, text="checkpoint " * 50)
    finally:
        services.lock()
    child = Path(__file__).parent / "children" / "cheap_cli.py"  # the test vault's cheap KDF
    command = (
        f"{shlex.quote(sys.executable)} {shlex.quote(str(child))} search checkpoint "
        f"--vault {shlex.quote(str(hostile_cli.vault))} --user coord | true"
    )
    run = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        input=PASSPHRASE + "\n",
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stderr == "", run.stderr
    assert run.returncode == 141  # 128 + SIGPIPE, as any command-line tool
