"""Forms that record consent: questions bound to the ledger by the custom columns
``consent_purpose`` (+ ``consent_scope``) for a decision, and ``consent_field`` for its details.

A decision question's answer is ``granted``, ``refused`` or ``not_asked``. When the response is
completed, each answered, relevant decision becomes one ledger entry; nothing is typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake_app.core import consent as rules
from intake_app.core.forms.session import FormSession
from intake_app.core.forms.spec import FormSpec, Question
from intake_app.core.i18n import _
from intake_app.core.records import Decision, Purpose

FIELDS = ("given_by", "child_assent", "explained_language", "interpreter", "expires")


@dataclass(frozen=True)
class ConsentAnswer:
    purpose: Purpose
    scope: str
    decision: Decision
    details: dict[str, str]


def binding_problems(spec: FormSpec) -> list[tuple[Question, str, str]]:
    """(question, column, message) for every binding that could not work."""
    problems = []
    purposes = {p.value for p in Purpose}
    for question in spec.questions():
        if question.consent_purpose and question.consent_purpose not in purposes:
            problems.append(
                (
                    question,
                    "consent_purpose",
                    _("Unknown consent purpose '{value}'; use one of: {values}.").format(
                        value=question.consent_purpose, values=", ".join(sorted(purposes))
                    ),
                )
            )
        if question.consent_scope and not rules.valid_scope(question.consent_scope):
            problems.append(
                (
                    question,
                    "consent_scope",
                    _("The consent scope is not valid: {scope}.").format(
                        scope=question.consent_scope
                    ),
                )
            )
        if question.consent_field and question.consent_field not in FIELDS:
            problems.append(
                (
                    question,
                    "consent_field",
                    _("Unknown consent field '{value}'; use one of: {values}.").format(
                        value=question.consent_field, values=", ".join(FIELDS)
                    ),
                )
            )
    return problems


def consent_answers(form: FormSession) -> list[ConsentAnswer]:
    details = {}
    for question, at in form.iter_questions():
        if (
            question.consent_field
            and form.is_relevant(question.name, at)
            and form.value(question.name, at)
        ):
            details[question.consent_field] = form.value(question.name, at)
    answers = []
    for question, at in form.iter_questions():
        value = form.value(question.name, at)
        if not question.consent_purpose or not value or not form.is_relevant(question.name, at):
            continue
        if value not in {d.value for d in Decision}:
            continue
        answers.append(
            ConsentAnswer(
                Purpose(question.consent_purpose),
                question.consent_scope or rules.ANY,
                Decision(value),
                details,
            )
        )
    return answers
