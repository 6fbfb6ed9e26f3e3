"""Sealed export end to end: policy → view → reportlab → pyHanko, checked with qpdf and poppler."""

from __future__ import annotations

import getpass
import hashlib
import io
import re
import shutil
import socket
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from support import (
    LEGAL_NAME,
    PASSPHRASE,
    WITNESS_NAME,
    Cli,
    FakeClock,
    build_export_case,
    cheap_options,
    child_env,
    create_vault,
    recipient_key_and_certificate,
)

from intake_app.core.errors import ConsentRequired, InvalidInput, PermissionDenied
from intake_app.core.export.sealing import SealInvalid, verify_sealed_pdf
from intake_app.core.records import Decision, Purpose, Role
from intake_app.core.services.exports import ExportRequest

PASSWORD = b"a long shared password"
WITHHELD_TEXTS = (
    LEGAL_NAME,
    "Ліля",
    "Петренко",
    WITNESS_NAME,
    "UNSEALED DRAFT",
    "1990-05-04",  # the date of birth whole: a bare "1990" also turns up inside hex digests
    "wrist.png",
)
YEAR_OF_BIRTH = re.compile(r"(?<![0-9a-f])1990(?![0-9a-f])")  # the year alone, not in a digest
needs = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("qpdf", "pdftotext", "pdfsig", "pdftoppm")),
    reason="poppler-utils and qpdf are needed (scripts/debian-packages.txt)",
)


@pytest.fixture(scope="module")
def recipient_keys():
    return recipient_key_and_certificate()


@pytest.fixture
def world(tmp_path, recipient_keys):
    """A vault with one rich case (identity and media refused) and a recipient with certificate."""
    options = cheap_options(clock=FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)))
    services, _key = create_vault(tmp_path / "vault", options)
    ref = build_export_case(services)
    _key_der, cert = recipient_keys
    services.recipients.add(
        name="Unit 3", organisation="Office of the Prosecutor", role="investigators",
        language="en", certificate=cert.public_bytes(serialization.Encoding.PEM),
    )  # fmt: skip
    yield services, ref
    if services.ctx.vault.is_open:
        services.lock()


def decrypted(tmp_path, data: bytes) -> bytes:
    sealed, plain = tmp_path / "sealed.pdf", tmp_path / "plain.pdf"
    sealed.write_bytes(data)
    subprocess.run(
        ["qpdf", f"--password={PASSWORD.decode()}", "--decrypt", "--stream-data=uncompress",
         str(sealed), str(plain)],
        check=True,
    )  # fmt: skip
    return plain.read_bytes()


def text_of(tmp_path, pdf: bytes) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# -- what leaves, and what does not ---------------------------------------------------------------
def test_withheld_data_never_reaches_the_renderer(world):
    services, ref = world
    prepared = services.exports.prepare(ExportRequest(ref, "Unit 3"))
    everything = repr(prepared.view)
    assert "They detained me at checkpoint" in everything
    for secret in WITHHELD_TEXTS:
        assert secret not in everything, secret
    assert prepared.view.survivor.legal_name is None
    assert prepared.view.survivor.pseudonym == "Survivor A-17"
    (statement,) = prepared.view.statements
    assert statement.names_replaced == 4 and "Survivor A-17 was there too" in statement.text
    assert prepared.view.media_withheld == 1 and prepared.view.drafts_left_out == 1
    witness = [line for form in prepared.view.answers for line in form.lines if line.withheld]
    assert witness and witness[0].value is None


