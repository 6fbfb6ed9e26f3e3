"""What may leave the vault, for whom and why (docs/design.md §5): a pure function of the consent ledger.

``decide(ledger, recipient, purpose, at)`` answers, for every section and every sensitivity class,
*included* or *withheld* with the reason. The renderer only ever sees what is included; withheld
data never reaches it. Rules, most protective first:

- No live consent to share with this recipient (named, or its category, or anyone) → no export,
  unless a coordinator overrides with a written justification (checked and audited by the export
  service); the override only stands in for the sharing consent, never for identity or recording.
- Identity (the ``identifying`` class, names) only with a live consent to disclose identity to this
  recipient; otherwise the pseudonym stands in.
- Contact details need identity disclosure too: they identify.
- Testimony needs a live consent to record it (withdrawn, refused, expired or never asked: out).
- Photos and recordings need the consent to record media.
- Anything a form did not classify is withheld: we cannot know what it reveals.
- Each decision is a person's own: the case-wide verdicts follow the primary survivor's decisions
  (and those that name nobody); every other person of the case (a second survivor, a guardian, a
  witness) is named in the export only by their own decision to disclose their identity (a
  child's is recorded by the guardian on the child's behalf). Each person appears in ``people``,
  included or withheld with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from intake_app.core import consent as rules
from intake_app.core.forms.spec import Sensitivity
from intake_app.core.i18n import N_, _
from intake_app.core.records import Consent, Purpose


class Section(StrEnum):
    IDENTITY = "identity"
    CONSENT_SUMMARY = "consent_summary"
    STATEMENTS = "statements"
    ANSWERS = "answers"
    REFERRALS = "referrals"
    ATTACHMENTS = "attachments"
    MEDIA = "media"
    CHAIN_OF_CUSTODY = "chain_of_custody"


@dataclass(frozen=True)
class Recipient:
    """Who the export is for: a named recipient, and the category it belongs to."""

    id: str
    category: str | None  # investigators | prosecutors | service_providers | None (named only)


@dataclass(frozen=True)
class Verdict:
    included: bool
    reason_key: str  # an N_() message; shown through _() in the recipient's or user's language

    @property
    def reason(self) -> str:
        return _(self.reason_key)


@dataclass(frozen=True)
class Policy:
    allowed: bool
    reason_key: str
    sections: dict[Section, Verdict] = field(default_factory=dict)
    classes: dict[Sensitivity, Verdict] = field(default_factory=dict)
    people: dict[str, Verdict] = field(default_factory=dict)  # person id → their identity

    @property
    def reason(self) -> str:
        return _(self.reason_key)

    def includes(self, what: Section | Sensitivity) -> bool:
        verdict = self.sections.get(what) if isinstance(what, Section) else self.classes.get(what)
        return bool(self.allowed and verdict and verdict.included)

    def withheld(self) -> dict[str, str]:
        """Everything withheld, with why (for the preview and the audit record)."""
        out = {s.value: v.reason_key for s, v in self.sections.items() if not v.included}
        out.update(
            {f"class:{c.value}": v.reason_key for c, v in self.classes.items() if not v.included}
        )
        out.update({f"person:{p}": v.reason_key for p, v in self.people.items() if not v.included})
        return out

    def person_included(self, person_id: str) -> bool:
        verdict = self.people.get(person_id)
        return bool(self.allowed and verdict and verdict.included)


INCLUDED = N_("included: the survivor consented")
NO_SHARE = N_("withheld: no consent to share with this recipient")
NO_IDENTITY = N_("withheld: no consent to disclose the survivor's identity; the pseudonym is used")
NO_RECORDING = N_("withheld: the consent to record the testimony does not stand")
NO_MEDIA = N_("withheld: no consent to record audio or photographs")
UNCLASSIFIED = N_("withheld: the form did not say how sensitive this is")
ALWAYS = N_("included: needed to check the export")
PERSON_INCLUDED = N_("included: this person consented to disclose their identity")
PERSON_WITHHELD = N_("withheld: this person has not consented to disclose their identity")
OVERRIDDEN = N_("included: a coordinator recorded another legal basis for sharing")


def _verdict(
    included: bool, reason_when_withheld: str, reason_when_included: str = INCLUDED
) -> Verdict:
    return Verdict(True, reason_when_included) if included else Verdict(False, reason_when_withheld)


def decide(
    ledger: Iterable[Consent],
    recipient: Recipient,
    at: str,
    purpose: Purpose = Purpose.SHARE_INVESTIGATORS,
    *,
    override: bool = False,
    people: Sequence[str] = (),
    primary: str | None = None,
) -> Policy:
    """``people``: the ids of every person of the case; ``primary``: the case's survivor."""
    everyone = list(ledger)
    consents = rules.of_person(everyone, primary, primary) if primary else everyone
    scopes = rules.recipient_scopes(recipient.id, recipient.category)

    def live(wanted: Purpose) -> rules.LedgerStatus:
        return rules.status(consents, wanted, scopes, at)

    share = live(purpose)
    if not share.live and not override:
        withheld = Verdict(False, NO_SHARE)
        return Policy(
            False, NO_SHARE, {s: withheld for s in Section}, {c: withheld for c in Sensitivity},
            {p: withheld for p in people},
        )  # fmt: skip
    identity = live(Purpose.DISCLOSE_IDENTITY).live
    recorded = rules.status(consents, Purpose.RECORD_TESTIMONY, [], at).live
    media = rules.status(consents, Purpose.RECORD_MEDIA, [], at).live
    sections = {
        Section.IDENTITY: _verdict(identity, NO_IDENTITY),
        Section.CONSENT_SUMMARY: Verdict(True, ALWAYS),
        Section.STATEMENTS: _verdict(recorded, NO_RECORDING),
        Section.ANSWERS: Verdict(True, INCLUDED),
        Section.REFERRALS: Verdict(True, INCLUDED),
        Section.ATTACHMENTS: Verdict(True, INCLUDED),
        Section.MEDIA: _verdict(media, NO_MEDIA),
        Section.CHAIN_OF_CUSTODY: Verdict(True, ALWAYS),
    }
    classes = {
        Sensitivity.IDENTIFYING: _verdict(identity, NO_IDENTITY),
        Sensitivity.CONTACT: _verdict(identity, NO_IDENTITY),
        Sensitivity.NARRATIVE: _verdict(recorded, NO_RECORDING),
        Sensitivity.HEALTH: Verdict(True, INCLUDED),
        Sensitivity.SAFETY: Verdict(True, INCLUDED),
        Sensitivity.INCIDENT: Verdict(True, INCLUDED),
        Sensitivity.ADMIN: Verdict(True, INCLUDED),
        Sensitivity.UNCLASSIFIED: Verdict(False, UNCLASSIFIED),
    }
    verdicts = {}
    for person in people:
        own = everyone if primary is None else rules.of_person(everyone, person, primary)
        disclosed = rules.status(own, Purpose.DISCLOSE_IDENTITY, scopes, at).live
        verdicts[person] = _verdict(disclosed, PERSON_WITHHELD, PERSON_INCLUDED)
    return Policy(True, INCLUDED if share.live else OVERRIDDEN, sections, classes, verdicts)


__all__ = ["Policy", "Recipient", "Section", "Verdict", "decide"]
