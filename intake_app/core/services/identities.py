"""Signing identities: the key and certificate each user seals exports with (docs/design.md §6 step 4).

Every user gets a self-signed identity when they are created (or, for vaults older than exports,
the first time one is needed). An organisation may instead import a PKCS#12 issued by its own CA.
The private key never leaves the encrypted vault; only the certificate is handed out.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from intake_app.core.errors import InvalidInput, NotFound
from intake_app.core.export.sealing import SigningIdentity, new_signing_identity
from intake_app.core.i18n import _
from intake_app.core.records import User
from intake_app.core.services.base import ServiceContext, Writer, new_id
from intake_app.core.services.recipients import fingerprint, load_certificate
from intake_app.core.vault.repositories import identities

MAX_PKCS12 = 256 * 1024


def insert_self_signed(w: Writer, user: User, now: str) -> None:
    """A fresh self-signed identity for ``user``, written with the caller's audit event."""
    row = _row(user.id, new_signing_identity(user.display_name), "self_signed", now)
    w.insert("signing_identity", row)
    w.details["signing_certificate"] = row["fingerprint"]


def _row(user_id: str, identity: SigningIdentity, source: str, now: str) -> dict[str, object]:
    return {
        "id": new_id(),
        "user_id": user_id,
        "private_key": identity.private_key_der,
        "certificate": identity.certificate.public_bytes(serialization.Encoding.DER),
        "chain": json.dumps(
            [c.public_bytes(serialization.Encoding.DER).hex() for c in identity.chain]
        ),
        "fingerprint": fingerprint(identity.certificate),
        "source": source,
        "created_at": now,
    }


class IdentityService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def current(self) -> SigningIdentity:
        """The acting user's identity; made now if the vault predates signing identities."""
        ctx = self._ctx
        row = self._current_row()
        if row is None:
            with ctx.write("identity.created", "app_user", ctx.actor.id) as w:
                insert_self_signed(w, ctx.actor, ctx.now())
            row = self._current_row()
            assert row is not None
        return SigningIdentity(
            private_key_der=bytes(row["private_key"]),
            certificate=x509.load_der_x509_certificate(bytes(row["certificate"])),
            chain=tuple(
                x509.load_der_x509_certificate(bytes.fromhex(c)) for c in json.loads(row["chain"])
            ),
        )

    def certificate_pem(self) -> bytes:
        """The public certificate to give to recipients, so they can check what you seal."""
        return self.current().certificate.public_bytes(serialization.Encoding.PEM)

    def fingerprint(self) -> str:
        return fingerprint(self.current().certificate)

    def certificate_of_fingerprint(self, print_: str) -> x509.Certificate:
        """Any identity this vault ever used (retired ones too), by its fingerprint."""
        der = identities.certificate_by_fingerprint(self._ctx.db, print_)
        if der is None:
            raise NotFound(_("No signing identity of this vault has that fingerprint."))
        return x509.load_der_x509_certificate(der)

    def import_pkcs12(self, data: bytes, password: bytes | None) -> str:
        """Replace the acting user's identity with one issued by the organisation's CA.

        Returns the new certificate's fingerprint. The old identity is retired, not deleted.
        """
        ctx = self._ctx
        identity = load_pkcs12(data, password, ctx.clock.now())
        with ctx.write("identity.imported", "app_user", ctx.actor.id) as w:
            old = self._current_row()
            if old is not None:
                w.update("signing_identity", old["id"], {"retired_at": ctx.now()})
            row = _row(ctx.actor.id, identity, "pkcs12", ctx.now())
            w.insert("signing_identity", row)
            w.details.update(
                {
                    "signing_certificate": row["fingerprint"],
                    "subject": identity.certificate.subject.rfc4514_string(),
                }
            )
        return str(row["fingerprint"])

    def _current_row(self) -> Any:
        return identities.current_row(self._ctx.db, self._ctx.actor.id)


def load_pkcs12(
    data: bytes, password: bytes | None, now: datetime | None = None
) -> SigningIdentity:
    """A signing identity from a PKCS#12 file, checked: readable, key matches, usable for signing."""
    if len(data) > MAX_PKCS12:
        raise InvalidInput(_("This file is too large to be a PKCS#12 signing identity."))
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password or None)
    except (ValueError, TypeError):
        raise InvalidInput(_("This is not a PKCS#12 file, or its password is wrong.")) from None
    if key is None or cert is None:
        raise InvalidInput(
            _("This PKCS#12 file does not hold both a private key and its certificate.")
        )
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise InvalidInput(_("Only RSA and elliptic-curve signing keys are supported."))
    load_certificate(cert.public_bytes(serialization.Encoding.DER), now or datetime.now(UTC))
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if key.public_key().public_bytes(der, public) != cert.public_key().public_bytes(der, public):
        raise InvalidInput(
            _("The private key in this PKCS#12 file does not match its certificate.")
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            raise InvalidInput(_("This certificate is not allowed to make signatures."))
    except x509.ExtensionNotFound:
        pass
    private = key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SigningIdentity(private_key_der=private, certificate=cert, chain=tuple(extra or ()))