@needs
def test_password_export_is_aes256_signed_and_contains_only_what_is_shared(world, tmp_path):
    services, ref = world
    record, data = services.exports.export(ExportRequest(ref, "Unit 3", password=PASSWORD))
    assert record.file_sha256 == hashlib.sha256(data).hexdigest() and record.pages >= 3
    path = tmp_path / "export.pdf"
    path.write_bytes(data)
    shown = subprocess.run(
        ["qpdf", "--show-encryption", f"--password={PASSWORD.decode()}", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "R = 6" in shown and "file encryption method: AESv3" in shown
    sig = subprocess.run(
        ["pdfsig", "-upw", PASSWORD.decode(), str(path)], capture_output=True, text=True
    ).stdout
    assert "Signature is Valid" in sig and "Total document signed" in sig
    plain = decrypted(tmp_path, data)
    text = text_of(tmp_path, plain)
    assert "They detained me at checkpoint no. 4 near Kharkiv" in " ".join(text.split())
    assert "Survivor A-17" in text and "withheld: no consent to disclose" in text
    assert "Sealed for Unit 3" in text and record.id in text
    for secret in WITHHELD_TEXTS:
        assert secret not in text, secret
        assert secret.encode() not in plain and secret.encode("utf-16-be") not in plain
    assert not YEAR_OF_BIRTH.search(text)
    for secret in (b"They detained me", b"Survivor A-17", b"Kharkiv"):
        assert secret not in data  # encrypted: nothing readable without the password


@needs
def test_metadata_names_no_user_host_path_or_time_zone(world, tmp_path):
    services, ref = world
    _record, data = services.exports.export(ExportRequest(ref, "Unit 3", password=PASSWORD))
    plain = decrypted(tmp_path, data)
    info = (tmp_path / "plain.pdf").as_posix()
    meta = subprocess.run(["pdfinfo", info], capture_output=True, text=True, check=True).stdout
    assert "Author:" in meta and "CreationDate" not in meta
    for leak in {
        getpass.getuser(),
        socket.gethostname(),
        str(tmp_path),
        str(services.ctx.vault.directory),
    }:
        if len(leak) >= 4:
            assert leak.encode() not in plain, leak
    assert b"+03:00" not in plain and b"Z)" in plain  # times in UTC (checked across zones below)


@needs
def test_signing_times_are_utc_whatever_the_machine_zone(tmp_path):
    script = (
        "import sys;"
        "from test_sealing import tiny_pdf;"
        "from intake_app.core.export.sealing import new_signing_identity, seal_pdf;"
        "sys.stdout.buffer.write(seal_pdf(tiny_pdf(), new_signing_identity('A'), password=b'pw'))"
    )
    data = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True,
        env=child_env(TZ="Asia/Amman"),
    ).stdout  # fmt: skip
    (tmp_path / "s.pdf").write_bytes(data)
    subprocess.run(
        ["qpdf", "--password=pw", "--decrypt", "--stream-data=uncompress",
         str(tmp_path / "s.pdf"), str(tmp_path / "d.pdf")], check=True,
    )  # fmt: skip
    plain = (tmp_path / "d.pdf").read_bytes()
    assert b"+03" not in plain and b"+00:00" in plain


def test_certificate_export_opens_only_with_the_recipients_key(world, recipient_keys):
    services, ref = world
    record, data = services.exports.export(ExportRequest(ref, "Unit 3"))
    key, cert = recipient_keys
    signer = services.identities.current().certificate
    check = verify_sealed_pdf(data, signer, recipient_key_der=key, recipient_certificate=cert)
    assert check.signer == "CN=Coordinator" and record.protection == "certificate"
    other_key, other_cert = recipient_key_and_certificate()
    with pytest.raises(SealInvalid):
        verify_sealed_pdf(
            data, signer, recipient_key_der=other_key, recipient_certificate=other_cert
        )
    from pyhanko.pdf_utils.reader import PdfFileReader

    handler = PdfFileReader(io.BytesIO(data)).security_handler
    assert type(handler).__name__ == "PubKeySecurityHandler" and handler.get_file_encryption_key
    assert handler.crypt_filter_config.get_for_stream().keylen == 32  # AES-256


def test_identity_and_media_are_shared_only_with_their_consent(world):
    services, ref = world
    services.consent.record(
        ref, purpose=Purpose.DISCLOSE_IDENTITY, decision=Decision.GRANTED, explained_language="ar"
    )
    prepared = services.exports.prepare(ExportRequest(ref, "Unit 3"))
    assert prepared.view.survivor.legal_name == LEGAL_NAME
    assert LEGAL_NAME in prepared.view.statements[0].text
    assert WITNESS_NAME in repr(prepared.view) and prepared.view.media_withheld == 1
    photo = next(a for a in services.attachments.for_case(ref) if a.filename == "wrist.png")
    with pytest.raises(ConsentRequired, match="wrist.png"):
        services.exports.prepare(ExportRequest(ref, "Unit 3", embed=(photo.id,)))


def test_export_without_consent_is_refused_and_an_override_is_audited(world):
    services, ref = world
    (share,) = [c for c in services.consent.ledger(ref) if c.purpose is Purpose.SHARE_INVESTIGATORS]
    _consent, earlier = services.consent.withdraw(share.id, "The survivor changed her mind.")
    assert earlier == []
    with pytest.raises(ConsentRequired, match="live consent to share"):
        services.exports.export(ExportRequest(ref, "Unit 3", password=PASSWORD))
    assert services.exports.history(ref) == []
    with pytest.raises(InvalidInput, match="full sentence"):
        services.exports.prepare(ExportRequest(ref, "Unit 3", override_justification="court"))
    reason = "Court order 2026/114 of the district court requires disclosure to this unit."
    record, _data = services.exports.export(
        ExportRequest(ref, "Unit 3", password=PASSWORD, override_justification=reason)
    )
    assert record.override_justification == reason
    event = services.admin.events([record.case_id], limit=5)[0]
    assert event.action == "export.sealed" and event.details["override"] is True
    assert event.details["sha256"] == record.file_sha256


def test_only_coordinators_override_and_liaison_officers_never_export(team):
    coordinator = team.current
    ref = build_export_case(coordinator, share=False)
    coordinator.recipients.add(name="Unit 3", organisation="OTP", role="investigators")
    investigator = team.as_(Role.INVESTIGATOR)
    with pytest.raises(ConsentRequired):
        investigator.exports.prepare(ExportRequest(ref, "Unit 3", password=PASSWORD))
    with pytest.raises(PermissionDenied):
        investigator.exports.prepare(
            ExportRequest(ref, "Unit 3", password=PASSWORD, override_justification="x" * 40)
        )
    for role in (Role.LIAISON, Role.ADVOCATE):
        with pytest.raises(PermissionDenied):
            team.as_(role).exports.prepare(ExportRequest(ref, "Unit 3", password=PASSWORD))


def test_history_and_withdrawal_list_earlier_exports(world):
    services, ref = world
    first, _ = services.exports.export(ExportRequest(ref, "Unit 3", password=PASSWORD))
    second, data = services.exports.export(ExportRequest(ref, "Unit 3"))
    assert [r.id for r in services.exports.history(ref)] == [first.id, second.id]
    assert services.exports.find_by_file(data) == second
    assert services.exports.find_by_file(data + b"\n") is None
    (share,) = [c for c in services.consent.ledger(ref) if c.purpose is Purpose.SHARE_INVESTIGATORS]
    _consent, earlier = services.consent.withdraw(share.id, "She no longer wants to share.")
    assert [e.id for e in earlier] == [first.id, second.id]
    assert services.admin.verify().ok


def test_embedded_evidence_travels_inside_and_is_listed(world):
    services, ref = world
    document = next(a for a in services.attachments.for_case(ref) if a.filename.endswith(".pdf"))
    record, data = services.exports.export(
        ExportRequest(ref, "Unit 3", password=PASSWORD, embed=(document.id,))
    )
    assert record.embedded == (document.sha256,)
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data))
    reader.decrypt(PASSWORD)
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[1].get_object()
    assert names[0] == "medical-report.pdf"
    assert spec["/EF"]["/F"].get_object().data == services.attachments.read(document.id)


