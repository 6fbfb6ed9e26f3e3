"""Seal a rendered PDF for one recipient, and check a sealed PDF, with pyHanko (all in memory).

Sealing encrypts (AES-256 to the recipient's certificate, or to a password with the PDF MAC) and
signs (PAdES B-B) in one pass, so the signature covers the encrypted file; signing first and
encrypting after would break the signature. Verification is strict on purpose: pyHanko's own summary says VALID even with bytes
appended after the signature, so we also require the signature to cover the entire file, no later
modification, and a signer trusted by the certificate the recipient was given out of band.

pyHanko is slow to import (~0.5 s); it is imported inside the functions that use it.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

if TYPE_CHECKING:
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _

SIGNATURE_FIELD = "IntakeAppSeal"
SIGNATURE_BYTES_RESERVED = 16 * 1024  # CMS with a certificate chain of a few certificates
IDENTITY_VALIDITY = timedelta(days=5 * 365)


@dataclass(frozen=True)
class SigningIdentity:
    """An exporter's signing key (PKCS#8 DER, kept encrypted in the vault) and its certificate.

    ``chain`` holds the issuing certificates of an imported PKCS#12, for the record; a seal carries
    only the signer's own certificate, so a recipient checks it against that certificate or its
    direct issuer (the organisation's CA).
    """

    private_key_der: bytes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


@dataclass(frozen=True)
class SealCheck:
    """What a successful check establishes about a sealed PDF."""

    signer: str  # the signing certificate's subject, in RFC 4514 form
    signer_fingerprint: str  # SHA-256 of the signing certificate, hex
    claimed_time: datetime | None  # the time the signer's device claimed; not a trusted timestamp

    def summary(self) -> list[str]:
        """What the check established, in the user's language (CLI and GUI say the same)."""
        claimed = self.claimed_time.isoformat() if self.claimed_time else "—"
        return [
            _("VALID: intact, signed by {signer}, covering the entire file.").format(
                signer=self.signer
            ),
            _(
                "Signing time claimed by the signer's device (not a trusted timestamp): {time}"
            ).format(time=claimed),
        ]


class SealInvalid(InvalidInput):
    """A sealed PDF failed its check; the message says which guarantee does not hold."""

    exit_code = 1


def new_signing_identity(common_name: str, organisation: str | None = None) -> SigningIdentity:
    """A fresh P-256 key and a self-signed certificate for digital signatures only."""
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    name = x509.Name(attributes)
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + IDENTITY_VALIDITY)
        .add_extension(usage, critical=True)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return SigningIdentity(private_key_der=der, certificate=cert)


MIN_PASSWORD = 12  # bytes; a sealed file travels, so its password must withstand offline guessing


def check_password(password: bytes) -> None:
    """The rule for a password that seals a file (any file this app seals with a password)."""
    if len(password) < MIN_PASSWORD:
        # the number is spelled out so the catalogs' sentence stays the one translators have
        raise InvalidInput(_("The password for a sealed file must be at least 12 characters long."))


