"""A whole case as one reader's role may see it (for ``show --json`` and summaries)."""

from __future__ import annotations

import json
from dataclasses import fields
from enum import Enum
from typing import TYPE_CHECKING, Any

from intake_app.core.permissions import Permission
from intake_app.core.records import Person, Statement

if TYPE_CHECKING:
    from intake_app.core.services import Services


def plain(record: Any, *names: str, **renamed: str) -> dict[str, Any]:
    """Selected fields of a record as JSON-ready values (enums → values, tuples → lists)."""
    wanted = names or tuple(f.name for f in fields(record))
    out: dict[str, Any] = {}
    for name in (*wanted, *renamed.values()):
        value = getattr(record, name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = [v.value if isinstance(v, Enum) else v for v in value]
        key = next((k for k, v in renamed.items() if v == name), name)
        out[key] = value
    return out


def _person(person: Person, identity: bool) -> dict[str, Any]:
    shown = plain(
        person,
        "id",
        "role",
        "pseudonym",
        "date_of_birth",
        "age_range",
        "gender",
        "languages",
        "is_minor",
        name="legal_name",
    )
    if not identity:  # S38: what the role may not see is absent from every output, not empty
        del shown["date_of_birth"]
        if shown["name"] is None:
            del shown["name"]
    return shown


def _statement(statement: Statement) -> dict[str, Any]:
    current = statement.current
    entry = {
        "id": statement.id,
        "title": statement.title,
        "version": current.number,
        **plain(current, "language", "status", "sha256"),
    }
    if current.text is not None:
        entry.update(plain(current, "text", "translation", "translation_language"))
    entry["versions"] = [
        {
            **plain(v, "id", "number", "status", "sha256", "sealed_at", supersedes="supersedes_id"),
            **(plain(v, "text", "translation") if v.text is not None else {}),
        }
        for v in statement.versions
    ]
    return entry


def case_view(services: Services, reference: str) -> dict[str, Any]:
    ctx = services.ctx
    case = services.cases.get(reference)
    ctx.viewed("case.viewed", "case_file", case.id)
    persons = services.cases.persons(reference)
    survivor = services.cases.survivor(reference)
    plan = services.liaison.contact_plan(reference)
    identity = ctx.can(Permission.IDENTITY_READ)
    view: dict[str, Any] = {
        **plain(
            case, "reference", "status", "languages", "tags", "assigned", "created_at", "updated_at"
        ),
        "survivor": _person(survivor, identity) if survivor else None,
        "persons": [_person(p, identity) for p in persons],
        "testimony_visible": ctx.can(Permission.TESTIMONY_READ),
        "statements": [_statement(s) for s in services.statements.for_case(reference)],
        "sessions": [
            {
                **plain(
                    s,
                    "id",
                    "status",
                    "started_at",
                    "ended_at",
                    "stopped_early",
                    "survivor_instruction",
                    "interpreter",
                ),
                "breaks": [plain(b) for b in s.breaks],
            }
            for s in services.interviews.for_case(reference)
        ],
        "consents": [
            plain(
                c,
                "id",
                "purpose",
                "scope",
                "decision",
                "basis",
                "given_by",
                "recorded_at",
                "expires_at",
                "withdrawn_at",
                "explained_language",
            )
            for c in services.consent.ledger(reference)
        ],
        "referrals": [
            plain(r, "id", "service_type", "status", "provider_id", due="due_at")
            for r in services.referrals.for_case(reference)
        ],
        "contact_plan": None
        if plan is None
        else plain(
            plan,
            "safe_channels",
            "unsafe_channels",
            "safe_times",
            "preferred_language",
            "intermediary",
        ),
        "updates": [
            plain(u, "id", "kind", "channel", "status", "language", "feedback_due")
            for u in services.liaison.for_case(reference)
        ],
    }
    if ctx.can(Permission.ATTACHMENT_READ):
        view["attachments"] = [
            plain(a, "id", "filename", "media_type", "size", "sha256")
            for a in services.attachments.for_case(reference)
        ]
    if ctx.can(Permission.FORM_READ):
        view["forms"] = [
            {
                **plain(f, "form_id", "status", "languages", version="form_version"),
                "answers": json.loads(f.answers),
            }
            for f in services.forms.for_case(reference)
        ]
    return view
