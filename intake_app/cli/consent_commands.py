"""The consent ledger from the command line (docs/design.md §5): list a case's decisions, each
with whose it is, and record one for a named person of the case."""

from __future__ import annotations

from intake_app.cli.commands import CommandContext
from intake_app.cli.io import print_table
from intake_app.core.choices import unknown_value
from intake_app.core.consent import state_of
from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.labels import GIVEN_BY, PURPOSES, STATES
from intake_app.core.records import Decision, GivenBy, Person, Purpose
from intake_app.core.services import Services


def _person(services: Services, reference: str, wanted: str | None) -> Person | None:
    """The person named by pseudonym or id; None: the case's survivor (the service's default)."""
    if wanted is None:
        return None
    people = services.cases.persons(reference)
    for person in people:
        if wanted in (person.id, person.pseudonym):
            return person
    raise InvalidInput(unknown_value(wanted, [p.pseudonym for p in people], _("person")))


def cmd_consent(ctx: CommandContext) -> None:
    args = ctx.args
    with ctx.session() as services:
        if args.consent_command == "record":
            person = _person(services, args.reference, args.person)
            services.consent.record(
                args.reference,
                person_id=person.id if person else None,
                purpose=Purpose(args.purpose),
                scope=args.scope,
                decision=Decision(args.decision),
                given_by=GivenBy(args.given_by),
                child_assent=args.child_assent,
                explained_language=args.explained_in,
                interpreter=args.interpreter,
            )
        ledger = services.consent.ledger(args.reference)
        people = {p.id: p for p in services.cases.persons(args.reference)}
        survivor = services.cases.survivor(args.reference)
        now = services.ctx.now()
    rows = []
    for consent in ledger:
        # a decision naming nobody is the case's primary survivor's (docs/design.md §5)
        whose = people.get(consent.person_id or "") or survivor
        rows.append(
            {
                "id": consent.id,
                "person": whose.pseudonym if whose else None,
                "person_id": whose.id if whose else None,
                "purpose": consent.purpose.value,
                "scope": consent.scope,
                "state": state_of(consent, now).value,
                "given_by": consent.given_by.value,
                "child_assent": consent.child_assent,
                "recorded_at": consent.recorded_at,
            }
        )
    if args.json:
        ctx.emit(rows, [])
        return
    if args.consent_command == "record":
        ctx.out.write(_("Recorded.") + "\n")
    print_table(
        ctx.out,
        [_("Whose decision"), _("Purpose"), _("Scope"), _("Decision"), _("Given by")],
        [
            [
                row["person"] or "—",
                _(PURPOSES[c.purpose]),
                c.scope,
                _(STATES[state_of(c, now)]),
                _(GIVEN_BY[c.given_by]),
            ]
            for row, c in zip(rows, ledger, strict=True)
        ],
    )


CONSENT_COMMANDS = {"consent": cmd_consent}
