"""The domain's plain records: frozen dataclasses and enums. Repositories return these, never rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ADVOCATE = "advocate"
    INVESTIGATOR = "investigator"
    LIAISON = "liaison"
    COORDINATOR = "coordinator"


class CaseStatus(StrEnum):
    OPEN = "open"
    ACTIVE = "active"
    CLOSED = "closed"
    ARCHIVED = "archived"


class PersonRole(StrEnum):
    SURVIVOR = "survivor"
    GUARDIAN = "guardian"
    WITNESS = "witness"
    REPRESENTATIVE = "representative"
    OTHER = "other"


class StatementStatus(StrEnum):
    DRAFT = "draft"
    SEALED = "sealed"


class Readback(StrEnum):
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    NOT_POSSIBLE = "not_possible"


class Purpose(StrEnum):
    RECORD_TESTIMONY = "record_testimony"
    SHARE_INVESTIGATORS = "share_investigators"
    REFER_SERVICES = "refer_services"
    DISCLOSE_IDENTITY = "disclose_identity"
    CONTACT = "contact"
    STATISTICS = "statistics"
    RECORD_MEDIA = "record_media"


class Decision(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    NOT_ASKED = "not_asked"


class GivenBy(StrEnum):
    SURVIVOR = "survivor"
    GUARDIAN = "guardian"
    REPRESENTATIVE = "representative"
    NOT_APPLICABLE = "not_applicable"


class Basis(StrEnum):
    CONSENT = "consent"
    OTHER_LEGAL_BASIS = "other_legal_basis"


class ProviderType(StrEnum):
    MEDICAL = "medical"
    PSYCHOSOCIAL = "psychosocial"
    LEGAL_AID = "legal_aid"
    SHELTER = "shelter"
    PROTECTION = "protection"
    LIVELIHOOD = "livelihood"
    OTHER = "other"


class ReferralStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COMPLETED = "completed"
    REVOKED = "revoked"


class Channel(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    MESSAGING_APP = "messaging_app"
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"
    INTERMEDIARY = "intermediary"


class UpdateKind(StrEnum):
    HEARING = "hearing"
    ARREST = "arrest"
    EXTRADITION_REQUEST = "extradition_request"
    DECISION = "decision"
    REFERRAL_OUTCOME = "referral_outcome"
    GENERAL = "general"


class UpdateStatus(StrEnum):
    PREPARED = "prepared"
    SENT = "sent"
    DELIVERED = "delivered"
    ACKNOWLEDGED = "acknowledged"
    FAILED = "failed"


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    role: Role
    created_at: str
    removed_at: str | None = None


@dataclass(frozen=True)
class CaseSummary:
    id: str
    reference: str
    status: CaseStatus
    languages: tuple[str, ...]
    updated_at: str
    pseudonym: str | None = None  # the survivor's (else the first person's): never identifying
    people: int = 0
    members: str = ""  # the usernames assigned to it, comma-separated


@dataclass(frozen=True)
class Case:
    id: str
    reference: str
    status: CaseStatus
    tags: tuple[str, ...]
    languages: tuple[str, ...]
    assigned: tuple[str, ...]
    created_by: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Person:
    id: str
    case_id: str
    role: PersonRole
    legal_name: str | None
    pseudonym: str
    date_of_birth: str | None
    age_range: str | None
    gender: str | None
    languages: tuple[str, ...]
    is_minor: bool
    notes: str | None


@dataclass(frozen=True)
class StatementVersion:
    id: str
    statement_id: str
    number: int
    session_id: str | None
    language: str
    text: str | None  # None when the reader's role may not see testimony
    translation: str | None
    translation_language: str | None
    translator: str | None
    status: StatementStatus
    sha256: str | None
    sealed_by: str | None
    sealed_at: str | None
    readback: Readback | None
    readback_note: str | None
    supersedes_id: str | None
    amendment_reason: str | None
    created_by: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Statement:
    id: str
    case_id: str
    person_id: str | None
    title: str
    created_by: str
    created_at: str
    versions: tuple[StatementVersion, ...] = field(default=())

    @property
    def current(self) -> StatementVersion:
        return self.versions[-1]


@dataclass(frozen=True)
class SessionBreak:
    id: str
    started_at: str
    ended_at: str | None
    reason: str


@dataclass(frozen=True)
class InterviewSession:
    id: str
    case_id: str
    interviewer_id: str
    interpreter: str | None
    persons_present: tuple[str, ...]
    location: str | None
    status: str
    started_at: str
    ended_at: str | None
    stopped_early: bool
    survivor_instruction: str | None
    breaks: tuple[SessionBreak, ...] = field(default=())


@dataclass(frozen=True)
class Attachment:
    id: str
    case_id: str
    filename: str
    media_type: str
    size: int
    sha256: str
    derived_from: str | None
    description: str | None
    created_by: str
    created_at: str


@dataclass(frozen=True)
class Consent:
    id: str
    case_id: str
    person_id: str | None
    purpose: Purpose
    scope: str
    decision: Decision
    basis: Basis
    justification: str | None
    override_by: str | None
    given_by: GivenBy
    child_assent: str | None
    explained_language: str | None
    interpreter: str | None
    notes: str | None
    recorded_by: str
    recorded_at: str
    expires_at: str | None
    withdrawn_at: str | None
    withdrawn_by: str | None
    withdrawal_reason: str | None


@dataclass(frozen=True)
class ServiceProvider:
    id: str
    type: ProviderType
    organisation: str
    contact: str | None
    languages: tuple[str, ...]
    locations: str | None
    notes: str | None


@dataclass(frozen=True)
class Referral:
    id: str
    case_id: str
    provider_id: str
    service_type: ProviderType
    status: ReferralStatus
    needs: str | None
    due_at: str | None
    decline_reason: str | None
    outcome: str | None
    revoke_reason: str | None
    override_justification: str | None
    created_by: str
    created_at: str
    updated_at: str
    follow_up_at: str | None = None


@dataclass(frozen=True)
class Promise:
    """News promised to a survivor by a date; kept when the news was given."""

    id: str
    case_id: str
    update_id: str | None
    what: str
    due_at: str
    made_by: str
    made_at: str
    kept_at: str | None
    kept_by: str | None
    kept_note: str | None


@dataclass(frozen=True)
class ContactPlan:
    case_id: str
    safe_channels: tuple[Channel, ...]
    unsafe_channels: tuple[Channel, ...]
    safe_times: str | None
    code_word: str | None
    intermediary: str | None
    preferred_language: str | None
    notes: str | None
    updated_by: str
    updated_at: str


@dataclass(frozen=True)
class LiaisonUpdate:
    id: str
    case_id: str
    kind: UpdateKind
    channel: Channel
    language: str
    body: str
    status: UpdateStatus
    feedback_due: str | None
    failure_reason: str | None
    prepared_by: str
    prepared_at: str
    updated_at: str


@dataclass(frozen=True)
class Recipient:
    id: str
    name: str
    organisation: str
    role: str | None
    language: str | None
    fingerprint: str | None
    created_at: str


@dataclass(frozen=True)
class FormResponse:
    id: str
    case_id: str
    form_id: str
    form_version: str
    languages: tuple[str, ...]
    answers: str  # JSON keyed by XLSForm name
    status: str
    created_by: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class SearchHit:
    case_id: str
    reference: str
    kind: str
    snippet: str


@dataclass(frozen=True)
class FormDefinition:
    id: str
    form_id: str
    version: str
    title: str
    languages: tuple[str, ...]
    source_name: str
    sha256: str
    shipped: bool
    added_at: str


@dataclass(frozen=True)
class ExportRecord:
    """One sealed file that left the vault (its content is not kept; its fingerprint is)."""

    id: str
    case_id: str
    case_reference: str
    recipient_id: str
    recipient_name: str
    purpose: Purpose
    protection: str  # certificate | password
    file_sha256: str
    size: int
    pages: int
    withheld: dict[str, str]  # what → reason key
    embedded: tuple[str, ...]  # SHA-256 of the evidence files carried inside
    override_justification: str | None
    signer_fingerprint: str
    audit_head_seq: int
    audit_head_hash: str
    exported_by: str
    exported_at: str
