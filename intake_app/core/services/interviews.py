"""Interview sessions: start, breaks with reasons, resume, end — or stop early on the survivor's word."""

from __future__ import annotations

from typing import Any

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import InterviewSession
from intake_app.core.services.base import ServiceContext, as_json, new_id
from intake_app.core.services.cases import find_case_row
from intake_app.core.vault import repositories as repo
from intake_app.core.vault.repositories import interviews


class InterviewService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def start(
        self,
        reference: str,
        *,
        interpreter: str | None = None,
        persons_present: list[str] | None = None,
        location: str | None = None,
    ) -> InterviewSession:
        ctx = self._ctx
        ctx.require(Permission.INTERVIEW_RUN)
        case = find_case_row(ctx, reference)
        session_id = new_id()
        with ctx.write("interview.started", "interview_session", session_id) as w:
            w.insert(
                "interview_session",
                {
                    "id": session_id,
                    "case_id": case["id"],
                    "interviewer_id": ctx.actor.id,
                    "interpreter": interpreter,
                    "persons_present": as_json(persons_present or []),
                    "location": location,
                    "status": "active",
                    "started_at": ctx.now(),
                },
            )
            w.details.update({"case": case["reference"], "interpreter": bool(interpreter)})
        return self.get(session_id)

    def pause(self, session_id: str, reason: str) -> InterviewSession:
        ctx = self._ctx
        ctx.require(Permission.INTERVIEW_RUN)
        session = self._row(session_id)
        if session["status"] != "active":
            raise InvalidInput(_("Only a running interview can be paused."))
        if not reason.strip():
            raise InvalidInput(
                _("Give the reason for the break (for example: the survivor asked for a rest).")
            )
        break_id = new_id()
        with ctx.write("interview.paused", "interview_session", session_id) as w:
            w.insert(
                "session_break",
                {
                    "id": break_id,
                    "session_id": session_id,
                    "started_at": ctx.now(),
                    "reason": reason.strip(),
                },
            )
            w.update("interview_session", session_id, {"status": "paused"})
        return self.get(session_id)

    def resume(self, session_id: str) -> InterviewSession:
        ctx = self._ctx
        ctx.require(Permission.INTERVIEW_RUN)
        if self._row(session_id)["status"] != "paused":
            raise InvalidInput(_("Only a paused interview can be resumed."))
        open_breaks = interviews.open_breaks(ctx.db, session_id)
        with ctx.write("interview.resumed", "interview_session", session_id) as w:
            if open_breaks:
                w.update("session_break", open_breaks[0], {"ended_at": ctx.now()})
            w.update("interview_session", session_id, {"status": "active"})
        return self.get(session_id)

    def end(
        self,
        session_id: str,
        *,
        stopped_early: bool = False,
        survivor_instruction: str | None = None,
    ) -> InterviewSession:
        """End the session. Stopping early records what the survivor allows to be used."""
        ctx = self._ctx
        ctx.require(Permission.INTERVIEW_RUN)
        session = self._row(session_id)
        if session["status"] == "ended":
            raise InvalidInput(_("This interview has already ended."))
        if stopped_early and not (survivor_instruction or "").strip():
            raise InvalidInput(
                _(
                    "When an interview stops early, record what the survivor allows to be used of it."
                )
            )
        now = ctx.now()
        with ctx.write("interview.ended", "interview_session", session_id) as w:
            for break_id in interviews.open_breaks(ctx.db, session_id):
                w.update("session_break", break_id, {"ended_at": now})
            w.update(
                "interview_session",
                session_id,
                {
                    "status": "ended",
                    "ended_at": now,
                    "stopped_early": int(stopped_early),
                    "survivor_instruction": survivor_instruction,
                },
            )
            w.details["stopped_early"] = stopped_early
        return self.get(session_id)

    def get(self, session_id: str) -> InterviewSession:
        self._ctx.require(Permission.CASE_READ)
        return repo.session(self._ctx.db, self._row(session_id))

    def for_case(self, reference: str) -> list[InterviewSession]:
        self._ctx.require(Permission.CASE_READ)
        rows = self._ctx.case_rows("interview_session", reference, order="started_at")
        return [repo.session(self._ctx.db, r) for r in rows]

    def _row(self, session_id: str) -> Any:
        return self._ctx.row(
            "interview_session", session_id, _("That interview session is not in this vault.")
        )