def seal_pdf(
    pdf: bytes,
    identity: SigningIdentity,
    *,
    recipient: x509.Certificate | None = None,
    password: bytes | None = None,
    attachments: Sequence[tuple[str, str, bytes]] = (),
) -> bytes:
    """Encrypt `pdf` to exactly one of `recipient` or `password`, then sign it with `identity`.

    `attachments` (name, media type, content) are carried inside as embedded files, encrypted and
    covered by the signature like the pages.
    """
    if (recipient is None) == (password is None):
        raise ValueError("seal_pdf needs exactly one of recipient or password")
    if password is not None and not password:
        raise InvalidInput(_("The password for the sealed file is empty."))
    from pyhanko.pdf_utils.misc import PdfWriteError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf)))
    _drop_creation_date(writer)
    for name, media_type, content in attachments:
        _embed(writer, name, media_type, content)
    if recipient is not None:
        try:
            writer.encrypt_pubkey([_asn1_certificate(recipient)], keylen_bytes=32)
        # pyHanko refuses a certificate without key-encipherment usage, and a key it cannot encrypt
        # to (DSA, Ed25519); S41 refuses both when a recipient is added, older vaults may hold one.
        except (PdfWriteError, NotImplementedError):
            raise InvalidInput(
                _(
                    "The recipient's certificate does not allow encryption to it. Ask them for "
                    "a certificate made for encryption."
                )
            ) from None
    else:
        assert password is not None
        # The owner password only guards permission changes; nobody needs it, so nobody gets it.
        owner = secrets.token_urlsafe(32).encode()
        writer.encrypt(owner, password, pdf_mac=True)  # type: ignore[no-untyped-call]
    signer = signers.SimpleSigner(
        signing_cert=_asn1_certificate(identity.certificate),
        signing_key=_asn1_private_key(identity.private_key_der),
        cert_registry=SimpleCertificateStore(),  # type: ignore[no-untyped-call]  # signer only
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    # Encryption and signature are written in one pass: the signature covers the encrypted file.
    _times_in_utc()
    out = signers.PdfSigner(metadata, signer).sign_pdf(
        writer, bytes_reserved=SIGNATURE_BYTES_RESERVED
    )
    return bytes(out.getvalue())


class _UtcZone:
    """Stands in for ``tzlocal`` inside pyHanko, which stamps signing and modification times in
    the machine's local zone: an offset says where the device was (S32), so times are in UTC."""

    @staticmethod
    def get_localzone() -> tzinfo:
        return UTC


def _times_in_utc() -> None:
    from pyhanko.pdf_utils.metadata import info, xmp_xml
    from pyhanko.sign.signers import pdf_cms, pdf_signer

    for module in (info, xmp_xml, pdf_cms, pdf_signer):
        module.tzlocal = _UtcZone  # type: ignore[attr-defined]


def _drop_creation_date(writer) -> None:  # type: ignore[no-untyped-def]
    """The renderer's fixed date says nothing true; the signing time (claimed) is the date."""
    info = writer._info.get_object() if writer._info is not None else None
    if info is not None and "/CreationDate" in info:
        del info["/CreationDate"]


def _embed(writer, name: str, media_type: str, content: bytes) -> None:  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils import embed

    params = embed.EmbeddedFileParams(embed_size=True, embed_checksum=True)
    data = embed.EmbeddedFileObject.from_file_data(
        writer, content, params=params, mime_type=media_type or None
    )
    embed.embed_file(
        writer, embed.FileSpec(file_spec_string=name, file_name=name, embedded_data=data)
    )


def verify_sealed_pdf(
    data: bytes,
    signer_certificate: x509.Certificate,
    *,
    password: bytes | None = None,
    recipient_key_der: bytes | None = None,
    recipient_certificate: x509.Certificate | None = None,
) -> SealCheck:
    """Check a sealed PDF, opened with a password or the recipient's key and certificate.

    Succeeds only when there is exactly one signature, it is intact and cryptographically valid,
    the signer is trusted through `signer_certificate`, it covers the entire file (nothing appended)
    and nothing was modified after it. Raises `SealInvalid` with the reason otherwise.
    """
    from pyhanko.pdf_utils.crypt import AuthStatus, SimpleEnvelopeKeyDecrypter
    from pyhanko.pdf_utils.crypt.api import PdfMacStatus
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis.policy_api import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=True)
        if reader.security_handler is None:
            raise SealInvalid(_("This file is not encrypted, so it was not sealed by intake_app."))
        if password is not None:
            result = reader.decrypt(password)
        elif recipient_key_der is not None and recipient_certificate is not None:
            decrypter = SimpleEnvelopeKeyDecrypter(
                _asn1_certificate(recipient_certificate), _asn1_private_key(recipient_key_der)
            )
            result = reader.decrypt_pubkey(decrypter)  # this also checks the PDF MAC
        else:
            raise SealInvalid(_("A password or the recipient's key is needed to open this file."))
        if result.mac_status == PdfMacStatus.FAILED:  # the PDF MAC saw an appended or changed byte
            raise SealInvalid(_("This file is damaged or was altered after it was sealed."))
        if result.status == AuthStatus.FAILED:
            raise SealInvalid(_("This file cannot be opened with the password or key given."))
        if result.mac_status != PdfMacStatus.SUCCESSFUL:  # every seal carries one; none = stripped
            raise SealInvalid(_("This file is damaged or was altered after it was sealed."))
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            raise SealInvalid(_("A sealed file carries exactly one signature; this one does not."))
        _require_canonical_signature_contents(data, signatures[0], signer_certificate)
        context = ValidationContext(trust_roots=[_asn1_certificate(signer_certificate)])
        status = validate_pdf_signature(signatures[0], context)
    except SealInvalid:
        raise
    except Exception:  # the boundary where an untrusted file meets the parser
        # pyHanko raises a wide range of errors on damaged input (AttributeError, decimal's
        # InvalidOperation and "not implemented" errors in 0.38, found by flipping every byte);
        # each means "not intact", never a crash.
        raise SealInvalid(_("This file is damaged or was altered after it was sealed.")) from None

    if not (status.intact and status.valid):
        raise SealInvalid(_("The signature does not match the file: it was altered after sealing."))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE or (
        status.modification_level != ModificationLevel.NONE
    ):
        raise SealInvalid(
            _("Something was added to this file after it was sealed; the seal covers less.")
        )
    if not status.trusted:
        raise SealInvalid(_("The file was signed by someone other than the given certificate."))
    signer = status.signing_cert
    return SealCheck(
        signer=x509.load_der_x509_certificate(signer.dump()).subject.rfc4514_string(),
        signer_fingerprint=signer.sha256.hex(),
        claimed_time=status.signer_reported_dt,
    )


