"""Form responses: answers stored as JSON keyed by XLSForm name, with form id, version, languages."""

from __future__ import annotations

import json
from typing import Any

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import FormResponse
from intake_app.core.services.base import ServiceContext, as_json, new_id
from intake_app.core.services.cases import find_case_row
from intake_app.core.vault import repositories as repo

MAX_ANSWERS = 5_000_000  # bytes of JSON


class FormResponseService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

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
        """Create or update a response; drafts are autosaved like testimony (light anchor)."""
        ctx = self._ctx
        ctx.require(Permission.FORM_WRITE)
        if status not in ("draft", "complete"):
            raise InvalidInput(_("A form response is a draft or complete."))
        payload = as_json(answers)
        if len(payload.encode()) > MAX_ANSWERS:
            raise InvalidInput(_("These answers are too large to store."))
        case = find_case_row(ctx, reference)
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
            current = self.get(response_id)
            if current.status == "complete" and status == "complete" and current.answers == payload:
                return current
            with ctx.write(
                "form.response_saved", "form_response", response_id, anchor=status == "complete"
            ) as w:
                w.update("form_response", response_id, values)
                w.details.update({"status": status})
        return self.get(response_id)

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
