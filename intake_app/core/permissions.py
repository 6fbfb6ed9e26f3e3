"""Who may do what (docs/design.md §1). Services check these; the GUI only hides what they refuse anyway."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from intake_app.core.records import Channel, ContactPlan, Person, PersonRole, Role


class Permission(StrEnum):
    CASE_READ = "case.read"
    CASE_WRITE = "case.write"
    PERSON_WRITE = "person.write"
    IDENTITY_READ = "identity.read"  # legal names and dates of birth (S38)
    TESTIMONY_READ = "testimony.read"
    TESTIMONY_WRITE = "testimony.write"
    TESTIMONY_SEAL = "testimony.seal"
    INTERVIEW_RUN = "interview.run"
    FORM_READ = "form.read"
    FORM_WRITE = "form.write"
    FORM_MANAGE = "form.manage"
    CONSENT_READ = "consent.read"
    CONSENT_RECORD = "consent.record"
    CONSENT_OVERRIDE = "consent.override"
    ATTACHMENT_READ = "attachment.read"
    ATTACHMENT_WRITE = "attachment.write"
    ATTACHMENT_PURGE = "attachment.purge"
    REFERRAL_READ = "referral.read"
    REFERRAL_WRITE = "referral.write"
    PROVIDER_WRITE = "provider.write"
    CONTACT_PLAN_READ = "contact_plan.read"
    CONTACT_PLAN_WRITE = "contact_plan.write"
    LIAISON_WRITE = "liaison.write"
    EXPORT = "export"
    USER_MANAGE = "user.manage"
    RECIPIENT_MANAGE = "recipient.manage"
    AUDIT_READ = "audit.read"
    BACKUP = "backup"
    KEY_ROTATE = "key.rotate"
    VAULT_SETTINGS = "vault.settings"  # the idle-lock time and other settings of the vault


P = Permission
_COMMON = {P.CASE_READ, P.CONSENT_READ, P.REFERRAL_READ, P.CONTACT_PLAN_READ}

# What taking testimony needs, for advocates and investigators alike.
_TESTIMONY_WORK = {
    P.CASE_WRITE,
    P.PERSON_WRITE,
    P.IDENTITY_READ,
    P.TESTIMONY_READ,
    P.TESTIMONY_WRITE,
    P.TESTIMONY_SEAL,
    P.INTERVIEW_RUN,
    P.FORM_READ,
    P.FORM_WRITE,
    P.CONSENT_RECORD,
    P.ATTACHMENT_READ,
    P.ATTACHMENT_WRITE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADVOCATE: frozenset(
        _COMMON | _TESTIMONY_WORK | {P.REFERRAL_WRITE, P.CONTACT_PLAN_WRITE, P.LIAISON_WRITE}
    ),
    Role.INVESTIGATOR: frozenset(_COMMON | _TESTIMONY_WORK | {P.EXPORT}),
    # Need-to-know: contact and follow-up, never the testimony, the answers or the evidence.
    Role.LIAISON: frozenset(_COMMON | {P.CONTACT_PLAN_WRITE, P.LIAISON_WRITE, P.REFERRAL_WRITE}),
    Role.COORDINATOR: frozenset(Permission),
}


def allowed(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


# Channels that reach a survivor by their name: a letter is addressed, a visit asks for them.
NAMED_CHANNELS = frozenset({Channel.LETTER, Channel.IN_PERSON})


def contact_view(person: Person, plan: ContactPlan | None, survivor_is_minor: bool) -> Person:
    """A person as a role without IDENTITY_READ sees them (S38): never the date of birth; the
    legal name only of whom the contact plan reaches by name (the survivor, or the guardian of a
    child survivor), and only when one of its safe channels needs a name."""
    contacted = person.role in (
        {PersonRole.SURVIVOR, PersonRole.GUARDIAN} if survivor_is_minor else {PersonRole.SURVIVOR}
    )
    named = plan is not None and bool(NAMED_CHANNELS & set(plan.safe_channels))
    return replace(
        person,
        date_of_birth=None,
        legal_name=person.legal_name if contacted and named else None,
    )
