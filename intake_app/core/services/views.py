"""A whole case as one reader's role may see it (for ``show --json`` and summaries)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from intake_app.core.permissions import Permission
from intake_app.core.records import Person

if TYPE_CHECKING:
    from intake_app.core.services import Services


def _person(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "role": person.role.value,
        "name": person.legal_name,
        "pseudonym": person.pseudonym,
        "date_of_birth": person.date_of_birth,
        "age_range": person.age_range,
        "gender": person.gender,
        "languages": list(person.languages),
        "is_minor": person.is_minor,
    }


def case_view(services: Services, reference: str) -> dict[str, Any]:
    ctx = services.ctx
    case = services.cases.get(reference)
    ctx.viewed("case.viewed", "case_file", case.id)
    persons = services.cases.persons(reference)
    survivor = next((p for p in persons if p.role.value == "survivor"), None)
    view: dict[str, Any] = {
        "reference": case.reference,
        "status": case.status.value,
        "languages": list(case.languages),
        "tags": list(case.tags),
        "assigned": list(case.assigned),
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "survivor": _person(survivor) if survivor else None,
        "persons": [_person(p) for p in persons],
        "testimony_visible": ctx.can(Permission.TESTIMONY_READ),
    }
    statements = []
    for statement in services.statements.for_case(reference):
        current = statement.current
        entry = {
            "id": statement.id,
            "title": statement.title,
            "language": current.language,
            "status": current.status.value,
            "sha256": current.sha256,
            "version": current.number,
            "versions": [
                {
                    "id": v.id,
                    "number": v.number,
                    "status": v.status.value,
                    "sha256": v.sha256,
                    "sealed_at": v.sealed_at,
                    "supersedes": v.supersedes_id,
                    **(
                        {"text": v.text, "translation": v.translation} if v.text is not None else {}
                    ),
                }
                for v in statement.versions
            ],
        }
        if current.text is not None:
            entry.update(
                {
                    "text": current.text,
                    "translation": current.translation,
                    "translation_language": current.translation_language,
                }
            )
        statements.append(entry)
    view["statements"] = statements
    view["sessions"] = [
        {
            "id": s.id,
            "status": s.status,
            "started_at": s.started_at,
            "ended_at": s.ended_at,
            "stopped_early": s.stopped_early,
            "survivor_instruction": s.survivor_instruction,
            "interpreter": s.interpreter,
            "breaks": [asdict(b) for b in s.breaks],
        }
        for s in services.interviews.for_case(reference)
    ]
    view["consents"] = [
        {
            "id": c.id,
            "purpose": c.purpose.value,
            "scope": c.scope,
            "decision": c.decision.value,
            "basis": c.basis.value,
            "given_by": c.given_by.value,
            "recorded_at": c.recorded_at,
            "expires_at": c.expires_at,
            "withdrawn_at": c.withdrawn_at,
            "explained_language": c.explained_language,
        }
        for c in services.consent.ledger(reference)
    ]
    view["referrals"] = [
        {
            "id": r.id,
            "service_type": r.service_type.value,
            "status": r.status.value,
            "due": r.due_at,
            "provider_id": r.provider_id,
        }
        for r in services.referrals.for_case(reference)
    ]
    plan = services.liaison.contact_plan(reference)
    view["contact_plan"] = (
        None
        if plan is None
        else {
            "safe_channels": [c.value for c in plan.safe_channels],
            "unsafe_channels": [c.value for c in plan.unsafe_channels],
            "safe_times": plan.safe_times,
            "preferred_language": plan.preferred_language,
            "intermediary": plan.intermediary,
        }
    )
    view["updates"] = [
        {
            "id": u.id,
            "kind": u.kind.value,
            "channel": u.channel.value,
            "status": u.status.value,
            "language": u.language,
            "feedback_due": u.feedback_due,
        }
        for u in services.liaison.for_case(reference)
    ]
    if ctx.can(Permission.ATTACHMENT_READ):
        view["attachments"] = [
            {
                "id": a.id,
                "filename": a.filename,
                "media_type": a.media_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in services.attachments.for_case(reference)
        ]
    if ctx.can(Permission.FORM_READ):
        view["forms"] = [
            {
                "form_id": f.form_id,
                "version": f.form_version,
                "status": f.status,
                "languages": list(f.languages),
                "answers": json.loads(f.answers),
            }
            for f in services.forms.for_case(reference)
        ]
    return view
