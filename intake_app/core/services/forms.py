"""Form responses: answers as JSON keyed by XLSForm name, tied to one stored form version,
with the language(s) the questions were asked in."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _, _n
from intake_app.core.permissions import Permission
from intake_app.core.records import FormResponse
from intake_app.core.services.base import ServiceContext, as_json, new_id
from intake_app.core.services.consent import ConsentService
from intake_app.core.services.form_definitions import FormDefinitionService
from intake_app.core.testimony import RecoveredDraft
from intake_app.core.vault import repositories as repo

# The form session (and elementpath under it) loads with the first form, not at start-up.
if TYPE_CHECKING:
    from intake_app.core.forms.session import FormSession

MAX_ANSWERS = 5_000_000  # bytes of JSON


class FormResponseService:
    def __init__(
        self,
        ctx: ServiceContext,
        definitions: FormDefinitionService,
        consent: ConsentService | None = None,
    ) -> None:
        self._ctx = ctx
        self._definitions = definitions
        self._consent = consent

    def start(
        self, reference: str, form_id: str, *, language: str | None = None
    ) -> tuple[FormResponse, FormSession]:
        """A new response to the latest version of a form, and the session to answer it."""
        from intake_app.core.forms.session import FormSession

        spec = self._definitions.spec(form_id)
        session = FormSession(
            spec, language=language, clock=self._ctx.clock, username=self._ctx.actor.username
        )
        response = self.save(
            reference,
            form_id=spec.form_id,
            form_version=spec.version,
            languages=session.languages_used,
            answers=session.answers(),
        )
        return response, session

    def session(self, response_id: str, *, language: str | None = None) -> FormSession:
        """Reopen a response with the exact form version it was started with."""
        response = self.get(response_id)
        spec = self._definitions.spec(response.form_id, response.form_version)
        data = {
            "form_id": response.form_id,
            "version": response.form_version,
            "languages": list(response.languages),
            "answers": json.loads(response.answers),
        }
        from intake_app.core.forms.session import FormSession

        return FormSession.from_json(
            spec, data, language=language, clock=self._ctx.clock, username=self._ctx.actor.username
        )

    def save_session(
        self, response_id: str, session: FormSession, *, complete: bool = False
    ) -> FormResponse:
        """Autosave (draft) or finish; finishing needs every relevant answer to pass validation."""
        if complete:
            issues = session.validate()
            if issues:
                raise InvalidInput(
                    _n(
                        "{count} answer still needs attention before the form is complete.",
                        "{count} answers still need attention before the form is complete.",
                        len(issues),
                    ).format(count=len(issues))
                )
        response = self.get(response_id)
        finishing = complete and response.status != "complete"
        with self._ctx.batch():  # the answers and the ledger entries they make: all or nothing
            saved = self.save(
                response.case_id,
                form_id=response.form_id,
                form_version=response.form_version,
                languages=session.languages_used,
                answers=session.answers(),
                status="complete" if complete else "draft",
                response_id=response_id,
            )
            if finishing and self._consent is not None:
                from intake_app.core.forms.consent_binding import consent_answers

                answers = consent_answers(session)
                if answers:
                    self._consent.record_from_form(response.case_id, answers)
        return saved

    def save(
        self,
        reference: str,
        *,
        form_id: str,
        form_version: str,
        languages: list[str],
        answers: dict[str, Any],
        status: str = "draft",
        response_id: str | None = None,
    ) -> FormResponse:
        ctx = self._ctx
        ctx.require(Permission.FORM_WRITE)
        if status not in ("draft", "complete"):
            raise InvalidInput(_("A form response is a draft or complete."))
        self._definitions.get(form_id, form_version)  # the exact version must be in the vault
        payload = as_json(answers)
        if len(payload.encode()) > MAX_ANSWERS:
            raise InvalidInput(_("These answers are too large to store."))
        case = ctx.case_row(reference)
        now = ctx.now()
        values = {
            "languages": as_json(languages),
            "answers": payload,
            "status": status,
            "updated_at": now,
        }
        if response_id is None:
            response_id = new_id()
            with ctx.write("form.response_started", "form_response", response_id) as w:
                w.insert(
                    "form_response",
                    {
                        "id": response_id,
                        "case_id": case["id"],
                        "form_id": form_id,
                        "form_version": form_version,
                        "created_by": ctx.actor.id,
                        "created_at": now,
                        **values,
                    },
                )
                w.details.update(
                    {"case": case["reference"], "form": form_id, "version": form_version}
                )
        else:
            with ctx.write(
                "form.response_saved", "form_response", response_id, anchor=status == "complete"
            ) as w:
                w.update("form_response", response_id, values)
                w.details.update({"status": status})
        return self.get(response_id)

    def recovered(self) -> list[RecoveredDraft]:
        """Form drafts autosaved by this user's previous session, which ended without a lock."""
        from intake_app.core.services.recovery import recovered_forms

        return recovered_forms(self._ctx)

    def get(self, response_id: str) -> FormResponse:
        self._ctx.require(Permission.FORM_READ)
        return repo.form_response(
            self._ctx.row(
                "form_response", response_id, _("That form response is not in this vault.")
            )
        )

    def for_case(self, reference: str) -> list[FormResponse]:
        self._ctx.require(Permission.FORM_READ)
        return [repo.form_response(r) for r in self._ctx.case_rows("form_response", reference)]

    @staticmethod
    def answers(response: FormResponse) -> dict[str, Any]:
        value = json.loads(response.answers)
        assert isinstance(value, dict)
        return value
