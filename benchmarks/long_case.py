"""A case whose sealed export runs to about ten pages: long bilingual testimony, several sealed
versions, answers, referrals, and a recipient to seal it for (with a password)."""

from __future__ import annotations

from intake_app.core.demo_texts import SENTENCES
from intake_app.core.records import Decision, PersonRole, Purpose, Readback
from intake_app.core.services import Services

RECIPIENT = "Benchmark investigation unit"


def make_long_case(services: Services) -> tuple[str, str]:
    reference = services.cases.open(languages=["ar", "en"]).reference
    services.cases.add_person(
        reference, role=PersonRole.SURVIVOR, pseudonym="Benchmark 1", legal_name="Benchmark Person",
        languages=["ar"],
    )  # fmt: skip
    arabic = " ".join(SENTENCES["ar"] * 2)
    english = " ".join(SENTENCES["en"] * 2)
    for number in range(3):
        statement = services.statements.create(
            reference, title=f"Interview {number + 1}", language="ar"
        )
        services.statements.save_draft(
            statement.current.id, text="\n".join([arabic] * 2), translation="\n".join([english] * 2),
            translation_language="en",
        )  # fmt: skip
        services.statements.seal(statement.current.id, readback=Readback.CONFIRMED)
    for purpose in (Purpose.RECORD_TESTIMONY, Purpose.SHARE_INVESTIGATORS):
        services.consent.record(
            reference, purpose=purpose, decision=Decision.GRANTED, explained_language="ar"
        )
    if not any(r.name == RECIPIENT for r in services.recipients.list()):
        services.recipients.add(
            name=RECIPIENT, organisation="Benchmark", role="investigators", language="en"
        )
    return reference, RECIPIENT
