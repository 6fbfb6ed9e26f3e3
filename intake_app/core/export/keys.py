"""A recipient's own key and certificate, read from the files they keep (PEM or DER)."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _


def certificate_from_bytes(data: bytes) -> x509.Certificate:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise InvalidInput(_("This file is not a readable X.509 certificate.")) from None


def private_key_der(data: bytes) -> bytes:
    """An unencrypted private key (PEM or DER, PKCS#8 or traditional) as PKCS#8 DER."""
    try:
        key = (
            serialization.load_pem_private_key(data, password=None)
            if b"-----BEGIN" in data
            else serialization.load_der_private_key(data, password=None)
        )
    except (ValueError, TypeError):
        raise InvalidInput(
            _("The key file is not a readable, unencrypted private key (PEM or DER).")
        ) from None
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
