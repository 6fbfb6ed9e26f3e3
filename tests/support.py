"""Shared by tests and by the child processes they start (importable as ``support``)."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import NameOID

from intake_app.cli import CliEnvironment, main
from intake_app.core.services import Services
from intake_app.core.vault.db import PAGE_SIZE
from intake_app.core.vault.device_secret import MemoryStore
from intake_app.core.vault.kdf import KdfParams, KdfPolicy
from intake_app.core.vault.vault import Vault, VaultOptions

TESTS = Path(__file__).parent
PASSPHRASE = "correct horse battery staple"
CHEAP = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        self.ticks = 0.0

    def now(self) -> datetime:
        # Strictly increasing, so event order never depends on the machine's speed.
        self.moment += timedelta(microseconds=1)
        return self.moment

    def monotonic(self) -> float:
        return self.ticks

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)
        self.ticks += timedelta(**delta).total_seconds()


def cheap_options(
    store: MemoryStore | None = None, clock: FakeClock | None = None, **extra: object
) -> VaultOptions:
    return VaultOptions(
        kdf=KdfPolicy(floor=CHEAP, fixed=CHEAP),
        device_store=store,
        clock=clock or FakeClock(),
        **extra,
    )  # type: ignore[arg-type]


def create_vault(
    directory: Path, options: VaultOptions, username: str = "coord"
) -> tuple[Services, str]:
    created = Vault.create(directory, username, PASSPHRASE, options)
    services = Services.bootstrap(created.vault, username, "Coordinator", options.clock)
    return services, created.recovery_key


def unlock(
    directory: Path, options: VaultOptions, username: str = "coord", passphrase: str = PASSPHRASE
) -> Services:
    vault = Vault.unlock(directory, username, passphrase, options)
    return Services.login(vault, options.clock)


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(TESTS.parent), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def ledger_entry(ident, purpose, scope, decision, at, expires=None, withdrawn=None):
    """A consent ledger row for a survivor's decision, as the consent service records it."""
    from intake_app.core.records import Basis, Consent, GivenBy

    return Consent(
        ident, "case", None, purpose, scope, decision, Basis.CONSENT, None, None,
        GivenBy.SURVIVOR, None, "ar", None, None, "u", at, expires, withdrawn, None, None,
    )  # fmt: skip


def recipient_key_and_certificate(encipherment: bool = True) -> tuple[bytes, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Investigator")])
    now = datetime.now(UTC)
    usage = x509.KeyUsage(True, False, encipherment, False, False, False, False, False, False)
    cert = (
        x509.CertificateBuilder()
        .add_extension(usage, critical=True)
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))  # before any test clock
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return der, cert


SHARED_STATEMENT = (
    "اعتقلوني عند الحاجز رقم 4 قرب Kharkiv في 12 آذار 2024، وبقيت هناك ثلاثة أيام.\n"
    "Ліля Петренко was there too; Ліля saw the officer with the scar."
)
SHARED_TRANSLATION = (
    "They detained me at checkpoint no. 4 near Kharkiv on 12 March 2024, and I stayed there "
    "three days. Ліля Петренко was there too; Ліля saw the officer with the scar."
)
LEGAL_NAME = "Ліля Петренко"
WITNESS_NAME = "Omar Said Nasser"


def build_export_case(services, *, identity=False, media=False, share=True):
    """One case with everything an export shows: an Arabic survivor's sealed statement with a
    translation, incident answers (with a witness's name), a referral, a document and a photo,
    and the given consents. Returns the case reference."""
    from intake_app.core.records import Decision, PersonRole, ProviderType, Purpose, Readback

    case = services.cases.open(languages=["ar", "uk"])
    ref = case.reference
    services.cases.add_person(
        ref, role=PersonRole.SURVIVOR, pseudonym="Survivor A-17", legal_name=LEGAL_NAME,
        date_of_birth="1990-05-04", age_range="30-39", gender="female", languages=["ar", "uk"],
    )  # fmt: skip
    statement = services.statements.create(ref, title="Checkpoint 4", language="ar")
    services.statements.save_draft(
        statement.current.id, text=SHARED_STATEMENT, translation=SHARED_TRANSLATION,
        translation_language="en", translator="Interpreter 2",
    )  # fmt: skip
    services.statements.seal(statement.current.id, readback=Readback.CONFIRMED)
    draft = services.statements.create(ref, title="Second interview", language="ar")
    services.statements.save_draft(draft.current.id, text="UNSEALED DRAFT TEXT")
    response, session = services.forms.start(ref, "incident", language="ar")
    session.set("what_happened", "detention ill_treatment")
    session.set("place", "الحاجز رقم 4")
    session.set("witnesses_present", "yes")
    session.add_repeat("witnesses")
    session.set("witness_name", WITNESS_NAME, at=(("witnesses", 0),))
    services.forms.save_session(response.id, session)
    provider = services.referrals.add_provider(
        type=ProviderType.MEDICAL, organisation="Clinic Nord", languages=["ar"]
    )
    services.referrals.create(ref, provider_id=provider.id, needs="Follow-up for a wrist injury")
    services.attachments.add(
        ref, io.BytesIO(tiny_document()), filename="medical-report.pdf", description="Clinic report"
    )
    services.attachments.add(ref, io.BytesIO(tiny_png()), filename="wrist.png")

    def record(ref, **kwargs):
        return services.consent.record(ref, explained_language="ar", **kwargs)

    record(ref, purpose=Purpose.RECORD_TESTIMONY, decision=Decision.GRANTED)
    record(
        ref, purpose=Purpose.SHARE_INVESTIGATORS, scope="category:investigators",
        decision=Decision.GRANTED if share else Decision.REFUSED,
    )  # fmt: skip
    record(
        ref, purpose=Purpose.DISCLOSE_IDENTITY,
        decision=Decision.GRANTED if identity else Decision.REFUSED,
    )  # fmt: skip
    record(
        ref, purpose=Purpose.RECORD_MEDIA, decision=Decision.GRANTED if media else Decision.REFUSED
    )
    return ref


def tiny_document() -> bytes:
    return b"%PDF-1.4\n% a clinic report stands in here\n%%EOF\n"


def tiny_png() -> bytes:
    import zlib

    raw = b"\x00\xff\x00\x00"
    chunk = lambda kind, data: (  # noqa: E731
        len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    )
    header = (1).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )  # fmt: skip


class Cli:
    def __init__(self, vault: Path) -> None:
        self.vault = vault
        self.options = cheap_options()

    def __call__(self, *argv: str, stdin: str = PASSPHRASE + "\n") -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        env = CliEnvironment(
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=err,
            options=self.options,
            default_vault=self.vault,
        )
        code = main(list(argv), env)
        return code, out.getvalue(), err.getvalue()

    def json(self, *argv: str, stdin: str = PASSPHRASE + "\n"):
        code, out, err = self(*argv, "--json", stdin=stdin)
        assert code == 0, err
        return json.loads(out)


RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512 at the end of every page


def decrypt_page(data: bytes, index: int, dek: bytes) -> bytes:
    """One page of a SQLCipher 4 file, decrypted independently of SQLCipher (AES-256-CBC)."""
    page = data[index * PAGE_SIZE : (index + 1) * PAGE_SIZE]
    start = 16 if index == 0 else 0
    iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(dek), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start : PAGE_SIZE - RESERVE]) + decryptor.finalize()


def decrypt_pages(path: Path, dek: bytes) -> bytes:
    """Every page of a SQLCipher 4 file, decrypted (raw key)."""
    data = path.read_bytes()
    return b"".join(decrypt_page(data, i, dek) for i in range(len(data) // PAGE_SIZE))
