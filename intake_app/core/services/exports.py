"""Sealed PDF export (docs/design.md §6): policy → view → render → encrypt and sign → record.

Three steps, so the GUI can run the slow middle one off its thread (a SQLCipher connection stays
on the thread that opened it): ``prepare`` reads the vault and applies the policy, ``seal``
renders and seals in memory (no vault access, any thread), ``record`` writes the export record
and its audit event. ``export_job.ExportJob`` puts them in their one order, with the file, for
every client (S35 checks the case in ``prepare`` and again in ``record``); ``preview`` prepares without auditing, for the dialog.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cryptography import x509

from intake_app import __version__
from intake_app.core import consent as rules
from intake_app.core.errors import ConsentRequired, InvalidInput, NotFound
from intake_app.core.export.policy import OVERRIDDEN, Policy, Recipient, Section, decide
from intake_app.core.export.sealing import SigningIdentity, check_password, seal_pdf
from intake_app.core.export.view import CustodyView, ExportView
from intake_app.core.i18n import N_, SHIPPED_LANGUAGES, _
from intake_app.core.labels import PURPOSES
from intake_app.core.permissions import Permission
from intake_app.core.records import ExportRecord, Purpose
from intake_app.core.records import Recipient as RecipientRecord
from intake_app.core.services.base import new_id
from intake_app.core.services.export_view import ViewBuilder, is_media
from intake_app.core.services.recipients import fingerprint, load_certificate
from intake_app.core.vault import audit
from intake_app.core.vault.case_check import require_case_intact
from intake_app.core.vault.repositories import exports as exports_repo
from intake_app.core.vault.repositories import recipients as recipients_repo

if TYPE_CHECKING:
    from intake_app.core.services import Services

EXPORT_PURPOSES = (Purpose.SHARE_INVESTIGATORS, Purpose.REFER_SERVICES)
MIN_JUSTIFICATION = 20
MAX_EMBEDDED = 64 * 1024 * 1024  # evidence carried inside one sealed file

SECTION_NAMES = {
    Section.IDENTITY: N_("Survivor's identity"),
    Section.CONSENT_SUMMARY: N_("Consent summary"),
    Section.STATEMENTS: N_("Statements"),
    Section.ANSWERS: N_("Form answers"),
    Section.REFERRALS: N_("Referrals"),
    Section.ATTACHMENTS: N_("Attachments"),
    Section.MEDIA: N_("Photographs and recordings"),
    Section.CHAIN_OF_CUSTODY: N_("Chain of custody"),
}


@dataclass(frozen=True)
class ExportRequest:
    reference: str
    recipient: str  # name or id
    purpose: Purpose = Purpose.SHARE_INVESTIGATORS
    password: bytes | None = None  # seal with a password instead of the recipient's certificate
    override_justification: str | None = None  # coordinator only, when sharing consent is absent
    embed: tuple[str, ...] = ()  # attachment ids to carry inside the sealed file


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    media_type: str
    data: bytes = field(repr=False)
    sha256: str = ""


@dataclass(frozen=True)
class PreparedExport:
    """Everything sealing needs; holds no vault connection, so it may cross threads."""

    request: ExportRequest
    case_id: str
    recipient: RecipientRecord
    recipient_certificate: x509.Certificate | None
    identity: SigningIdentity
    policy: Policy
    view: ExportView
    embedded: tuple[EmbeddedFile, ...]

    @property
    def protection(self) -> str:
        return "password" if self.request.password is not None else "certificate"


@dataclass(frozen=True)
class SealedFile:
    data: bytes = field(repr=False)
    sha256: str
    pages: int
    missing_glyphs: int


class ExportService:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._ctx = services.ctx

    # -- step 1: on the vault's thread ------------------------------------------------------
    def prepare(self, request: ExportRequest) -> PreparedExport:
        """Everything sealing needs, read on the way to an export (the reading is audited)."""
        return self._prepare(request, preview=False)

    def preview(self, request: ExportRequest) -> PreparedExport:
        """What :meth:`prepare` would give, for a dialog that recomputes it on every change: the
        same checks and policy, but it writes no audit event and leaves the chosen evidence
        unread (it may be large). The export itself is audited, once, when it is sealed."""
        return self._prepare(request, preview=True)

    def _prepare(self, request: ExportRequest, *, preview: bool) -> PreparedExport:
        ctx = self._ctx
        ctx.require(Permission.EXPORT)
        if request.purpose not in EXPORT_PURPOSES:
            raise InvalidInput(_("An export is for sharing with investigators or for a referral."))
        case = ctx.case_row(request.reference)
        recipient = self._services.recipients.get(request.recipient)
        # S35: every row the export reads, checked against its last audited digest, before it is
        # read (vault/case_check.py)
        require_case_intact(
            ctx.db, case["id"], user_id=ctx.actor.id, recipient_id=recipient.id,
            files=() if preview else request.embed,  # a preview reads no file
        )  # fmt: skip
        certificate = self._recipient_certificate(recipient, request)
        policy = self._policy(case["reference"], recipient, request)
        language = recipient.language if recipient.language in SHIPPED_LANGUAGES else "en"
        builder = ViewBuilder(
            self._services, case["reference"], policy, language, audited=not preview
        )
        embedded = self._embedded(
            case["reference"], policy, request.embed, builder.redact, read_files=not preview
        )
        statements, statements_withheld, drafts = builder.statements()
        answers, answers_withheld = builder.answers()
        attachments, media_withheld, media_reason = builder.attachments(set(request.embed))
        identity = self._services.identities.current()
        head = audit.head(ctx.db)
        custody = CustodyView(
            export_id=new_id(),
            exporter=f"{ctx.actor.display_name} ({ctx.actor.username})",
            signer_fingerprint=fingerprint(identity.certificate),
            recipient_fingerprint=recipient.fingerprint,
            protection="password" if request.password is not None else "certificate",
            claimed_time=ctx.now(),
            audit_seq=head.seq,
            audit_head=head.hash,
            app_version=__version__,
            decisions=tuple(
                (SECTION_NAMES[s], v.included, v.reason_key) for s, v in policy.sections.items()
            ),
            override_justification=(
                (request.override_justification or "").strip() or None
                if policy.reason_key == OVERRIDDEN
                else None
            ),
        )
        view = ExportView(
            language=language,
            case_reference=case["reference"],
            recipient_name=recipient.name,
            recipient_organisation=recipient.organisation,
            purpose=PURPOSES[request.purpose],
            survivor=builder.survivor(),
            people=builder.people(),
            consents=builder.consents(self._services.consent.ledger(case["reference"])),
            statements=statements,
            statements_withheld=statements_withheld,
            drafts_left_out=drafts,
            answers=answers,
            answers_withheld=answers_withheld,
            referrals=builder.referrals(),
            attachments=attachments,
            media_withheld=media_withheld,
            media_reason=media_reason,
            custody=custody,
            warnings=tuple(builder.warnings),
        )
        return PreparedExport(
            request, case["id"], recipient, certificate, identity, policy, view, embedded
        )

    # -- step 2: pure, any thread -----------------------------------------------------------
    @staticmethod
    def seal(prepared: PreparedExport) -> SealedFile:
        from intake_app.core.export.render import render  # reportlab: imported when first used

        rendered = render(prepared.view)
        data = seal_pdf(
            rendered.data,
            prepared.identity,
            recipient=prepared.recipient_certificate,
            password=prepared.request.password,
            attachments=[(e.name, e.media_type, e.data) for e in prepared.embedded],
        )
        return SealedFile(
            data, hashlib.sha256(data).hexdigest(), rendered.pages, rendered.missing_glyphs
        )

    # -- step 3: on the vault's thread ------------------------------------------------------
    def record(self, prepared: PreparedExport, sealed: SealedFile) -> ExportRecord:
        ctx = self._ctx
        ctx.require(Permission.EXPORT)
        # S35 again: the rows may have been edited while the file was being sealed
        require_case_intact(
            ctx.db, prepared.case_id, user_id=ctx.actor.id, recipient_id=prepared.recipient.id,
            files=prepared.request.embed,
        )  # fmt: skip
        now = self._policy(prepared.view.case_reference, prepared.recipient, prepared.request)
        if now.withheld() != prepared.policy.withheld():  # the ledger changed while sealing
            raise ConsentRequired(
                _("The consent ledger changed while the file was being sealed; prepare it again.")
            )
        custody = prepared.view.custody
        with ctx.write("export.sealed", "case_file", prepared.case_id) as w:
            w.insert(
                "export_record",
                {
                    "id": custody.export_id,
                    "case_id": prepared.case_id,
                    "recipient_id": prepared.recipient.id,
                    "purpose": prepared.request.purpose.value,
                    "protection": prepared.protection,
                    "file_sha256": sealed.sha256,
                    "size": len(sealed.data),
                    "pages": sealed.pages,
                    "decisions": json.dumps(prepared.policy.withheld(), sort_keys=True),
                    "embedded": json.dumps([e.sha256 for e in prepared.embedded]),
                    "override_justification": custody.override_justification,
                    "signer_fingerprint": custody.signer_fingerprint,
                    "audit_head_seq": custody.audit_seq,
                    "audit_head_hash": custody.audit_head,
                    "exported_by": ctx.actor.id,
                    "exported_at": custody.claimed_time,
                },
            )
            w.details.update(
                {
                    "export_id": custody.export_id,
                    "case": prepared.view.case_reference,
                    "recipient": prepared.recipient.name,
                    "purpose": prepared.request.purpose.value,
                    "protection": prepared.protection,
                    "sha256": sealed.sha256,
                    "withheld": sorted(prepared.policy.withheld()),
                    "override": custody.override_justification is not None,
                }
            )
        return self.get(custody.export_id)

    def export(self, request: ExportRequest) -> tuple[ExportRecord, bytes]:
        """The whole sequence in memory (no file): see ``export_job``."""
        from intake_app.core.services.export_job import ExportJob

        self._ctx.require(Permission.EXPORT)
        record, sealed = ExportJob(self._services, request, None).run()
        return record, sealed.data

    # -- reading the record -----------------------------------------------------------------
    def get(self, export_id: str) -> ExportRecord:
        record = exports_repo.export_record_by_id(self._ctx.db, export_id)
        if record is None:
            raise NotFound(_("There is no export with this id."))
        return record

    def history(self, reference: str) -> list[ExportRecord]:
        self._ctx.require(Permission.CASE_READ)
        return exports_repo.export_records_of_case(
            self._ctx.db, self._ctx.case_row(reference)["id"]
        )

    def find_by_file(self, data: bytes) -> ExportRecord | None:
        """The export record of a sealed file, by the SHA-256 of its exact bytes."""
        self._ctx.require(Permission.CASE_READ)
        return exports_repo.export_record_by_file(self._ctx.db, hashlib.sha256(data).hexdigest())

    # -- rules ------------------------------------------------------------------------------
    def _recipient_certificate(
        self, recipient: RecipientRecord, request: ExportRequest
    ) -> x509.Certificate | None:
        if request.password is not None:
            check_password(request.password)
            return None
        certificate = recipients_repo.certificate_of(self._ctx.db, recipient.id)
        if certificate is None:
            raise InvalidInput(
                _(
                    "{name} has no certificate to encrypt to. Add their certificate, or seal "
                    "the file with a password given in a file."
                ).format(name=recipient.name)
            )
        return load_certificate(certificate, self._ctx.clock.now())

    def _category(self, recipient: RecipientRecord) -> str | None:
        return recipient.role if recipient.role in rules.RECIPIENT_CATEGORIES else None

    def _share_live(
        self, reference: str, recipient: RecipientRecord, request: ExportRequest
    ) -> bool:
        scopes = rules.recipient_scopes(recipient.id, self._category(recipient))
        return self._services.consent.status(reference, request.purpose, scopes).live

    def _policy(self, reference: str, recipient: RecipientRecord, request: ExportRequest) -> Policy:
        ctx = self._ctx
        ledger = self._services.consent.ledger(reference)
        target = Recipient(recipient.id, self._category(recipient))
        survivor = self._services.cases.survivor(reference)
        people = [p.id for p in self._services.cases.persons(reference)]
        primary = survivor.id if survivor else None
        policy = decide(ledger, target, ctx.now(), request.purpose, people=people, primary=primary)
        if policy.allowed:
            return policy
        if request.override_justification is None:
            raise ConsentRequired(
                _(
                    "Refused: the survivor has not given a live consent to share this case with "
                    "{name}. A coordinator may override with a written justification."
                ).format(name=recipient.name)
            )
        ctx.require(Permission.CONSENT_OVERRIDE)
        if len(request.override_justification.strip()) < MIN_JUSTIFICATION:
            raise InvalidInput(
                _("Write the legal basis and why it applies (at least a full sentence).")
            )
        return decide(
            ledger, target, ctx.now(), request.purpose, override=True, people=people,
            primary=primary,
        )  # fmt: skip

    def _embedded(
        self,
        reference: str,
        policy: Policy,
        wanted: tuple[str, ...],
        redact: Callable[[str], tuple[str, int]],
        *,
        read_files: bool = True,
    ) -> tuple[EmbeddedFile, ...]:
        if not wanted:
            return ()
        attachments = self._services.attachments
        by_id = {a.id: a for a in attachments.for_case(reference)}
        out, total = [], 0
        for attachment_id in dict.fromkeys(wanted):
            attachment = by_id.get(attachment_id)
            if attachment is None:
                raise NotFound(_("That attachment is not part of this case."))
            if not policy.includes(Section.ATTACHMENTS) or (
                is_media(attachment) and not policy.includes(Section.MEDIA)
            ):
                raise ConsentRequired(
                    _("{file} may not be shared with this recipient: {reason}").format(
                        file=attachment.filename,
                        reason=policy.sections[
                            Section.MEDIA if is_media(attachment) else Section.ATTACHMENTS
                        ].reason,
                    )
                )
            total += attachment.size
            if total > MAX_EMBEDDED:
                raise InvalidInput(
                    _("These files are too large to carry inside one sealed file (64 MB at most).")
                )
            out.append(
                EmbeddedFile(
                    redact(attachment.filename)[0],
                    attachment.media_type,
                    attachments.read(attachment.id) if read_files else b"",
                    attachment.sha256,
                )
            )
        return tuple(out)


def withheld_part(key: str) -> str:
    """A key of ``Policy.withheld()`` in words: a section, or answers of a sensitivity class."""
    kind, _sep, value = key.partition(":")
    if kind == "person":
        return _("a person of the case")
    if kind == "class":
        return _("answers marked {sensitivity}").format(sensitivity=value)
    return _(SECTION_NAMES[Section(key)])


def match_line(record: ExportRecord | None) -> str:
    """How a checked file relates to this vault's export records."""
    if record is None:
        return _("This vault has no record of exporting this exact file.")
    return _("Matches export {id} of case {case} for {recipient} at {time}.").format(
        id=record.id,
        case=record.case_reference,
        recipient=record.recipient_name,
        time=record.exported_at,
    )
