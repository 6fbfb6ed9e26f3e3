"""Realistic synthetic cases for trying the app (``intake-app demo``) and for benchmarks.

Everything written goes through the services, so demo data is audited like real data. The content
(languages, texts, decisions, states) is a pure function of the seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from intake_app.core import consent as rules
from intake_app.core.clock import iso
from intake_app.core.demo_texts import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    INJURIES,
    PERIODS,
    PERPETRATORS,
    PLACES,
    PROVIDERS,
    PSEUDONYMS,
    SENTENCES,
    UPDATES,
)
from intake_app.core.i18n import N_, SHIPPED_LANGUAGES, translator
from intake_app.core.permissions import Permission
from intake_app.core.records import (
    Channel,
    Decision,
    GivenBy,
    PersonRole,
    ProviderType,
    Purpose,
    Readback,
    ReferralStatus,
    UpdateKind,
    UpdateStatus,
)
from intake_app.core.services import Services

LANGUAGES = SHIPPED_LANGUAGES  # demo cases are conducted in every language the app ships
INCIDENT = "incident"  # the shipped form every demo case answers
_DATE_FORMATS = {"uk": "{d:02d}.{m:02d}.{y}"}
# Paths through the referral lifecycle so a demo vault shows every state.
_REFERRAL_PATHS = (
    (),
    (ReferralStatus.SENT,),
    (ReferralStatus.SENT, ReferralStatus.ACCEPTED),
    (ReferralStatus.SENT, ReferralStatus.DECLINED),
    (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED),
    (ReferralStatus.REVOKED,),
)
_NOTES = {
    ReferralStatus.DECLINED: "No capacity this month; suggested another provider.",
    ReferralStatus.COMPLETED: "Follow-up appointments completed.",
    ReferralStatus.REVOKED: "The survivor changed her mind about this service.",
}


def testimony(
    rng: random.Random, language: str, indices: list[int], name: str, place: str, date: str
) -> str:
    sentences = SENTENCES[language]
    return " ".join(sentences[i].format(name=name, place=place, date=date) for i in indices)


def _date(rng: random.Random, language: str) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.choice((2022, 2023, 2024, 2025))
    return _DATE_FORMATS.get(language, "{d:02d}/{m:02d}/{y}").format(d=day, m=month, y=year)


def ensure_providers(services: Services) -> list[str]:
    existing = services.referrals.providers()
    if existing or not services.ctx.can(Permission.PROVIDER_WRITE):
        return [p.id for p in existing]
    return [
        services.referrals.add_provider(
            type=ProviderType(kind),
            organisation=name,
            languages=langs,
            contact="+000 000 000",
            locations="Regional office",
        ).id
        for kind, name, langs in PROVIDERS
    ]


# Demo recipients have no certificate (nobody holds a demo key): seal for them with a password.
RECIPIENTS = (
    ("Investigation Unit 3 (demo)", "Office of the Prosecutor", "investigators", "en"),
    ("وحدة التحقيق 7 (تجريبي)", "النيابة العامة", "prosecutors", "ar"),
)


def ensure_recipients(services: Services) -> None:
    if services.recipients.list() or not services.ctx.can(Permission.RECIPIENT_MANAGE):
        return
    for name, organisation, category, language in RECIPIENTS:
        services.recipients.add(
            name=name, organisation=organisation, role=category, language=language
        )


def generate(
    services: Services,
    count: int,
    *,
    seed: int = 1,
    per_commit: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Create ``count`` cases, ``per_commit`` per transaction (every write is still audited);
    returns their references in creation order."""
    rng = random.Random(seed)
    providers = ensure_providers(services)
    ensure_recipients(services)
    incident = _incident_form(services)
    references: list[str] = []
    while len(references) < count:
        with services.ctx.batch():
            for _index in range(min(per_commit, count - len(references))):
                references.append(_one_case(services, rng, providers, incident))
        if progress is not None:
            progress(len(references))
    return references


def _incident_form(services: Services) -> str | None:
    """The version of the shipped incident form the demo answers, if this user may fill forms."""
    if not services.ctx.can(Permission.FORM_WRITE):
        return None
    return next(
        (f.version for f in services.form_definitions.list() if f.form_id == INCIDENT), None
    )


