"""Words for the ledger's and the registers' codes, as a person reads them (marked with N_,
translated where shown: in the interface language, or in a document's reader's language)."""

from __future__ import annotations

from collections.abc import Callable

from intake_app.core import consent as rules
from intake_app.core.i18n import N_, _
from intake_app.core.records import (
    Basis,
    Channel,
    Decision,
    GivenBy,
    PersonRole,
    ProviderType,
    Purpose,
    Readback,
    ReferralStatus,
    Role,
    UpdateKind,
    UpdateStatus,
)

# The codes the demo and imported records use for gender; anything else is shown as written.
GENDERS = {
    "female": N_("female"),
    "male": N_("male"),
    "non_binary": N_("non-binary"),
    "prefer_not_to_say": N_("prefers not to say"),
}

ROLE_NAMES = {
    Role.ADVOCATE: N_("advocate"),
    Role.INVESTIGATOR: N_("investigator"),
    Role.LIAISON: N_("liaison officer"),
    Role.COORDINATOR: N_("coordinator"),
}

PERSON_ROLES = {
    PersonRole.SURVIVOR: N_("survivor"),
    PersonRole.GUARDIAN: N_("parent or guardian"),
    PersonRole.WITNESS: N_("witness"),
    PersonRole.REPRESENTATIVE: N_("representative"),
    PersonRole.OTHER: N_("other"),
}

PURPOSES = {
    Purpose.RECORD_TESTIMONY: N_("Record the testimony"),
    Purpose.SHARE_INVESTIGATORS: N_("Share with investigators or prosecutors"),
    Purpose.REFER_SERVICES: N_("Refer to services"),
    Purpose.DISCLOSE_IDENTITY: N_("Disclose the survivor's identity"),
    Purpose.CONTACT: N_("Contact the survivor"),
    Purpose.STATISTICS: N_("Anonymous statistics"),
    Purpose.RECORD_MEDIA: N_("Record audio or photographs"),
}
MEANING = {
    Purpose.SHARE_INVESTIGATORS: N_(
        "Without it, nothing of this case is exported to investigators."
    ),
    Purpose.DISCLOSE_IDENTITY: N_("Without it, exports show the pseudonym, never the name."),
    Purpose.REFER_SERVICES: N_("Without it, referrals cannot be sent."),
    Purpose.CONTACT: N_("Without it, no update may be sent through that channel."),
    Purpose.RECORD_TESTIMONY: N_(
        "Without it, no statement is exported, and the testimony should not be recorded."
    ),
    Purpose.STATISTICS: N_("Without it, this case is left out of anonymous statistics."),
    Purpose.RECORD_MEDIA: N_("Without it, no photograph or recording leaves the vault."),
}
GIVEN_BY = {
    GivenBy.SURVIVOR: N_("the survivor"),
    GivenBy.GUARDIAN: N_("a parent or guardian"),
    GivenBy.REPRESENTATIVE: N_("a legal representative"),
    GivenBy.NOT_APPLICABLE: N_("another legal basis"),
}
SCOPE_WORDS = {
    "any": N_("anyone"),
    "category:investigators": N_("investigators"),
    "category:prosecutors": N_("prosecutors"),
    "category:service_providers": N_("service providers"),
}
STATES = {
    rules.ConsentState.LIVE: N_("granted"),
    rules.ConsentState.REFUSED: N_("refused"),
    rules.ConsentState.WITHDRAWN: N_("withdrawn"),
    rules.ConsentState.EXPIRED: N_("expired"),
    rules.ConsentState.NOT_ASKED: N_("not asked"),
}
DECISIONS = {
    Decision.GRANTED: N_("granted"),
    Decision.REFUSED: N_("refused"),
    Decision.NOT_ASKED: N_("not asked"),
}
BASES = {Basis.CONSENT: N_("consent"), Basis.OTHER_LEGAL_BASIS: N_("another legal basis")}
PROVIDER_TYPES = {
    ProviderType.MEDICAL: N_("medical care"),
    ProviderType.PSYCHOSOCIAL: N_("psychosocial support"),
    ProviderType.LEGAL_AID: N_("legal aid"),
    ProviderType.SHELTER: N_("shelter"),
    ProviderType.PROTECTION: N_("protection or witness protection"),
    ProviderType.LIVELIHOOD: N_("livelihood support"),
    ProviderType.OTHER: N_("other services"),
}
REFERRAL_STATUSES = {
    ReferralStatus.DRAFT: N_("draft"),
    ReferralStatus.SENT: N_("sent"),
    ReferralStatus.ACCEPTED: N_("accepted"),
    ReferralStatus.DECLINED: N_("declined"),
    ReferralStatus.COMPLETED: N_("completed"),
    ReferralStatus.REVOKED: N_("revoked"),
}

UPDATE_KINDS = {
    UpdateKind.HEARING: N_("hearing scheduled"),
    UpdateKind.ARREST: N_("arrest"),
    UpdateKind.EXTRADITION_REQUEST: N_("extradition request filed"),
    UpdateKind.DECISION: N_("decision"),
    UpdateKind.REFERRAL_OUTCOME: N_("referral outcome"),
    UpdateKind.GENERAL: N_("general news"),
}
UPDATE_STATUSES = {
    UpdateStatus.PREPARED: N_("prepared"),
    UpdateStatus.SENT: N_("sent"),
    UpdateStatus.DELIVERED: N_("delivered"),
    UpdateStatus.ACKNOWLEDGED: N_("acknowledged"),
    UpdateStatus.FAILED: N_("failed"),
}
CHANNELS = {
    Channel.PHONE: N_("phone call"),
    Channel.SMS: N_("text message (SMS)"),
    Channel.MESSAGING_APP: N_("messaging app"),
    Channel.EMAIL: N_("email"),
    Channel.LETTER: N_("letter"),
    Channel.IN_PERSON: N_("in person"),
    Channel.INTERMEDIARY: N_("through the trusted intermediary"),
}

READBACK = {
    Readback.CONFIRMED: N_("Read back to the survivor and confirmed"),
    Readback.DECLINED: N_("The survivor did not want it read back"),
    Readback.NOT_POSSIBLE: N_("Reading back was not possible"),
}


def scope_label(scope: str, tr: Callable[[str], str] = _) -> str:
    """A consent scope as a person reads it (channels and provider types by name, not by key)."""
    if scope in SCOPE_WORDS:
        return tr(SCOPE_WORDS[scope])
    kind, _sep, value = scope.partition(":")
    if kind == "provider" and value in ProviderType.__members__.values():
        return tr(PROVIDER_TYPES[ProviderType(value)])
    return (
        f"{tr(SCOPE_WORDS.get('category:' + kind, kind))}: {value}"
        if kind not in ("channel", "provider")
        else value.replace("_", " ")
    )
