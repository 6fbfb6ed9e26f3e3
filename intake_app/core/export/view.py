"""The export view: everything the renderer may see, and nothing else (docs/design.md §6 step 1).

It is built from the policy; withheld data never enters it, only a marker with the reason. Texts
are final (names already replaced when identity is withheld); the renderer only lays them out.
Reason and label fields hold message keys (``N_``), translated into the recipient's language
when rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Withheld:
    what: str  # message key: what kind of information
    reason: str  # message key: why


@dataclass(frozen=True)
class SurvivorView:
    pseudonym: str
    legal_name: str | None  # only with a live identity-disclosure consent
    date_of_birth: str | None
    age_range: str | None
    gender: str | None
    languages: tuple[str, ...]
    is_minor: bool
    identity_withheld: str | None  # reason key, when the pseudonym stands in


@dataclass(frozen=True)
class PersonLine:
    """One person of the case, always listed: named only when their identity is included."""

    pseudonym: str
    legal_name: str | None  # only with that person's (or their guardian's) live consent
    role: str  # label key
    is_minor: bool
    included: bool
    reason: str  # reason key


@dataclass(frozen=True)
class ConsentLine:
    purpose: str  # label key
    scope: str  # already in words
    decision: str  # label key
    basis: str  # label key
    given_by: str  # label key
    explained_language: str | None
    recorded_at: str
    expires_at: str | None
    withdrawn_at: str | None
    justification: str | None
    person: str | None = None  # whose decision: their name if included, else the pseudonym


@dataclass(frozen=True)
class StatementVersionView:
    title: str
    number: int
    language: str
    text: str
    translation: str | None
    translation_language: str | None
    sha256: str
    sealed_by: str
    sealed_at: str
    readback: str | None
    amendment_reason: str | None
    names_replaced: int = 0


@dataclass(frozen=True)
class AnswerLine:
    label: str
    value: str | None  # None when withheld
    withheld: str | None = None  # reason key
    depth: int = 0  # nesting inside groups and repeats


@dataclass(frozen=True)
class FormAnswersView:
    title: str
    form_version: str
    status: str
    lines: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class ReferralView:
    service: str  # label key
    organisation: str
    status: str  # label key
    created_at: str
    due_at: str | None
    needs: str | None
    result: str | None  # outcome, decline or revocation reason


@dataclass(frozen=True)
class AttachmentView:
    filename: str
    media_type: str
    size: int
    sha256: str
    description: str | None
    embedded: bool


@dataclass(frozen=True)
class CustodyView:
    export_id: str
    exporter: str
    signer_fingerprint: str
    recipient_fingerprint: str | None
    protection: str  # "certificate" | "password"
    claimed_time: str
    audit_seq: int
    audit_head: str
    app_version: str
    decisions: tuple[tuple[str, bool, str], ...]  # (what, included, reason key)
    override_justification: str | None


@dataclass(frozen=True)
class ExportView:
    language: str  # the recipient's: labels, dates and layout direction
    case_reference: str
    recipient_name: str
    recipient_organisation: str
    purpose: str  # label key
    survivor: SurvivorView | None
    consents: tuple[ConsentLine, ...]
    statements: tuple[StatementVersionView, ...]
    statements_withheld: Withheld | None
    drafts_left_out: int
    answers: tuple[FormAnswersView, ...]
    answers_withheld: Withheld | None
    referrals: tuple[ReferralView, ...]
    attachments: tuple[AttachmentView, ...]
    media_withheld: int
    media_reason: str | None
    custody: CustodyView
    warnings: tuple[str, ...] = field(default=())  # message keys, for the preview
    people: tuple[PersonLine, ...] = field(default=())  # everyone in the case, included or not
