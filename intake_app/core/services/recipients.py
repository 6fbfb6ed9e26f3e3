"""Recipients of sealed exports: an address book with X.509 certificates (coordinator only)."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from intake_app.core.errors import InvalidInput, NotFound
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import Recipient
from intake_app.core.services.base import ServiceContext, new_id
from intake_app.core.vault.repositories import recipients

MAX_CERT = 64 * 1024
MIN_RSA_BITS = 2048
CURVES = ("secp256r1", "secp384r1")  # P-256, P-384
_PEM_END = b"-----END CERTIFICATE-----"


def load_certificate(data: bytes, now: datetime | None = None) -> x509.Certificate:
    """A PEM or DER certificate, refused when malformed, oversized or outside its validity."""
    if len(data) > MAX_CERT:
        raise InvalidInput(_("This certificate file is too large to be a certificate."))
    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if b"-----BEGIN" in data
            else x509.load_der_x509_certificate(data)
        )
        not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    except (ValueError, TypeError):
        raise InvalidInput(_("This file is not a readable X.509 certificate.")) from None
    moment = now or datetime.now(UTC)
    if moment > not_after:
        raise InvalidInput(
            _("This certificate expired on {date}.").format(date=not_after.date().isoformat())
        )
    if moment < not_before:
        raise InvalidInput(
            _("This certificate is not valid before {date}.").format(
                date=not_before.date().isoformat()
            )
        )
    return cert


def recipient_certificate(data: bytes, now: datetime | None = None) -> x509.Certificate:
    """A certificate fit to receive sealed files (S41), or a sentence that says what to ask for.

    One function, used when a recipient is added from the CLI or the Recipients dialog (both go
    through ``RecipientService.add``): exactly one certificate and nothing after it, within its
    validity, a person's (not a certificate authority's), RSA of 2048 bits or more or EC P-256 or
    P-384, and the key-encipherment usage that pyHanko needs to encrypt to it."""
    if b"-----BEGIN CERTIFICATE-----" in data:
        if data.count(b"-----BEGIN") > 1:
            raise InvalidInput(
                _(
                    "This file holds more than one certificate; give a file with the "
                    "recipient's certificate alone."
                )
            )
        if _PEM_END in data and data.rpartition(_PEM_END)[2].strip():
            raise InvalidInput(
                _(
                    "This file has data after the certificate; give the certificate file "
                    "exactly as the recipient sent it."
                )
            )
    cert = load_certificate(data, now)
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        fit = key.key_size >= MIN_RSA_BITS
    else:
        fit = isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in CURVES
    if not fit:
        raise InvalidInput(
            _(
                "This certificate's key cannot protect sealed files. Ask for a certificate with an "
                "RSA key of at least 2048 bits, or an EC P-256 or P-384 key, and key encipherment."
            )
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        encipherment = usage.key_encipherment
    except x509.ExtensionNotFound:
        encipherment = False
    if not encipherment:
        raise InvalidInput(
            _(
                "This certificate does not allow files to be encrypted to it. Ask for a "
                "certificate with key encipherment."
            )
        )
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if is_ca:
        raise InvalidInput(
            _(
                "This is a certificate authority's certificate, not the recipient's own. Ask for "
                "their own certificate, with key encipherment."
            )
        )
    return cert


def fingerprint(cert: x509.Certificate) -> str:
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


class RecipientService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def add(
        self,
        *,
        name: str,
        organisation: str,
        role: str | None = None,
        language: str | None = None,
        certificate: bytes | None = None,
    ) -> Recipient:
        ctx = self._ctx
        ctx.require(Permission.RECIPIENT_MANAGE)
        if not name.strip() or not organisation.strip():
            raise InvalidInput(_("A recipient needs a name and an organisation."))
        if recipients.name_taken(ctx.db, name.strip()):
            raise InvalidInput(_("There is already a recipient with this name."))
        der, print_ = None, None
        if certificate is not None:
            cert = recipient_certificate(certificate, ctx.clock.now())
            der, print_ = cert.public_bytes(serialization.Encoding.DER), fingerprint(cert)
        recipient_id = new_id()
        with ctx.write("recipient.added", "recipient", recipient_id) as w:
            w.insert(
                "recipient",
                {
                    "id": recipient_id,
                    "name": name.strip(),
                    "organisation": organisation.strip(),
                    "role": role,
                    "language": language,
                    "certificate": der,
                    "fingerprint": print_,
                    "created_at": ctx.now(),
                },
            )
            w.details.update({"name": name.strip(), "fingerprint": print_})
        return self.get(name.strip())

    def get(self, name: str) -> Recipient:
        recipient = recipients.by_name_or_id(self._ctx.db, name)
        if recipient is None:
            raise NotFound(_("There is no recipient called {name}.").format(name=name))
        return recipient

    def list(self) -> list[Recipient]:
        return recipients.active(self._ctx.db)
