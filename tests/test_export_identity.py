"""Signing identities: made at user creation, kept in the vault, replaceable by a CA's PKCS#12."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from support import cheap_options, unlock

from intake_app.core.errors import InvalidInput
from intake_app.core.export.sealing import SealInvalid, seal_pdf, verify_sealed_pdf
from intake_app.core.records import Role
from intake_app.core.services.identities import load_pkcs12

FIXTURES = Path(__file__).parent / "fixtures"
P12_PASSWORD = b"organisation secret"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Field Office North"),
        ]
    )


def organisation_pkcs12(*, key_usage_sign: bool = True) -> tuple[bytes, x509.Certificate]:
    """A PKCS#12 for one user, issued by the organisation's own CA; returns it and the CA cert."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Field Office CA"))
        .issuer_name(_name("Field Office CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("Amal Haddad"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(
            x509.KeyUsage(
                key_usage_sign,
                key_usage_sign,
                not key_usage_sign,
                False,
                False,
                False,
                False,
                False,
                False,
            ),
            critical=True,
        )  # fmt: skip
        .sign(ca_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"amal", key, leaf, [ca], serialization.BestAvailableEncryption(P12_PASSWORD)
    )
    return data, ca


def test_every_user_gets_an_identity_at_creation(team):
    coordinator = team.current
    fingerprints = {coordinator.identities.fingerprint()}
    for role in (Role.ADVOCATE, Role.INVESTIGATOR, Role.LIAISON):
        fingerprints.add(team.as_(role).identities.fingerprint())
    assert len(fingerprints) == 4
    pem = team.current.identities.certificate_pem()
    assert x509.load_pem_x509_certificate(pem).subject.rfc4514_string() == "CN=Liaison"


def test_an_organisation_pkcs12_replaces_the_identity_and_verifies_against_its_ca(coordinator):
    from test_sealing import recipient_key_and_certificate, tiny_pdf

    data, ca = organisation_pkcs12()
    old = coordinator.identities.fingerprint()
    new = coordinator.identities.import_pkcs12(data, P12_PASSWORD)
    assert new != old and coordinator.identities.fingerprint() == new
    assert coordinator.identities.certificate_of_fingerprint(old)  # kept, retired
    identity = coordinator.identities.current()
    key, cert = recipient_key_and_certificate()
    sealed = seal_pdf(tiny_pdf(), identity, recipient=cert)
    for trusted in (identity.certificate, ca):  # the user's certificate, or the CA that issued it
        check = verify_sealed_pdf(
            sealed, trusted, recipient_key_der=key, recipient_certificate=cert
        )
        assert check.signer == "O=Field Office North,CN=Amal Haddad"
    stranger, _ = organisation_pkcs12()
    with pytest.raises(SealInvalid):
        verify_sealed_pdf(
            sealed, load_pkcs12(stranger, P12_PASSWORD).chain[0],
            recipient_key_der=key, recipient_certificate=cert,
        )  # fmt: skip
    assert coordinator.admin.verify().ok


def test_bad_pkcs12_files_are_refused_with_a_reason(coordinator):
    data, _ca = organisation_pkcs12()
    before = coordinator.identities.fingerprint()
    with pytest.raises(InvalidInput, match="password is wrong"):
        coordinator.identities.import_pkcs12(data, b"wrong")
    with pytest.raises(InvalidInput, match="password is wrong"):
        coordinator.identities.import_pkcs12(b"not a pkcs12 file", None)
    with pytest.raises(InvalidInput, match="too large"):
        coordinator.identities.import_pkcs12(b"0" * 300_000, None)
    encrypt_only, _ = organisation_pkcs12(key_usage_sign=False)
    with pytest.raises(InvalidInput, match="not allowed to make signatures"):
        coordinator.identities.import_pkcs12(encrypt_only, P12_PASSWORD)
    assert coordinator.identities.fingerprint() == before


def test_a_vault_older_than_exports_gets_an_identity_when_first_needed(tmp_path):
    vault = tmp_path / "v3"
    shutil.copytree(FIXTURES / "vault-v3", vault)
    services = unlock(vault, cheap_options())
    try:
        assert services.ctx.db.one("SELECT count(*) FROM signing_identity")[0] == 0
        first = services.identities.fingerprint()
        assert services.identities.fingerprint() == first
        assert services.admin.verify().ok
    finally:
        services.lock()
