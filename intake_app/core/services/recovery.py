"""Drafts restored after a crash (docs/design.md §3): the autosaves of a session that ended
without a lock, as they stand now, for the "draft recovered" notice. A read: nothing is written."""

from __future__ import annotations

import json

from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import StatementStatus
from intake_app.core.services.base import ServiceContext
from intake_app.core.testimony import RecoveredDraft
from intake_app.core.vault.repositories import recovery, statements


def recovered_testimony(ctx: ServiceContext) -> list[RecoveredDraft]:
    """The testimony drafts the previous, interrupted session of this same user autosaved."""
    session = _interrupted(ctx)
    if session is None or not ctx.can(Permission.TESTIMONY_READ):
        return []
    found = []
    for version_id, _last in recovery.autosaves(ctx.db, session, "statement.draft_saved"):
        version = statements.version_row(ctx.db, version_id)
        if version is None or version["status"] == StatementStatus.SEALED.value:
            continue
        statement = ctx.row("statement", version["statement_id"], _("That statement is gone."))
        case = ctx.row("case_file", statement["case_id"], _("That case is gone."))
        interview = (
            ctx.row("interview_session", version["session_id"], _("That interview is gone."))
            if version["session_id"]
            else None
        )
        found.append(
            RecoveredDraft(
                kind="testimony",
                record_id=version_id,
                case_reference=case["reference"],
                title=statement["title"],
                version=int(version["number"]),
                size=len((version["text"] or "").split()),
                autosaved_at=version["updated_at"],
                session_started_at=session.started_at,
                interview_started_at=interview["started_at"] if interview else None,
            )
        )
    return found


def recovered_forms(ctx: ServiceContext) -> list[RecoveredDraft]:
    """The form drafts (not yet complete) the interrupted session autosaved."""
    session = _interrupted(ctx)
    if session is None or not ctx.can(Permission.FORM_READ):
        return []
    found = []
    for response_id, _last in recovery.autosaves(ctx.db, session, "form.response_saved"):
        response = ctx.row("form_response", response_id, _("That form is gone."))
        if response["status"] == "complete":
            continue
        case = ctx.row("case_file", response["case_id"], _("That case is gone."))
        answers = json.loads(response["answers"] or "{}")
        found.append(
            RecoveredDraft(
                kind="form",
                record_id=response_id,
                case_reference=case["reference"],
                title=response["form_id"],
                version=None,
                size=sum(1 for v in answers.values() if v not in (None, "", [])),
                autosaved_at=response["updated_at"],
                session_started_at=session.started_at,
            )
        )
    return found


def _interrupted(ctx: ServiceContext) -> recovery.InterruptedSession | None:
    session = recovery.interrupted_session(ctx.db)
    # Only the person who was typing is told: another user's drafts are not theirs to restore.
    return session if session is not None and session.user_id == ctx.actor.id else None