def _one_case(
    services: Services, rng: random.Random, providers: list[str], incident: str | None
) -> str:
    ctx = services.ctx
    language = rng.choice(LANGUAGES)
    interpreted = language != "en" and rng.random() < 0.5
    case = services.cases.open(
        languages=[language, "en"] if interpreted else [language],
        tags=rng.sample(["detention", "displacement", "property", "disappearance"], 2),
    )
    ref = case.reference
    given, family = rng.choice(GIVEN_NAMES[language]), rng.choice(FAMILY_NAMES[language])
    minor = rng.random() < 0.1
    survivor = services.cases.add_person(
        ref,
        role=PersonRole.SURVIVOR,
        legal_name=f"{given} {family}",
        pseudonym=f"{rng.choice(PSEUDONYMS[language])} {rng.randint(1, 99)}",
        age_range="13-17" if minor else rng.choice(["18-25", "26-40", "41-60", "60+"]),
        gender=rng.choice(["female", "male", "prefer_not_to_say"]),
        languages=[language],
        is_minor=minor,
    )
    if minor:
        services.cases.add_person(
            ref,
            role=PersonRole.GUARDIAN,
            legal_name=f"{rng.choice(GIVEN_NAMES[language])} {family}",
            pseudonym=f"{rng.choice(PSEUDONYMS[language])} G",
            languages=[language],
        )
    _consents(services, rng, ref, language, minor, interpreted)
    if ctx.can(Permission.TESTIMONY_WRITE):
        _interview_and_statement(services, rng, ref, language, interpreted, survivor.id)
    if incident is not None:
        services.forms.save(
            ref,
            form_id=INCIDENT,
            form_version=incident,
            languages=[language],
            answers=incident_answers(rng, language),
            status="complete",
        )
    _referrals(services, rng, ref, providers, language)
    _liaison(services, rng, ref, language, survivor.pseudonym)
    return ref


def incident_answers(rng: random.Random, language: str) -> dict[str, object]:
    """Answers to the shipped incident form, shaped as a FormSession stores them (a test runs
    them through one); built directly because a session costs ~11 ms, hours at 100,000 cases."""
    answers: dict[str, object] = {
        "what_happened": " ".join(
            sorted(rng.sample(["detention", "disappearance", "ill_treatment", "property"], 2))
        ),
        "place": rng.choice(PLACES[language]),
        "witnesses_present": rng.choice(["no", "dont_know", "prefer_not"]),
        "evidence": rng.choice(["photos", "documents medical_records", "none"]),
    }
    if rng.random() < 0.6:
        answers["date_known"] = "approximate"
        answers["incident_period"] = PERIODS[language].format(year=rng.choice((2022, 2023, 2024)))
    else:
        answers["date_known"] = rng.choice(["dont_know", "prefer_not"])
    answers["perpetrators"] = [
        {
            "perpetrator_type": rng.choice(["state_forces", "armed_group", "dont_know"]),
            "perpetrator_description": rng.choice(PERPETRATORS[language]),
            "perpetrator_count": str(rng.randint(1, 12)),
            "would_recognise": rng.choice(["yes", "no", "dont_know"]),
        }
    ]
    injured = rng.choice(["yes", "no", "prefer_not"])
    answers["injured"] = injured
    if injured == "yes":
        answers["injuries"] = rng.choice(INJURIES[language])
    return answers


def _consents(
    services: Services, rng: random.Random, ref: str, language: str, minor: bool, interpreted: bool
) -> None:
    if not services.ctx.can(Permission.CONSENT_RECORD):
        return
    given_by = GivenBy.GUARDIAN if minor else GivenBy.SURVIVOR
    assent = "given" if minor else None
    t = translator(language)
    interpreter = t(N_("Interpreter (contracted)")) if interpreted else None

    def record(purpose: Purpose, decision: Decision, scope: str = rules.ANY) -> str:
        by = given_by if decision is Decision.GRANTED else GivenBy.SURVIVOR
        return services.consent.record(
            ref,
            purpose=purpose,
            scope=scope,
            decision=decision,
            given_by=by,
            child_assent=assent if decision is Decision.GRANTED else None,
            explained_language=None if decision is Decision.NOT_ASKED else language,
            interpreter=interpreter,
        ).id

    record(Purpose.RECORD_TESTIMONY, Decision.GRANTED)
    share = rng.choices([Decision.GRANTED, Decision.REFUSED, Decision.NOT_ASKED], [60, 25, 15])[0]
    share_id = record(Purpose.SHARE_INVESTIGATORS, share, "category:investigators")
    record(
        Purpose.DISCLOSE_IDENTITY, rng.choices([Decision.GRANTED, Decision.REFUSED], [40, 60])[0]
    )
    record(Purpose.REFER_SERVICES, rng.choices([Decision.GRANTED, Decision.REFUSED], [80, 20])[0])
    record(Purpose.CONTACT, Decision.GRANTED)
    record(Purpose.STATISTICS, rng.choices([Decision.GRANTED, Decision.REFUSED], [70, 30])[0])
    if share is Decision.GRANTED and rng.random() < 0.08:
        services.consent.withdraw(share_id, t(N_("The survivor fears for her family's safety.")))


