"""Contact plans and case updates to survivors (records and rules; templates come later)."""

from __future__ import annotations

import hashlib
from datetime import date

from intake_app.core import consent as rules
from intake_app.core.errors import ConsentRequired, InvalidInput
from intake_app.core.i18n import _
from intake_app.core.labels import UPDATE_KINDS
from intake_app.core.liaison import check_channel
from intake_app.core.permissions import Permission
from intake_app.core.records import (
    Channel,
    ContactPlan,
    LiaisonUpdate,
    Promise,
    Purpose,
    UpdateKind,
    UpdateStatus,
)
from intake_app.core.services.base import ServiceContext, Writer, as_json, new_id
from intake_app.core.services.cases import CaseService, find_case_row
from intake_app.core.vault import repositories as repo
from intake_app.core.vault.case_check import require_case_intact
from intake_app.core.vault.repositories import liaison, people

U = UpdateStatus
_NEXT = {
    U.PREPARED: {U.SENT, U.FAILED},
    U.SENT: {U.DELIVERED, U.ACKNOWLEDGED, U.FAILED},
    U.DELIVERED: {U.ACKNOWLEDGED, U.FAILED},
    U.ACKNOWLEDGED: set(),
    U.FAILED: set(),
}


class LiaisonService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def set_contact_plan(
        self,
        reference: str,
        *,
        safe_channels: list[Channel],
        unsafe_channels: list[Channel],
        safe_times: str | None = None,
        code_word: str | None = None,
        intermediary: str | None = None,
        preferred_language: str | None = None,
        notes: str | None = None,
    ) -> ContactPlan:
        ctx = self._ctx
        ctx.require(Permission.CONTACT_PLAN_WRITE)
        both = set(safe_channels) & set(unsafe_channels)
        if both:
            raise InvalidInput(
                _("A channel cannot be both safe and unsafe: {channels}.").format(
                    channels=", ".join(sorted(c.value for c in both))
                )
            )
        case = find_case_row(ctx, reference)
        existing = liaison.contact_plan_id(ctx.db, case["id"])
        values = {
            "safe_channels": as_json([c.value for c in safe_channels]),
            "unsafe_channels": as_json([c.value for c in unsafe_channels]),
            "safe_times": safe_times,
            "code_word": code_word,
            "intermediary": intermediary,
            "preferred_language": preferred_language,
            "notes": notes,
            "updated_by": ctx.actor.id,
            "updated_at": ctx.now(),
        }
        plan_id = existing or new_id()
        with ctx.write("contact_plan.saved", "contact_plan", plan_id) as w:
            if existing:
                w.update("contact_plan", plan_id, values)
            else:
                w.insert("contact_plan", {"id": plan_id, "case_id": case["id"], **values})
            w.details["case"] = case["reference"]
        plan = self.contact_plan(reference)
        assert plan is not None
        return plan

    def contact_plan(self, reference: str) -> ContactPlan | None:
        self._ctx.require(Permission.CONTACT_PLAN_READ)
        case = find_case_row(self._ctx, reference)
        return liaison.contact_plan_of_case(self._ctx.db, case["id"])

    def prepare_update(
        self,
        reference: str,
        *,
        kind: UpdateKind,
        channel: Channel,
        language: str,
        body: str,
        feedback_due: str | None = None,
    ) -> LiaisonUpdate:
        ctx = self._ctx
        ctx.require(Permission.LIAISON_WRITE)
        case = find_case_row(ctx, reference)
        check_channel(self.contact_plan(reference), channel)
        standing = rules.status(
            repo.consents(ctx.db, case["id"]),
            Purpose.CONTACT,
            [f"channel:{channel.value}"],
            ctx.now(),
        )
        if not standing.live:
            raise ConsentRequired(
                _("The survivor cannot be contacted this way: {reason}.").format(
                    reason=standing.reason
                )
            )
        if not body.strip():
            raise InvalidInput(_("The update has no text."))
        update_id, now = new_id(), ctx.now()
        with ctx.write("update.prepared", "liaison_update", update_id) as w:
            w.insert(
                "liaison_update",
                {
                    "id": update_id,
                    "case_id": case["id"],
                    "kind": kind.value,
                    "channel": channel.value,
                    "language": language,
                    "body": body,
                    "status": U.PREPARED.value,
                    "feedback_due": feedback_due,
                    "prepared_by": ctx.actor.id,
                    "prepared_at": now,
                    "updated_at": now,
                },
            )
            w.details.update(
                {"case": case["reference"], "kind": kind.value, "channel": channel.value}
            )
            if feedback_due:
                self._insert_promise(w, case["id"], update_id, UPDATE_KINDS[kind], feedback_due)
        return self.update(update_id)

    # -- promises -----------------------------------------------------------------------------
    def promise(self, reference: str, *, due_at: str, what: str) -> Promise:
        """Record news promised to the survivor by a date (said on a call, at a meeting…)."""
        ctx = self._ctx
        ctx.require(Permission.LIAISON_WRITE)
        case = find_case_row(ctx, reference)
        if not what.strip():
            raise InvalidInput(_("Say what was promised, in a few words."))
        with ctx.write("promise.made", "case_file", case["id"]) as w:
            promise_id = self._insert_promise(w, case["id"], None, what.strip(), due_at)
        return self._promise(promise_id)

    def keep(self, promise_id: str, note: str | None = None) -> Promise:
        """The promised news was given."""
        ctx = self._ctx
        ctx.require(Permission.LIAISON_WRITE)
        promise = self._promise(promise_id)
        if promise.kept_at:
            raise InvalidInput(_("This promise was already kept."))
        with ctx.write("promise.kept", "case_file", promise.case_id) as w:
            w.update(
                "promise",
                promise_id,
                {"kept_at": ctx.now(), "kept_by": ctx.actor.id, "kept_note": note},
            )
        return self._promise(promise_id)

    def promises(self, reference: str | None = None, *, open_only: bool = True) -> list[Promise]:
        ctx = self._ctx
        ctx.require(Permission.CONTACT_PLAN_READ)
        case_id = None if reference is None else find_case_row(ctx, reference)["id"]
        return liaison.promises(ctx.db, case_id, open_only=open_only)

    def _insert_promise(
        self, w: Writer, case_id: str, update_id: str | None, what: str, due_at: str
    ) -> str:
        promise_id = new_id()
        w.insert(
            "promise",
            {
                "id": promise_id,
                "case_id": case_id,
                "update_id": update_id,
                "what": what,
                "due_at": due_at,
                "made_by": self._ctx.actor.id,
                "made_at": self._ctx.now(),
            },
        )
        w.details["promise_due"] = due_at
        return promise_id

    def _promise(self, promise_id: str) -> Promise:
        return repo.promise(
            self._ctx.row("promise", promise_id, _("That promise is not in this vault."))
        )

    def draft_update(
        self,
        reference: str,
        kind: UpdateKind,
        *,
        language: str | None = None,
        when: date | None = None,
        details: str = "",
        use_legal_name: bool = False,
    ) -> str:
        """A draft from the template, in the survivor's language (the contact plan's preferred
        language, else the survivor's first language): the officer adapts it, then prepares it."""
        from intake_app.core.update_templates import draft

        ctx = self._ctx
        ctx.require(Permission.LIAISON_WRITE)
        case = find_case_row(ctx, reference)
        survivor = people.survivor(ctx.db, case["id"])
        if survivor is not None:  # a liaison officer addresses by name only where the plan needs it
            survivor = CaseService(ctx).as_seen(case["id"], [survivor])[0]
        plan = self.contact_plan(reference)
        language = (
            language
            or (plan.preferred_language if plan else None)
            or (survivor.languages[0] if survivor and survivor.languages else "en")
        )
        name = (
            survivor.legal_name
            if survivor and use_legal_name and survivor.legal_name
            else (survivor.pseudonym if survivor else "")
        )
        return draft(
            kind, language, name=name, when=when or ctx.clock.now().date(), details=details
        )

    def set_status(
        self, update_id: str, status: UpdateStatus, *, failure_reason: str | None = None
    ) -> LiaisonUpdate:
        ctx = self._ctx
        ctx.require(Permission.LIAISON_WRITE)
        current = self.update(update_id)
        if status not in _NEXT[current.status]:
            raise InvalidInput(
                _("An update that is {current} cannot become {target}.").format(
                    current=current.status.value, target=status.value
                )
            )
        if status is U.FAILED and not (failure_reason or "").strip():
            raise InvalidInput(_("Record why the update could not be delivered."))
        with ctx.write(f"update.{status.value}", "liaison_update", update_id) as w:
            w.update(
                "liaison_update",
                update_id,
                {"status": status.value, "failure_reason": failure_reason, "updated_at": ctx.now()},
            )
        return self.update(update_id)

    def update(self, update_id: str) -> LiaisonUpdate:
        self._ctx.require(Permission.CONTACT_PLAN_READ)
        return repo.liaison_update(
            self._ctx.row("liaison_update", update_id, _("That update is not in this vault."))
        )

    def letter(self, update_id: str) -> tuple[bytes, int]:
        """The update as a printable letter (export/letter.py) and the number of characters no
        font could draw; audited, like every file that leaves the vault."""
        from intake_app.core.export.letter import render_letter  # reportlab: when first used

        ctx = self._ctx
        update = self.update(update_id)
        # S35: the update and the case it belongs to, checked against their last audited digests
        require_case_intact(ctx.db, update.case_id, user_id=ctx.actor.id, files=())
        pdf, missing = render_letter(update.body, update.language, ctx.clock.now().date())
        ctx.viewed(
            "update.letter_made",
            "liaison_update",
            update_id,
            {"sha256": hashlib.sha256(pdf).hexdigest()},
        )
        return pdf, missing

    def for_case(self, reference: str) -> list[LiaisonUpdate]:
        self._ctx.require(Permission.CONTACT_PLAN_READ)
        rows = self._ctx.case_rows("liaison_update", reference, order="prepared_at")
        return [repo.liaison_update(r) for r in rows]

    def all_updates(self) -> list[LiaisonUpdate]:
        """Every update across cases, newest first (for reporting)."""
        self._ctx.require(Permission.CONTACT_PLAN_READ)
        return liaison.all_updates(self._ctx.db)

    def due(self) -> list[LiaisonUpdate]:
        """Updates whose promised feedback date has passed and that are not acknowledged."""
        self._ctx.require(Permission.CONTACT_PLAN_READ)
        return liaison.updates_due(self._ctx.db, self._ctx.now())
