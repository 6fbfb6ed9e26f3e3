"""S41: a recipient's certificate is checked when it is added, and problems are named then (with
the fix), not at export time. Certificates are made here with `cryptography`, and one with the
real `openssl req -x509`."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from cryptography.x509.oid import NameOID
from support import FakeClock, cheap_options, create_vault
from test_sealing import tiny_pdf

from intake_app.core.errors import InvalidInput
from intake_app.core.export.sealing import new_signing_identity, seal_pdf

# The vault's clock, by which validity is judged: an hour from now, so that a certificate openssl
# makes now is already valid.
NOW = datetime.now(UTC) + timedelta(hours=1)


def make_certificate(
    key=None, *, encipherment=True, usage=True, ca=False, days=30, start_days=-400
) -> bytes:
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Investigator")])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW + timedelta(days=start_days))
        .not_valid_after(NOW + timedelta(days=days))
    )
    if usage:
        builder = builder.add_extension(
            x509.KeyUsage(True, False, encipherment, False, False, ca, False, False, False),
            critical=True,
        )
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(key, algorithm).public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def recipients(tmp_path_factory):
    services, _ = create_vault(
        tmp_path_factory.mktemp("v") / "vault", cheap_options(clock=FakeClock(NOW))
    )
    yield services.recipients
    services.lock()


def _openssl_req_x509(folder) -> bytes:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Investigator",
         "-days", "30", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    return (folder / "cert.pem").read_bytes()


UNFIT = {
    "RSA-1024": (
        lambda f: make_certificate(rsa.generate_private_key(public_exponent=65537, key_size=1024)),
        "at least 2048",
    ),
    "DSA": (lambda f: make_certificate(dsa.generate_private_key(2048)), "at least 2048"),
    "Ed25519": (lambda f: make_certificate(ed25519.Ed25519PrivateKey.generate()), "P-256"),
    "P-521": (lambda f: make_certificate(ec.generate_private_key(ec.SECP521R1())), "P-384"),
    "expired": (lambda f: make_certificate(days=-1), "expired"),
    "not yet valid": (lambda f: make_certificate(start_days=10, days=40), "not valid before"),
    "a certificate authority": (lambda f: make_certificate(ca=True), "certificate authority"),
    "no key encipherment": (lambda f: make_certificate(encipherment=False), "key encipherment"),
    "no key usage at all": (lambda f: make_certificate(usage=False), "key encipherment"),
    "openssl req -x509": (_openssl_req_x509, "key encipherment"),
    "two certificates": (lambda f: make_certificate() + make_certificate(), "more than one"),
    "trailing garbage": (lambda f: make_certificate() + b"garbage after the end\n", "after"),
    "trailing garbage (DER)": (
        lambda f: (
            x509.load_pem_x509_certificate(make_certificate()).public_bytes(
                serialization.Encoding.DER
            )
            + b"\x00\x01"
        ),
        "not a readable",
    ),
}


@pytest.mark.parametrize("case", sorted(UNFIT))
def test_an_unfit_certificate_is_refused_when_added_with_the_fix(recipients, tmp_path, case):
    if case.startswith("openssl") and not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    make, words = UNFIT[case]
    before = len(recipients.list())
    with pytest.raises(InvalidInput) as refused:
        recipients.add(name=case, organisation="Org", certificate=make(tmp_path))
    assert words in refused.value.message
    assert refused.value.message.count(".") >= 1 and "\n" not in refused.value.message
    assert len(recipients.list()) == before


@pytest.mark.parametrize(
    "key",
    [
        lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
        lambda: rsa.generate_private_key(public_exponent=65537, key_size=3072),
        lambda: ec.generate_private_key(ec.SECP256R1()),
        lambda: ec.generate_private_key(ec.SECP384R1()),
    ],
    ids=["RSA-2048", "RSA-3072", "P-256", "P-384"],
)
def test_a_fit_certificate_is_added(recipients, key):
    pem = make_certificate(key())
    recipient = recipients.add(name=f"fit {len(recipients.list())}", organisation="Org",
                               certificate=b"Subject: the human-readable part openssl prints\n"
                               + pem + b"\n")  # fmt: skip
    assert recipient.fingerprint


def test_a_certificate_kept_from_before_the_check_is_refused_at_export_with_a_sentence():
    """A DSA certificate with key encipherment, as a vault from before S41 may hold."""
    cert = x509.load_pem_x509_certificate(make_certificate(dsa.generate_private_key(2048)))
    with pytest.raises(InvalidInput, match="encryption"):
        seal_pdf(tiny_pdf(), new_signing_identity("Amal", "Org"), recipient=cert)