def _require_canonical_signature_contents(
    data: bytes, signature: EmbeddedPdfSignature, signer_certificate: x509.Certificate
) -> None:
    """The one region a signature cannot cover is its own /Contents: require it byte-exact.

    It must be the CMS in upper-case hex, in canonical DER, carrying exactly one certificate (the
    signer's: the given certificate, or one it directly issued), followed only by zero padding. So even a flipped byte in the padding or in the
    embedded certificate, which no signature check sees, makes the file fail.
    """
    from asn1crypto import cms, parser

    _start, gap_start, gap_end, _length = (int(n) for n in signature.byte_range)
    gap = data[gap_start:gap_end]  # read from the file itself: the reader would try to decrypt it
    digits = gap[1:-1]
    try:
        raw = bytes.fromhex(digits.decode("ascii"))
        _cls, _method, _tag, header, contents, trailer = parser.parse(raw)
        der = raw[: len(header) + len(contents) + len(trailer)]
        content_info = cms.ContentInfo.load(der)
        canonical_der = content_info.dump(force=True) == der
        signed_data = content_info["content"]
        certificates = [choice.chosen.dump() for choice in signed_data["certificates"]]
        (signer_info,) = signed_data["signer_infos"]
        ((mac_attribute,),) = [signer_info["unsigned_attrs"]]  # exactly one: the PDF MAC token
        ((mac_token,),) = [mac_attribute["values"]]
        mac_data = mac_token["content"]
        ((recipient_info,),) = [mac_data["recipient_infos"]]
        # The unsigned envelope of the signature and of the PDF MAC token, whose version numbers
        # and algorithm lists neither check reads: exactly what intake_app writes, nothing else.
        as_sealed = (
            signed_data["version"].native == "v1"
            and signer_info["version"].native == "v1"
            and [a.dump() for a in signed_data["digest_algorithms"]]
            == [signer_info["digest_algorithm"].dump()]
            and mac_token["content_type"].native == "authenticated_data"
            and mac_data["version"].native == "v0"
            and recipient_info.name == "pwri"
            and recipient_info.chosen["version"].native == "v0"
            and mac_data["originator_info"].native is None
            and mac_data["unauth_attrs"].native is None
        )
    except (ValueError, TypeError, KeyError):  # includes a wrong number of signer infos or tokens
        raise SealInvalid(_("This file is damaged or was altered after it was sealed.")) from None
    canonical_hex = gap[:1] == b"<" and gap[-1:] == b">" and digits == digits.upper()
    if not (canonical_hex and canonical_der and as_sealed) or any(raw[len(der) :]):
        raise SealInvalid(_("This file is damaged or was altered after it was sealed."))
    if len(certificates) != 1 or not _signed_by_or_is(certificates[0], signer_certificate):
        raise SealInvalid(_("The file was signed by someone other than the given certificate."))


def _signed_by_or_is(der: bytes, given: x509.Certificate) -> bool:
    """The embedded certificate is the given one, or names it as issuer (pyHanko's trust check
    then proves the issuer's signature on it)."""
    if der == given.public_bytes(serialization.Encoding.DER):
        return True
    try:
        return x509.load_der_x509_certificate(der).issuer == given.subject
    except ValueError:
        return False


def _asn1_certificate(cert: x509.Certificate):  # type: ignore[no-untyped-def]
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_private_key(der: bytes):  # type: ignore[no-untyped-def]
    from asn1crypto import keys as asn1_keys

    return asn1_keys.PrivateKeyInfo.load(der)