def test_a_short_password_or_a_recipient_without_certificate_is_refused(world):
    services, ref = world
    services.recipients.add(name="No cert", organisation="OTP", role="investigators")
    with pytest.raises(InvalidInput, match="no certificate"):
        services.exports.prepare(ExportRequest(ref, "No cert"))
    with pytest.raises(InvalidInput, match="12 characters"):
        services.exports.prepare(ExportRequest(ref, "No cert", password=b"short"))


# -- command line -------------------------------------------------------------------------------
@pytest.fixture
def cli_world(tmp_path, recipient_keys):
    cli = Cli(tmp_path / "vault")
    cli.options = cheap_options(clock=FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)))
    assert cli("init", "--vault", str(cli.vault), "--user", "coord")[0] == 0
    from support import unlock

    services = unlock(cli.vault, cli.options)
    ref = build_export_case(services)
    services.lock()
    key, cert = recipient_keys
    (tmp_path / "recipient.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "recipient.key").write_bytes(
        serialization.load_der_private_key(key, None).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )  # fmt: skip
    (tmp_path / "password.txt").write_bytes(PASSWORD + b"\n")
    return cli, ref, tmp_path


@needs
def test_cli_recipient_identity_export_verify(cli_world):
    cli, ref, tmp = cli_world
    code, out, err = cli(
        "recipient", "add", "--name", "Unit 3", "--org", "OTP", "--category", "investigators",
        "--cert", str(tmp / "recipient.pem"),
    )  # fmt: skip
    assert code == 0, err
    assert "fingerprint" in out
    identity = cli.json("identity", "--out", str(tmp / "signer.pem"))
    assert (tmp / "signer.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE")
    assert len(identity["fingerprint"].split(":")) == 32
    out_pdf = tmp / "case.pdf"
    exported = cli.json("export", ref, "--recipient", "Unit 3", "--out", str(out_pdf))
    assert out_pdf.stat().st_mode & 0o777 == 0o600
    assert exported["file_sha256"] == hashlib.sha256(out_pdf.read_bytes()).hexdigest()
    code, _, err = cli("export", ref, "--recipient", "Unit 3", "--out", str(out_pdf))
    assert code == 2 and "already exists" in err
    verify = ["verify", str(out_pdf), "--signer-cert", str(tmp / "signer.pem"),
              "--key", str(tmp / "recipient.key"), "--cert", str(tmp / "recipient.pem")]  # fmt: skip
    code, out, err = cli(*verify, stdin="")
    assert code == 0, err
    assert "VALID" in out and "CN=coord" in out and "claimed" in out
    matched = cli.json(*verify, "--vault", str(cli.vault))
    assert matched["audit_record"]["id"] == exported["id"]

    original = out_pdf.read_bytes()
    flipped = bytearray(original)
    flipped[len(flipped) // 3] ^= 0x01
    (tmp / "flipped.pdf").write_bytes(bytes(flipped))
    (tmp / "appended.pdf").write_bytes(original + b"\n% appended\n")
    for bad in ("flipped.pdf", "appended.pdf"):
        code, out, err = cli(
            *[str(tmp / bad) if a == str(out_pdf) else a for a in verify], stdin=""
        )
        assert code == 1 and "VALID" not in out and err.startswith("intake-app: "), bad
    other = recipient_key_and_certificate()[1]
    (tmp / "other.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    code, _, err = cli(
        *[str(tmp / "other.pem") if a == str(tmp / "signer.pem") else a for a in verify], stdin=""
    )
    assert code == 1 and "someone other" in err


@needs
def test_cli_password_export_and_refusal_without_consent(cli_world):
    cli, ref, tmp = cli_world
    assert cli("recipient", "add", "--name", "Unit 3", "--org", "OTP")[0] == 0  # named only
    out_pdf = tmp / "refused.pdf"
    code, _, err = cli(
        "export", ref, "--recipient", "Unit 3", "--out", str(out_pdf),
        "--password-file", str(tmp / "password.txt"),
    )  # fmt: skip
    assert code == 1 and "live consent to share" in err and not out_pdf.exists()
    assert (
        cli("recipient", "add", "--name", "Unit 4", "--org", "OTP", "--category", "investigators")[
            0
        ]
        == 0
    )
    code, out, err = cli(
        "export", ref, "--recipient", "Unit 4", "--out", str(out_pdf),
        "--password-file", str(tmp / "password.txt"),
    )  # fmt: skip
    assert code == 0, err
    assert "Withheld" in out
    cli("identity", "--out", str(tmp / "signer.pem"))
    code, out, _ = cli(
        "verify", str(out_pdf), "--signer-cert", str(tmp / "signer.pem"),
        "--password-file", str(tmp / "password.txt"), stdin="",
    )  # fmt: skip
    assert code == 0 and "VALID" in out
    history = cli.json("exports", ref)
    assert [h["recipient_name"] for h in history] == ["Unit 4"]


@needs
def test_export_writes_no_temporary_file(cli_world):
    """The whole export runs in a child whose temp, home and cache folders are empty and watched."""
    cli, ref, tmp = cli_world
    assert (
        cli("recipient", "add", "--name", "Unit 3", "--org", "OTP", "--category", "investigators")[
            0
        ]
        == 0
    )
    watched = {name: tmp / name for name in ("tmp", "home", "cache", "cwd")}
    for folder in watched.values():
        folder.mkdir()
    script = (
        "import sys, io;"
        "from support import cheap_options, FakeClock;"
        "from datetime import datetime, UTC;"
        "from intake_app.cli import CliEnvironment, main;"
        "opts = cheap_options(clock=FakeClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)));"
        f"sys.exit(main(['export', '{ref}', '--vault', r'{cli.vault}', '--recipient', 'Unit 3',"
        f" '--out', 'out.pdf', '--password-file', r'{tmp / 'password.txt'}'],"
        f" CliEnvironment(stdin=io.StringIO('{PASSPHRASE}\\n'), options=opts)))"
    )
    before = sorted(p.name for p in cli.vault.rglob("*"))
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=watched["cwd"], capture_output=True, text=True,
        env=child_env(TMPDIR=str(watched["tmp"]), HOME=str(watched["home"]),
                      XDG_CACHE_HOME=str(watched["cache"])),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [p.name for p in watched["cwd"].iterdir()] == ["out.pdf"]
    for name in ("tmp", "home", "cache"):
        assert list(watched[name].rglob("*")) == [], name
    assert sorted(p.name for p in cli.vault.rglob("*")) == before


def test_a_consent_withdrawn_while_sealing_stops_the_record(world):
    services, ref = world
    identity = services.consent.record(
        ref, purpose=Purpose.DISCLOSE_IDENTITY, decision=Decision.GRANTED, explained_language="ar"
    )
    prepared = services.exports.prepare(ExportRequest(ref, "Unit 3", password=PASSWORD))
    sealed = services.exports.seal(prepared)
    services.consent.withdraw(identity.id, "She called while the file was being made.")
    with pytest.raises(ConsentRequired, match="changed while"):
        services.exports.record(prepared, sealed)
    (share,) = [c for c in services.consent.ledger(ref) if c.purpose is Purpose.SHARE_INVESTIGATORS]
    services.consent.withdraw(share.id, "She no longer wants to share.")
    with pytest.raises(ConsentRequired, match="live consent to share"):
        services.exports.record(prepared, sealed)
    assert services.exports.history(ref) == []
