"""Service providers and referrals (records and lifecycle; the full workflow UI comes later)."""

from __future__ import annotations

from typing import Any

from intake_app.core import consent as rules
from intake_app.core.errors import ConsentRequired, InvalidInput
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import ProviderType, Purpose, Referral, ReferralStatus, ServiceProvider
from intake_app.core.referrals import OPEN, Override, check_transition, is_overdue
from intake_app.core.services.base import ServiceContext, as_json, new_id
from intake_app.core.services.cases import find_case_row
from intake_app.core.vault import repositories as repo
from intake_app.core.vault.repositories import referrals

S = ReferralStatus


class ReferralService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- providers ------------------------------------------------------------------------
    def add_provider(
        self,
        *,
        type: ProviderType,
        organisation: str,
        contact: str | None = None,
        languages: list[str] | None = None,
        locations: str | None = None,
        notes: str | None = None,
    ) -> ServiceProvider:
        ctx = self._ctx
        ctx.require(Permission.PROVIDER_WRITE)
        if not organisation.strip():
            raise InvalidInput(_("Give the organisation's name."))
        provider_id, now = new_id(), ctx.now()
        with ctx.write("provider.added", "service_provider", provider_id) as w:
            w.insert(
                "service_provider",
                {
                    "id": provider_id,
                    "type": type.value,
                    "organisation": organisation.strip(),
                    "contact": contact,
                    "languages": as_json(languages or []),
                    "locations": locations,
                    "notes": notes,
                    "created_at": now,
                    "updated_at": now,
                },
            )
        return self.provider(provider_id)

    def import_providers(self, data: bytes) -> tuple[list[ServiceProvider], int]:
        """Add every provider of a CSV directory in one transaction; returns those added and the
        number skipped because the same type and organisation are already in the directory."""
        from intake_app.core.provider_csv import parse_providers

        self._ctx.require(Permission.PROVIDER_WRITE)
        rows = parse_providers(data)
        known = {(p.type, p.organisation.casefold()) for p in self.providers()}
        added, skipped = [], 0
        with self._ctx.batch():
            for row in rows:
                key = (row.type, row.organisation.casefold())
                if key in known:
                    skipped += 1
                    continue
                known.add(key)
                added.append(
                    self.add_provider(
                        type=row.type,
                        organisation=row.organisation,
                        contact=row.contact,
                        languages=list(row.languages),
                        locations=row.locations,
                        notes=row.notes,
                    )
                )
        return added, skipped

    def provider(self, provider_id: str) -> ServiceProvider:
        return repo.provider(
            self._ctx.row(
                "service_provider", provider_id, _("That service provider is not in the directory.")
            )
        )

    def providers(self) -> list[ServiceProvider]:
        return referrals.providers(self._ctx.db)

    # -- referrals ------------------------------------------------------------------------
    def create(
        self,
        reference: str,
        *,
        provider_id: str,
        needs: str | None = None,
        due_at: str | None = None,
    ) -> Referral:
        ctx = self._ctx
        ctx.require(Permission.REFERRAL_WRITE)
        case = find_case_row(ctx, reference)
        provider = self.provider(provider_id)
        referral_id, now = new_id(), ctx.now()
        with ctx.write("referral.created", "referral", referral_id) as w:
            w.insert(
                "referral",
                {
                    "id": referral_id,
                    "case_id": case["id"],
                    "provider_id": provider.id,
                    "service_type": provider.type.value,
                    "status": S.DRAFT.value,
                    "needs": needs,
                    "due_at": due_at,
                    "created_by": ctx.actor.id,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            self._transition_row(w, referral_id, None, S.DRAFT, None)
            w.details.update({"case": case["reference"], "service_type": provider.type.value})
        return self.get(referral_id)

    def transition(
        self,
        referral_id: str,
        target: ReferralStatus,
        *,
        note: str | None = None,
        override_justification: str | None = None,
    ) -> Referral:
        ctx = self._ctx
        ctx.require(Permission.REFERRAL_WRITE)
        referral = self.get(referral_id)
        check_transition(referral.status, target)
        values: dict[str, Any] = {"status": target.value, "updated_at": ctx.now()}
        if target is S.SENT:
            values["override_justification"] = self._consent_gate(referral, override_justification)
        if target is S.DECLINED:
            values["decline_reason"] = _required(note, _("Record why the provider declined."))
        if target is S.COMPLETED:
            values["outcome"] = _required(note, _("Record the outcome of the referral."))
        if target is S.REVOKED:
            values["revoke_reason"] = _required(note, _("Record why the referral is revoked."))
        with ctx.write(f"referral.{target.value}", "referral", referral_id) as w:
            w.update("referral", referral_id, values)
            self._transition_row(w, referral_id, referral.status, target, note)
            w.details.update(
                {
                    "from": referral.status.value,
                    "to": target.value,
                    "override": bool(values.get("override_justification")),
                }
            )
        return self.get(referral_id)

    def _consent_gate(self, referral: Referral, justification: str | None) -> str | None:
        ctx = self._ctx
        ledger = repo.consents(ctx.db, referral.case_id)
        scopes = [f"provider:{referral.service_type.value}", "category:service_providers"]
        standing = rules.status(ledger, Purpose.REFER_SERVICES, scopes, ctx.now())
        if standing.live:
            return None
        if justification and justification.strip():
            ctx.require(Permission.CONSENT_OVERRIDE)
            return justification.strip()
        refused = _(
            "This referral cannot be sent: {reason} for referral to this kind of service."
        ).format(reason=standing.reason)
        if ctx.can(Permission.CONSENT_OVERRIDE):
            remedy = _(
                "As a coordinator you may override this: write the legal basis and why under "
                "“Override (coordinator)”; the override is audited and marked on the referral."
            )
        else:
            remedy = _(
                "An override exists: a coordinator may send it on another legal basis, written "
                "down and audited; ask a coordinator, or record the survivor's consent first."
            )
        raise ConsentRequired(refused + " " + remedy)

    def _transition_row(
        self,
        w: Any,
        referral_id: str,
        source: ReferralStatus | None,
        target: ReferralStatus,
        note: str | None,
    ) -> None:
        w.insert(
            "referral_transition",
            {
                "id": new_id(),
                "referral_id": referral_id,
                "from_status": source.value if source else None,
                "to_status": target.value,
                "at": self._ctx.now(),
                "by_user": self._ctx.actor.id,
                "note": note,
            },
        )

    def set_follow_up(self, referral_id: str, at: str | None) -> Referral:
        """The next date someone must check on this referral (None clears it)."""
        ctx = self._ctx
        ctx.require(Permission.REFERRAL_WRITE)
        referral = self.get(referral_id)
        if referral.status not in OPEN:
            raise InvalidInput(_("This referral is closed; it needs no follow-up."))
        exists = referrals.has_follow_up(ctx.db, referral_id)
        with ctx.write("referral.follow_up_set", "referral", referral_id) as w:
            values = {"follow_up_at": at, "set_by": ctx.actor.id, "set_at": ctx.now()}
            if at is None:
                if exists:
                    w.delete("referral_follow_up", referral_id)
            elif exists:
                w.update("referral_follow_up", referral_id, values)
            else:
                w.insert("referral_follow_up", {"id": referral_id, **values})
            w.details["follow_up_at"] = at
        return self.get(referral_id)

    def get(self, referral_id: str) -> Referral:
        self._ctx.require(Permission.REFERRAL_READ)
        (referral,) = referrals.with_follow_up(
            self._ctx.db,
            [
                repo.referral(
                    self._ctx.row("referral", referral_id, _("That referral is not in this vault."))
                )
            ],
        )
        return referral

    def for_case(self, reference: str) -> list[Referral]:
        self._ctx.require(Permission.REFERRAL_READ)
        rows = self._ctx.case_rows("referral", reference)
        return referrals.with_follow_up(self._ctx.db, [repo.referral(r) for r in rows])

    def overrides(self, found: list[Referral]) -> dict[str, Override]:
        """The coordinators' overrides among ``found``: who sent each, when and why."""
        self._ctx.require(Permission.REFERRAL_READ)
        sent = referrals.overrides(self._ctx.db, [r.id for r in found if r.override_justification])
        return {
            r.id: Override(r.id, *sent[r.id], r.override_justification)
            for r in found
            if r.override_justification and r.id in sent
        }

    def open_referrals(self, *, overdue_only: bool = False) -> list[Referral]:
        self._ctx.require(Permission.REFERRAL_READ)
        found = referrals.in_status(self._ctx.db, OPEN)
        now = self._ctx.now()
        return [r for r in found if is_overdue(r, now)] if overdue_only else found


def _required(value: str | None, message: str) -> str:
    if not value or not value.strip():
        raise InvalidInput(message)
    return value.strip()
