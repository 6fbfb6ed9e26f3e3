"""The referral form for a provider: consent decides what is on it; it is audited when made."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from intake_app.core import consent as rules
from intake_app.core.errors import ConsentRequired, InvalidInput
from intake_app.core.export.policy import NO_IDENTITY
from intake_app.core.export.redact import NameRedactor
from intake_app.core.export.referral_form import (
    WITHHELD_CONTACT,
    ReferralFormView,
    render_referral_form,
)
from intake_app.core.i18n import N_, SHIPPED_LANGUAGES, _, current_language
from intake_app.core.labels import CHANNELS, PROVIDER_TYPES
from intake_app.core.permissions import Permission
from intake_app.core.records import Purpose, ReferralStatus
from intake_app.core.vault import repositories as repo
from intake_app.core.vault.case_check import require_case_intact

if TYPE_CHECKING:
    from intake_app.core.services import Services

BY_CONSENT = N_("the survivor consented to this referral")
BY_OVERRIDE = N_("a coordinator recorded another legal basis for this referral")


class ReferralFormService:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._ctx = services.ctx

    def form(self, referral_id: str, *, password: bytes | None = None) -> bytes:
        """The provider's form as PDF; sealed (AES-256, signed) when a password is given."""
        ctx, services = self._ctx, self._services
        view = self.view(referral_id)
        data = render_referral_form(view)
        if password is not None:
            from intake_app.core.export.sealing import check_password, seal_pdf

            check_password(password)
            data = seal_pdf(data, services.identities.current(), password=password)
        with ctx.write("referral.form_made", "referral", referral_id) as w:
            w.details.update(
                {
                    "provider": view.provider,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "identity": view.legal_name is not None,
                    "sealed": password is not None,
                }
            )
        return data

    def view(self, referral_id: str) -> ReferralFormView:
        """What the form will say (nothing withheld reaches it)."""
        ctx, services = self._ctx, self._services
        ctx.require(Permission.REFERRAL_WRITE)
        referral = services.referrals.get(referral_id)
        if referral.status in (ReferralStatus.REVOKED, ReferralStatus.DECLINED):
            raise InvalidInput(_("This referral is closed; no form is made for it."))
        provider = services.referrals.provider(referral.provider_id)
        case = ctx.row("case_file", referral.case_id, _("That case is not in this vault."))
        # S35: the referral, the provider, the consents, the people and the contact plan this
        # reads, checked against their last audited digests (vault/case_check.py)
        require_case_intact(ctx.db, referral.case_id, user_id=ctx.actor.id, files=())
        ledger = repo.consents(ctx.db, referral.case_id)
        now = ctx.now()
        provider_scopes = [f"provider:{referral.service_type.value}", "category:service_providers"]
        referred = rules.status(ledger, Purpose.REFER_SERVICES, provider_scopes, now).live
        if not referred and not referral.override_justification:
            raise ConsentRequired(
                _("The survivor has not consented to this referral; no form can be made.")
            )
        identity = rules.status(ledger, Purpose.DISCLOSE_IDENTITY, provider_scopes, now).live
        survivor = services.cases.survivor(case["reference"])
        persons = services.cases.persons(case["reference"])
        names = [] if identity else [p.legal_name for p in persons if p.legal_name]
        redact = NameRedactor(names, survivor.pseudonym if survivor else "—")
        plan = services.liaison.contact_plan(case["reference"])
        channels = tuple(
            channel
            for channel in (plan.safe_channels if plan else ())
            if rules.status(ledger, Purpose.CONTACT, [f"channel:{channel.value}"], now).live
        )
        language = next(
            (code for code in provider.languages if code in SHIPPED_LANGUAGES),
            current_language(),
        )
        view = ReferralFormView(
            language=language,
            referral_id=referral.id,
            service=PROVIDER_TYPES[referral.service_type],
            provider=provider.organisation,
            referred_on=now,
            answer_due=referral.due_at,
            referred_by=ctx.actor.display_name,
            pseudonym=survivor.pseudonym if survivor else "—",
            legal_name=survivor.legal_name if survivor and identity else None,
            date_of_birth=survivor.date_of_birth if survivor and identity else None,
            identity_withheld=None if identity else NO_IDENTITY,
            age_range=survivor.age_range if survivor else None,
            languages=survivor.languages if survivor else (),
            is_minor=bool(survivor and survivor.is_minor),
            needs=redact.text(referral.needs),
            contact_channels=tuple(CHANNELS[c] for c in channels),
            safe_times=plan.safe_times if plan and channels else None,
            contact_withheld=None if channels else WITHHELD_CONTACT,
            basis=BY_CONSENT if referred else BY_OVERRIDE,
        )
        return view
