"""Sealing a PDF for one recipient and checking it: real pyHanko, checked with qpdf and poppler."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from support import recipient_key_and_certificate

from intake_app.core.errors import InvalidInput
from intake_app.core.export.sealing import (
    SealInvalid,
    new_signing_identity,
    seal_pdf,
    verify_sealed_pdf,
)

SHARED = "The survivor agreed to share this statement"


def tiny_pdf(text: str = SHARED) -> bytes:
    """A one-page PDF with `text` in a standard font, built by hand (no renderer involved)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.fixture(scope="module")
def exporter():
    return new_signing_identity("Amal Haddad", "Field Office North")


@pytest.fixture(scope="module")
def recipient():
    return recipient_key_and_certificate()


@pytest.fixture(scope="module")
def sealed_with_password(exporter):
    return seal_pdf(tiny_pdf(), exporter, password=b"correct horse battery")


@pytest.fixture(scope="module")
def sealed_for_recipient(exporter, recipient):
    return seal_pdf(tiny_pdf(), exporter, recipient=recipient[1])


def open_for_recipient(data, exporter, recipient):
    key, cert = recipient
    return verify_sealed_pdf(
        data, exporter.certificate, recipient_key_der=key, recipient_certificate=cert
    )


def test_signing_identity_is_for_signatures_only(exporter):
    cert = exporter.certificate
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert not usage.key_cert_sign and not usage.key_encipherment
    assert cert.subject.rfc4514_string() == "O=Field Office North,CN=Amal Haddad"
    assert cert.not_valid_after_utc - cert.not_valid_before_utc > timedelta(days=4 * 365)


def test_a_sealed_file_verifies_and_names_its_signer(exporter, recipient, sealed_for_recipient):
    check = open_for_recipient(sealed_for_recipient, exporter, recipient)
    assert check.signer == "O=Field Office North,CN=Amal Haddad"
    assert check.signer_fingerprint == exporter.certificate.fingerprint(hashes.SHA256()).hex()
    assert abs(check.claimed_time - datetime.now(UTC)) < timedelta(minutes=5)


def test_password_sealed_file_verifies(exporter, sealed_with_password):
    check = verify_sealed_pdf(
        sealed_with_password, exporter.certificate, password=b"correct horse battery"
    )
    assert "Amal Haddad" in check.signer


def test_the_content_is_not_readable_without_the_key(sealed_for_recipient, sealed_with_password):
    for sealed in (sealed_for_recipient, sealed_with_password):
        assert SHARED.encode() not in sealed
        assert b"BT /F1" not in sealed  # the page content streams are encrypted
        assert b"/ByteRange" in sealed  # the signature itself stays readable, by design


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is installed by scripts/setup")
def test_qpdf_reports_aes_256_with_the_password(sealed_with_password, tmp_path):
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed_with_password)
    shown = subprocess.run(
        ["qpdf", "--show-encryption", "--password=correct horse battery", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "R = 6" in shown  # the AES-256 security handler revision
    assert "file encryption method: AESv3" in shown
    text = subprocess.run(
        ["pdftotext", "-upw", "correct horse battery", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert SHARED in text


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler is installed by scripts/setup")
def test_poppler_finds_a_valid_signature_over_the_whole_document(sealed_with_password, tmp_path):
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed_with_password)
    report = subprocess.run(
        ["pdfsig", "-upw", "correct horse battery", str(path)], capture_output=True, text=True
    ).stdout
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "Signer Certificate Common Name: Amal Haddad" in report


@pytest.mark.parametrize("where", [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98])
def test_a_flipped_byte_is_refused(exporter, recipient, sealed_for_recipient, where):
    data = bytearray(sealed_for_recipient)
    data[int(len(data) * where)] ^= 0x01  # 0.5 and 0.9 land in the signature's zero padding
    with pytest.raises(SealInvalid):
        open_for_recipient(bytes(data), exporter, recipient)


@pytest.mark.slow  # about 400 verifications: nearly two minutes
def test_every_byte_of_the_signature_region_counts(exporter, recipient, sealed_for_recipient):
    """/Contents is the one region no signature covers; a sweep once found flips pyHanko accepted
    there (CMS versions, the digest-algorithm set, the embedded certificate, the padding)."""
    start = sealed_for_recipient.index(b"/Contents <") + len(b"/Contents <")
    offsets = list(range(0, 120)) + list(range(120, 2600, 9)) + [9000, 16000]
    accepted = []
    for offset in offsets:
        data = bytearray(sealed_for_recipient)
        data[start + offset] ^= 0x01
        try:
            open_for_recipient(bytes(data), exporter, recipient)
        except SealInvalid:
            continue
        accepted.append(offset)
    assert accepted == []


def test_appended_bytes_are_refused(
    exporter, recipient, sealed_for_recipient, sealed_with_password
):
    with pytest.raises(SealInvalid, match="altered"):  # the PDF MAC catches it first
        open_for_recipient(sealed_for_recipient + b"\n% a note\n", exporter, recipient)
    with pytest.raises(SealInvalid, match="altered"):  # the PDF MAC catches it first
        verify_sealed_pdf(
            sealed_with_password + b"\n", exporter.certificate, password=b"correct horse battery"
        )


def test_a_truncated_file_is_refused(exporter, recipient, sealed_for_recipient):
    with pytest.raises(SealInvalid):
        open_for_recipient(sealed_for_recipient[:-40], exporter, recipient)


def test_another_signer_is_not_trusted(recipient, sealed_for_recipient):
    impostor = new_signing_identity("Amal Haddad", "Field Office North")  # same name, other key
    with pytest.raises(SealInvalid, match="someone other"):
        verify_sealed_pdf(
            sealed_for_recipient,
            impostor.certificate,
            recipient_key_der=recipient[0],
            recipient_certificate=recipient[1],
        )


def test_the_wrong_key_or_password_cannot_open_it(
    exporter, sealed_for_recipient, sealed_with_password
):
    other_key, other_cert = recipient_key_and_certificate()
    with pytest.raises(SealInvalid, match="cannot be opened"):
        verify_sealed_pdf(
            sealed_for_recipient,
            exporter.certificate,
            recipient_key_der=other_key,
            recipient_certificate=other_cert,
        )
    with pytest.raises(SealInvalid, match="cannot be opened"):
        verify_sealed_pdf(sealed_with_password, exporter.certificate, password=b"wrong")


def test_an_unsealed_or_foreign_file_is_refused(exporter):
    with pytest.raises(SealInvalid, match="not encrypted"):
        verify_sealed_pdf(tiny_pdf(), exporter.certificate, password=b"x")
    with pytest.raises(SealInvalid, match="damaged"):
        verify_sealed_pdf(b"not a pdf at all", exporter.certificate, password=b"x")


def test_an_empty_password_is_refused(exporter):
    with pytest.raises(InvalidInput):
        seal_pdf(tiny_pdf(), exporter, password=b"")


def test_a_certificate_that_cannot_receive_encrypted_files_is_refused(exporter):
    _key, signing_only = recipient_key_and_certificate(encipherment=False)
    with pytest.raises(InvalidInput, match="encryption"):
        seal_pdf(tiny_pdf(), exporter, recipient=signing_only)