def _interview_and_statement(
    services: Services,
    rng: random.Random,
    ref: str,
    language: str,
    interpreted: bool,
    survivor_id: str,
) -> None:
    # what an advocate would type (titles, places, reasons) in the interview's language
    t = translator(language)
    session = services.interviews.start(
        ref,
        interpreter=t(N_("Interpreter (contracted)")) if interpreted else None,
        persons_present=["survivor", "interviewer"] + (["interpreter"] if interpreted else []),
        location=t(N_("Partner office, private room")),
    )
    if rng.random() < 0.4:
        services.interviews.pause(session.id, t(N_("The survivor asked for a short rest.")))
        services.interviews.resume(session.id)
    stopped = rng.random() < 0.05
    indices = sorted(rng.sample(range(len(SENTENCES[language])), rng.randint(9, 15)))
    brother = rng.choice(GIVEN_NAMES[language])
    place, date = rng.choice(PLACES[language]), _date(rng, language)
    text = testimony(rng, language, indices, brother, place, date)
    statement = services.statements.create(
        ref,
        title=t(N_("Initial testimony")),
        language=language,
        person_id=survivor_id,
        session_id=session.id,
        text=text,
    )
    version = statement.current
    if language != "en" and rng.random() < 0.5:
        en_place = rng.choice(PLACES["en"]) if language == "uk" else place
        translation = testimony(rng, "en", indices, brother, en_place, date)
        services.statements.save_draft(
            version.id,
            text=text,
            translation=translation,
            translation_language="en",
            translator=t(N_("Interpreter (contracted)")),
        )
    services.interviews.end(
        session.id,
        stopped_early=stopped,
        survivor_instruction=(
            t(N_("Use only what was said before the break.")) if stopped else None
        ),
    )
    if rng.random() < 0.7:
        services.statements.seal(version.id, readback=Readback.CONFIRMED)
        if rng.random() < 0.15:
            amended = services.statements.amend(
                statement.id, reason=t(N_("The survivor corrected a date."))
            )
            if rng.random() < 0.5:
                services.statements.seal(amended.current.id, readback=Readback.CONFIRMED)
    if rng.random() < 0.4:  # a follow-up interview adds what came back later
        more = sorted(rng.sample(range(len(SENTENCES[language])), rng.randint(6, 10)))
        services.statements.create(
            ref,
            title=t(N_("Follow-up interview")),
            language=language,
            person_id=survivor_id,
            text=testimony(rng, language, more, brother, place, date),
        )


def _referrals(
    services: Services, rng: random.Random, ref: str, providers: list[str], language: str
) -> None:
    if not providers or not services.ctx.can(Permission.REFERRAL_WRITE):
        return
    t = translator(language)
    now = services.ctx.clock.now()
    can_send = services.consent.status(ref, Purpose.REFER_SERVICES).live
    for _i in range(rng.randint(0, 2)):
        due = iso(now + timedelta(days=rng.randint(-20, 30)))
        referral = services.referrals.create(
            ref,
            provider_id=rng.choice(providers),
            needs=t(N_("Follow-up care and support")),
            due_at=due,
        )
        path = rng.choice(_REFERRAL_PATHS)
        if path[:1] == (ReferralStatus.SENT,) and not can_send:
            path = ()
        for target in path:
            services.referrals.transition(referral.id, target, note=_NOTES.get(target))


def _liaison(
    services: Services, rng: random.Random, ref: str, language: str, pseudonym: str
) -> None:
    if not services.ctx.can(Permission.CONTACT_PLAN_WRITE):
        return
    channels = list(Channel)
    rng.shuffle(channels)
    safe, unsafe = channels[:2], channels[2:4]
    services.liaison.set_contact_plan(
        ref,
        safe_channels=safe,
        unsafe_channels=unsafe,
        safe_times=translator(language)(N_("Weekdays 10:00-12:00")),
        code_word="blue notebook",
        preferred_language=language,
    )
    if not services.ctx.can(Permission.LIAISON_WRITE) or rng.random() < 0.3:
        return
    now = services.ctx.clock.now()
    update = services.liaison.prepare_update(
        ref,
        kind=UpdateKind.HEARING,
        channel=safe[0],
        language=language,
        body=UPDATES[language].format(name=pseudonym),
        feedback_due=iso(now + timedelta(days=rng.randint(-10, 20))),
    )
    for status in rng.choice(
        (
            (),
            (UpdateStatus.SENT,),
            (UpdateStatus.SENT, UpdateStatus.DELIVERED),
            (UpdateStatus.SENT, UpdateStatus.DELIVERED, UpdateStatus.ACKNOWLEDGED),
        )
    ):
        services.liaison.set_status(update.id, status)
