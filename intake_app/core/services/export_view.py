"""Build the export view of one case for one recipient: only what the policy includes.

This is where withheld data is stopped: it is never copied into the view, so the renderer cannot
leak it. Free texts lose the names of the case's people when identity is withheld (redact.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from intake_app.core.export.policy import Policy, Section
from intake_app.core.export.redact import NameRedactor
from intake_app.core.export.view import (
    AnswerLine,
    AttachmentView,
    ConsentLine,
    FormAnswersView,
    PersonLine,
    ReferralView,
    StatementVersionView,
    SurvivorView,
    Withheld,
)
from intake_app.core.forms.spec import ATTACHMENT_TYPES, FormSpec, Group, QuestionType, Sensitivity
from intake_app.core.i18n import N_
from intake_app.core.labels import (
    BASES,
    DECISIONS,
    GIVEN_BY,
    PERSON_ROLES,
    PROVIDER_TYPES,
    PURPOSES,
    READBACK,
    REFERRAL_STATUSES,
)
from intake_app.core.records import (
    Attachment,
    Consent,
    Person,
    ReferralStatus,
    StatementStatus,
)
from intake_app.core.vault import repositories as repo

if TYPE_CHECKING:
    from intake_app.core.forms.session import FormSession
    from intake_app.core.services import Services

MEDIA_TYPES = ("image/", "audio/", "video/")
STATEMENTS = N_("Statements")
ANSWERS = N_("Form answers")
NAMES_IN_TEXT = N_(
    "The survivor's identity is withheld: names of the people in this case are replaced by the "
    "pseudonym in every text."
)
DRAFT_FORMS = N_("A form in this export was not completed: the file marks it as a draft.")
UNSEALED_LEFT_OUT = N_("Statements not yet sealed are not exported.")


def is_media(attachment: Attachment) -> bool:
    return attachment.media_type.startswith(MEDIA_TYPES)


class ViewBuilder:
    """Reads through the services (role checks apply) and keeps what the policy includes."""

    def __init__(
        self,
        services: Services,
        reference: str,
        policy: Policy,
        language: str,
        *,
        audited: bool = True,
    ) -> None:
        self.services = services
        self.audited = audited  # False for a preview: it reads, and shows, no testimony
        self.reference = reference
        self.policy = policy
        self.language = language
        self.persons = services.cases.persons(reference)
        self.survivor_person = services.cases.survivor(reference)
        pseudonym = self.survivor_person.pseudonym if self.survivor_person else "—"
        identity = policy.includes(Section.IDENTITY)
        # a name stays in the texts only when its own person's identity is included
        names = [
            p.legal_name
            for p in self.persons
            if p.legal_name
            and not (identity if not policy.people else policy.person_included(p.id))
        ]
        self.redact = NameRedactor(names, pseudonym)
        self.warnings: list[str] = [] if not names else [NAMES_IN_TEXT]
        self._user_names = {u.id: u.display_name for u in repo.users(services.ctx.db)}

    def user(self, user_id: str | None) -> str:
        return self._user_names.get(user_id or "", "—")

    def survivor(self) -> SurvivorView | None:
        person: Person | None = self.survivor_person
        if person is None:
            return None
        identity = self.policy.includes(Section.IDENTITY)
        return SurvivorView(
            pseudonym=person.pseudonym,
            legal_name=person.legal_name if identity else None,
            date_of_birth=person.date_of_birth if identity else None,
            age_range=person.age_range,
            gender=person.gender,
            languages=person.languages,
            is_minor=person.is_minor,
            identity_withheld=None
            if identity
            else self.policy.sections[Section.IDENTITY].reason_key,
        )

    def people(self) -> tuple[PersonLine, ...]:
        """Every person of the case, each with whether their identity leaves, and why."""
        out = []
        for person in self.persons:
            verdict = self.policy.people.get(person.id, self.policy.sections[Section.IDENTITY])
            included = self.policy.allowed and verdict.included
            out.append(
                PersonLine(
                    pseudonym=person.pseudonym,
                    legal_name=person.legal_name if included else None,
                    role=PERSON_ROLES[person.role],
                    is_minor=person.is_minor,
                    included=included,
                    reason=verdict.reason_key,
                )
            )
        return tuple(out)

    def _whose(self, consent: Consent) -> str | None:
        """Whose decision (naming nobody: the primary survivor's), as the export may name them."""
        people = {p.id: p for p in self.persons}
        person = people.get(consent.person_id or "") or self.survivor_person
        if person is None:
            return None
        verdict = self.policy.people.get(person.id)
        named = self.policy.allowed and verdict is not None and verdict.included
        return person.legal_name if named and person.legal_name else person.pseudonym

    def consents(self, ledger: list[Consent]) -> tuple[ConsentLine, ...]:
        return tuple(
            ConsentLine(
                purpose=PURPOSES[c.purpose],
                scope=self._scope(c.scope),
                decision=DECISIONS[c.decision],
                basis=BASES[c.basis],
                given_by=GIVEN_BY[c.given_by],
                explained_language=c.explained_language,
                recorded_at=c.recorded_at,
                expires_at=c.expires_at,
                withdrawn_at=c.withdrawn_at,
                justification=self.redact.text(c.justification),
                person=self._whose(c),
            )
            for c in ledger
        )

    def _scope(self, scope: str) -> str:
        """Named recipients by name (the ledger stores their id)."""
        kind, _sep, value = scope.partition(":")
        if kind == "recipient":
            names = {r.id: r.name for r in self.services.recipients.list()}
            return f"recipient:{names.get(value, value)}"
        return scope

    def statements(self) -> tuple[tuple[StatementVersionView, ...], Withheld | None, int]:
        verdict = self.policy.sections[Section.STATEMENTS]
        statements = self.services.statements.for_case(self.reference, audited=self.audited)
        drafts = sum(
            1 for s in statements for v in s.versions if v.status is not StatementStatus.SEALED
        )
        if not verdict.included:
            return (), Withheld(STATEMENTS, verdict.reason_key), 0
        out = []
        for statement in statements:
            for version in statement.versions:
                if version.status is not StatementStatus.SEALED or version.text is None:
                    continue
                text, in_text = self.redact(version.text)
                translation, in_translation = self.redact(version.translation or "")
                out.append(
                    StatementVersionView(
                        title=self.redact(statement.title)[0],
                        number=version.number,
                        language=version.language,
                        text=text,
                        translation=translation or None,
                        translation_language=version.translation_language,
                        sha256=version.sha256 or "",
                        sealed_by=self.user(version.sealed_by),
                        sealed_at=version.sealed_at or "",
                        readback=READBACK[version.readback] if version.readback else None,
                        amendment_reason=self.redact.text(version.amendment_reason),
                        names_replaced=in_text + in_translation,
                    )
                )
        if drafts:
            self.warnings.append(UNSEALED_LEFT_OUT)
        return tuple(out), None, drafts

    def answers(self) -> tuple[tuple[FormAnswersView, ...], Withheld | None]:
        verdict = self.policy.sections[Section.ANSWERS]
        if not verdict.included:
            return (), Withheld(ANSWERS, verdict.reason_key)
        forms = self.services.forms
        out = []
        for response in forms.for_case(self.reference):
            full = forms.session(response.id)
            spec = full.spec
            language = self.language if self.language in spec.languages else spec.default_language
            full.set_language(language)
            # Labels may quote other answers (${name}): they are filled from a copy that holds
            # only what the policy includes, so a label can never carry a withheld answer.
            from intake_app.core.forms.session import FormSession

            scrubbed = FormSession(
                spec, language=language, answers=self._scrub(spec, full.answers())
            )
            lines = self._answer_lines(full, scrubbed)
            if lines and response.status != "complete" and DRAFT_FORMS not in self.warnings:
                self.warnings.append(DRAFT_FORMS)
            if lines:
                out.append(
                    FormAnswersView(
                        title=spec.title,
                        form_version=spec.version,
                        status=response.status,
                        lines=tuple(lines),
                    )
                )
        return tuple(out), None

    def _allowed(self, sensitivity: Sensitivity, kind: QuestionType) -> tuple[bool, str]:
        if kind in ATTACHMENT_TYPES and not self.policy.includes(Section.MEDIA):
            return False, self.policy.sections[Section.MEDIA].reason_key
        verdict = self.policy.classes[sensitivity]
        return self.policy.includes(sensitivity), verdict.reason_key

    def _scrub(self, spec: FormSpec, scope: dict[str, Any]) -> dict[str, Any]:
        kept: dict[str, Any] = {}
        for key, value in scope.items():
            try:
                node = spec.node(key)
            except KeyError:
                continue
            if isinstance(node, Group):
                if node.repeat and isinstance(value, list):
                    kept[key] = [self._scrub(spec, v) for v in value if isinstance(v, dict)]
            elif self._allowed(node.sensitivity, node.type)[0]:
                kept[key] = value
        return kept

    def _answer_lines(self, full: FormSession, scrubbed: FormSession) -> list[AnswerLine]:
        lines: list[AnswerLine] = []
        seen_groups: set[tuple[str, tuple[tuple[str, int], ...]]] = set()
        for question, at in full.iter_questions():
            if not question.is_input or question.generated and not full.value(question.name, at):
                continue
            if not full.is_relevant(question.name, at):
                continue
            value = full.display(question.name, at)
            if not value.strip():
                continue
            for depth, group_name in enumerate(question.path):
                group_at = tuple(a for a in at if a[0] in question.path[: depth + 1])
                if (group_name, group_at) in seen_groups:
                    continue
                seen_groups.add((group_name, group_at))
                label = scrubbed.label(group_name, group_at)
                if group_at and group_at[-1][0] == group_name:
                    label = f"{label} #{group_at[-1][1] + 1}"
                lines.append(AnswerLine(self.redact(label)[0], None, None, depth))
            label = self.redact(scrubbed.label(question.name, at))[0]
            included, reason = self._allowed(question.sensitivity, question.type)
            depth = len(question.path)
            if included:
                lines.append(AnswerLine(label, self.redact(value)[0], None, depth))
            else:
                lines.append(AnswerLine(label, None, reason, depth))
        return lines

    def referrals(self) -> tuple[ReferralView, ...]:
        if not self.policy.includes(Section.REFERRALS):
            return ()
        out = []
        for referral in self.services.referrals.for_case(self.reference):
            provider = self.services.referrals.provider(referral.provider_id)
            result = {
                ReferralStatus.COMPLETED: referral.outcome,
                ReferralStatus.DECLINED: referral.decline_reason,
                ReferralStatus.REVOKED: referral.revoke_reason,
            }.get(referral.status)
            out.append(
                ReferralView(
                    service=PROVIDER_TYPES[referral.service_type],
                    organisation=provider.organisation,
                    status=REFERRAL_STATUSES[referral.status],
                    created_at=referral.created_at,
                    due_at=referral.due_at,
                    needs=self.redact.text(referral.needs),
                    result=self.redact.text(result),
                )
            )
        return tuple(out)

    def attachments(self, embed: set[str]) -> tuple[tuple[AttachmentView, ...], int, str | None]:
        if not self.policy.includes(Section.ATTACHMENTS):
            return (), 0, None
        media_ok = self.policy.includes(Section.MEDIA)
        kept, withheld = [], 0
        for attachment in self.services.attachments.for_case(self.reference):
            if is_media(attachment) and not media_ok:
                withheld += 1
                continue
            kept.append(
                AttachmentView(
                    filename=self.redact(attachment.filename)[0],
                    media_type=attachment.media_type,
                    size=attachment.size,
                    sha256=attachment.sha256,
                    description=self.redact.text(attachment.description),
                    embedded=attachment.id in embed,
                )
            )
        reason = self.policy.sections[Section.MEDIA].reason_key if withheld else None
        return tuple(kept), withheld, reason
