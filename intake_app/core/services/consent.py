"""The consent ledger: record, withdraw, override by another legal basis; query what stands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from intake_app.core import consent as rules
from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import Basis, Consent, Decision, ExportRecord, GivenBy, Purpose
from intake_app.core.services.base import ServiceContext, new_id
from intake_app.core.services.cases import find_case_row
from intake_app.core.vault import repositories as repo
from intake_app.core.vault.repositories import exports, people

if TYPE_CHECKING:
    from intake_app.core.forms.consent_binding import ConsentAnswer

CHILD_ASSENT = ("given", "refused", "not_asked")


class ConsentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def record(
        self,
        reference: str,
        *,
        purpose: Purpose,
        scope: str = rules.ANY,
        decision: Decision,
        given_by: GivenBy = GivenBy.SURVIVOR,
        person_id: str | None = None,
        child_assent: str | None = None,
        explained_language: str | None = None,
        interpreter: str | None = None,
        expires_at: str | None = None,
        notes: str | None = None,
    ) -> Consent:
        ctx = self._ctx
        ctx.require(Permission.CONSENT_RECORD)
        case = find_case_row(ctx, reference)
        self._check_scope(scope)
        survivor = (
            people.survivor(ctx.db, case["id"])
            if person_id is None
            else people.in_case(ctx.db, case["id"], person_id)
        )
        if child_assent is not None and child_assent not in CHILD_ASSENT:
            raise InvalidInput(_("Child assent is one of: given, refused, not asked."))
        if survivor is not None and survivor.is_minor and decision is Decision.GRANTED:
            if given_by not in (GivenBy.GUARDIAN, GivenBy.REPRESENTATIVE):
                raise InvalidInput(
                    _(
                        "For a child, consent is given by a guardian or representative, with the child's assent."
                    )
                )
            if child_assent is None:
                raise InvalidInput(_("Record whether the child assented."))
            if child_assent == "refused":
                raise InvalidInput(_("The child did not assent: record a refusal, not consent."))
        if decision is not Decision.NOT_ASKED and not explained_language:
            raise InvalidInput(_("Record the language in which the purpose was explained."))
        consent_id = new_id()
        with ctx.write("consent.recorded", "consent", consent_id) as w:
            w.insert(
                "consent",
                {
                    "id": consent_id,
                    "case_id": case["id"],
                    "person_id": survivor.id if survivor else None,
                    "purpose": purpose.value,
                    "scope": scope,
                    "decision": decision.value,
                    "basis": Basis.CONSENT.value,
                    "given_by": given_by.value,
                    "child_assent": child_assent,
                    "explained_language": explained_language,
                    "interpreter": interpreter,
                    "notes": notes,
                    "recorded_by": ctx.actor.id,
                    "recorded_at": ctx.now(),
                    "expires_at": expires_at,
                },
            )
            w.details.update(
                {
                    "case": case["reference"],
                    "purpose": purpose.value,
                    "scope": scope,
                    "decision": decision.value,
                }
            )
        return self._get(consent_id)

    def record_from_form(self, reference: str, answers: list[ConsentAnswer]) -> list[Consent]:
        """Ledger entries from a completed consent form (one per answered decision)."""
        recorded = []
        for answer in answers:
            details = answer.details
            expires = details.get("expires")
            recorded.append(
                self.record(
                    reference,
                    purpose=answer.purpose,
                    scope=answer.scope,
                    decision=answer.decision,
                    given_by=GivenBy(details.get("given_by", GivenBy.SURVIVOR.value)),
                    child_assent=details.get("child_assent"),
                    explained_language=details.get("explained_language"),
                    interpreter=details.get("interpreter"),
                    expires_at=f"{expires}T23:59:59.999999Z" if expires else None,
                    notes=_("Recorded from the consent form."),
                )
            )
        return recorded

    def withdraw(self, consent_id: str, reason: str) -> tuple[Consent, list[ExportRecord]]:
        """Withdrawal takes effect at once; returns the earlier exports of the case to follow up."""
        ctx = self._ctx
        ctx.require(Permission.CONSENT_RECORD)
        consent = self._get(consent_id)
        if consent.withdrawn_at:
            raise InvalidInput(_("This consent has already been withdrawn."))
        if not reason.strip():
            raise InvalidInput(_("Record the reason the survivor gave, or 'no reason given'."))
        with ctx.write("consent.withdrawn", "consent", consent_id) as w:
            w.update(
                "consent",
                consent_id,
                {
                    "withdrawn_at": ctx.now(),
                    "withdrawn_by": ctx.actor.id,
                    "withdrawal_reason": reason.strip(),
                },
            )
            w.details.update({"purpose": consent.purpose.value, "scope": consent.scope})
        return self._get(consent_id), self.exports_of_case(consent.case_id, consent.purpose)

    def override(
        self, reference: str, *, purpose: Purpose, scope: str, justification: str
    ) -> Consent:
        """Another legal basis stands in for consent: coordinator only, written justification, audited."""
        ctx = self._ctx
        ctx.require(Permission.CONSENT_OVERRIDE)
        self._check_scope(scope)
        if len(justification.strip()) < 20:
            raise InvalidInput(
                _("Write the legal basis and why it applies (at least a full sentence).")
            )
        case = find_case_row(ctx, reference)
        consent_id = new_id()
        with ctx.write("consent.override", "consent", consent_id) as w:
            w.insert(
                "consent",
                {
                    "id": consent_id,
                    "case_id": case["id"],
                    "purpose": purpose.value,
                    "scope": scope,
                    "decision": Decision.GRANTED.value,
                    "basis": Basis.OTHER_LEGAL_BASIS.value,
                    "justification": justification.strip(),
                    "override_by": ctx.actor.id,
                    "given_by": GivenBy.NOT_APPLICABLE.value,
                    "recorded_by": ctx.actor.id,
                    "recorded_at": ctx.now(),
                },
            )
            w.details.update({"case": case["reference"], "purpose": purpose.value, "scope": scope})
        return self._get(consent_id)

    def ledger(self, reference: str) -> list[Consent]:
        self._ctx.require(Permission.CONSENT_READ)
        return repo.consents(self._ctx.db, find_case_row(self._ctx, reference)["id"])

    def status(
        self, reference: str, purpose: Purpose, scopes: Sequence[str] = ()
    ) -> rules.LedgerStatus:
        return rules.status(self.ledger(reference), purpose, scopes, self._ctx.now())

    def exports_of_case(self, case_id: str, purpose: Purpose | None = None) -> list[ExportRecord]:
        """The sealed files already sent from this case: their recipients may need to be told.
        A sharing consent concerns the exports made for that purpose; any other, every export."""
        records = exports.export_records_of_case(self._ctx.db, case_id)
        if purpose in (Purpose.SHARE_INVESTIGATORS, Purpose.REFER_SERVICES):
            records = [r for r in records if r.purpose is purpose]
        return records

    def _get(self, consent_id: str) -> Consent:
        return repo.consent(
            self._ctx.row("consent", consent_id, _("That consent record is not in this vault."))
        )

    @staticmethod
    def _check_scope(scope: str) -> None:
        if not rules.valid_scope(scope):
            raise InvalidInput(_("The consent scope is not valid: {scope}.").format(scope=scope))
