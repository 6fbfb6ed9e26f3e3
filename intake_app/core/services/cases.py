"""Cases and the people in them."""

from __future__ import annotations

import builtins
import json
import secrets
from collections.abc import Sequence
from typing import Any

from intake_app.core.errors import InvalidInput, NotFound
from intake_app.core.i18n import _, check_language_codes
from intake_app.core.permissions import Permission, contact_view
from intake_app.core.records import Case, CaseStatus, CaseSummary, Person, PersonRole
from intake_app.core.services.base import ServiceContext, as_json, new_id
from intake_app.core.vault import repositories as repo
from intake_app.core.vault.repositories import cases, liaison, people

# Short, human, non-identifying references: no 0/O, 1/I/L confusion.
_REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
IDENTITY_FIELDS = frozenset({"legal_name", "date_of_birth"})  # S38: what contact_view hides


def find_case_row(ctx: ServiceContext, reference: str) -> Any:
    return ctx.case_row(reference)


class CaseService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def _new_reference(self) -> str:
        for length in (4, 4, 4, 5, 5, 5, 6, 6, 6, 8):
            reference = "C-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(length))
            if not cases.reference_taken(self._ctx.db, reference):
                return reference
        raise RuntimeError("no free case reference")  # 10 collisions in a row: a bug, not bad luck

    def open(self, *, languages: list[str] | None = None, tags: list[str] | None = None) -> Case:
        ctx = self._ctx
        ctx.require(Permission.CASE_WRITE)
        case_id, now = new_id(), ctx.now()
        languages = check_language_codes(languages or [])
        reference = self._new_reference()
        with ctx.write("case.opened", "case_file", case_id) as w:
            w.insert(
                "case_file",
                {
                    "id": case_id,
                    "reference": reference,
                    "status": CaseStatus.OPEN.value,
                    "tags": as_json(tags or []),
                    "languages": as_json(languages or []),
                    "created_by": ctx.actor.id,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            w.insert(
                "case_assignment",
                {"case_id": case_id, "user_id": ctx.actor.id},
                row_id=f"{case_id}/{ctx.actor.id}",
            )
            w.details["reference"] = reference
        return self.get(reference)

    def get(self, reference: str) -> Case:
        self._ctx.require(Permission.CASE_READ)
        return repo.case(self._ctx.db, find_case_row(self._ctx, reference))

    def count(self, status: CaseStatus | None = None, **filters: Any) -> int:
        self._ctx.require(Permission.CASE_READ)
        return cases.count(self._ctx.db, self._filter(status, **filters))

    def list(
        self,
        *,
        status: CaseStatus | None = None,
        assigned_to: str | None = None,
        language: str | None = None,
        overdue: bool = False,
        references: Sequence[str] | None = None,
        hide_closed: bool = False,
        limit: int = 200,
        after: CaseSummary | None = None,
    ) -> builtins.list[CaseSummary]:
        """Most recently updated first; filters combine (all must hold). ``after`` continues
        from that case (keyset paging)."""
        self._ctx.require(Permission.CASE_READ)
        where = self._filter(
            status,
            assigned_to=assigned_to,
            language=language,
            overdue=overdue,
            references=references,
            hide_closed=hide_closed,
        )
        return cases.summaries(self._ctx.db, where, limit=limit, after=after)

    def languages(self) -> builtins.list[str]:
        """Every language some case is conducted in (for the list's filter)."""
        self._ctx.require(Permission.CASE_READ)
        return cases.languages(self._ctx.db)

    def _filter(
        self,
        status: CaseStatus | None,
        *,
        assigned_to: str | None = None,
        language: str | None = None,
        overdue: bool = False,
        references: Sequence[str] | None = None,
        hide_closed: bool = False,
    ) -> cases.CaseFilter:
        return cases.CaseFilter(
            status=status,
            assigned_to=assigned_to,
            language=language,
            overdue_at=self._ctx.now() if overdue else None,
            references=references,
            hide_closed=hide_closed,
        )

    def set_status(self, reference: str, status: CaseStatus) -> Case:
        ctx = self._ctx
        ctx.require(Permission.CASE_WRITE)
        row = find_case_row(ctx, reference)
        with ctx.write("case.status_changed", "case_file", row["id"]) as w:
            w.update("case_file", row["id"], {"status": status.value, "updated_at": ctx.now()})
            w.details.update({"from": row["status"], "to": status.value})
        return self.get(reference)

    def close(self, reference: str, reason: str) -> Case:
        """Close a case, with the reason in its audit event; its records stay as they are."""
        return self._close_or_reopen(reference, reason, CaseStatus.CLOSED, "case.closed")

    def reopen(self, reference: str, reason: str) -> Case:
        return self._close_or_reopen(reference, reason, CaseStatus.OPEN, "case.reopened")

    def _close_or_reopen(
        self, reference: str, reason: str, status: CaseStatus, action: str
    ) -> Case:
        ctx = self._ctx
        ctx.require(Permission.CASE_WRITE)
        if not reason.strip():
            raise InvalidInput(_("Give the reason: it is kept in the case's history."))
        row = find_case_row(ctx, reference)
        closed = row["status"] in (CaseStatus.CLOSED.value, CaseStatus.ARCHIVED.value)
        if closed == (status is CaseStatus.CLOSED):
            raise InvalidInput(
                _("This case is already closed.")
                if closed
                else _("This case is open: there is nothing to reopen.")
            )
        with ctx.write(action, "case_file", row["id"]) as w:
            w.update("case_file", row["id"], {"status": status.value, "updated_at": ctx.now()})
            w.details.update({"from": row["status"], "to": status.value, "reason": reason.strip()})
        return self.get(reference)

    def assign(self, reference: str, username: str) -> Case:
        ctx = self._ctx
        ctx.require(Permission.CASE_WRITE)
        row = find_case_row(ctx, reference)
        user = repo.user_by_username(ctx.db, username)
        if user is None or user.removed_at:
            raise NotFound(_("There is no user called {name}.").format(name=username))
        with ctx.write("case.assigned", "case_file", row["id"]) as w:
            w.db.execute(
                "INSERT OR IGNORE INTO case_assignment(case_id, user_id) VALUES (?, ?)",
                (row["id"], user.id),
            )
            w.touched.append(("case_assignment", f"{row['id']}/{user.id}"))
            w.details["username"] = username
        return self.get(reference)

    # -- persons --------------------------------------------------------------------------
    def add_person(
        self,
        reference: str,
        *,
        role: PersonRole,
        pseudonym: str,
        legal_name: str | None = None,
        date_of_birth: str | None = None,
        age_range: str | None = None,
        gender: str | None = None,
        languages: builtins.list[str] | None = None,
        is_minor: bool = False,
        notes: str | None = None,
    ) -> Person:
        ctx = self._ctx
        ctx.require(Permission.PERSON_WRITE)
        if not pseudonym.strip():
            raise InvalidInput(
                _("Every person needs a pseudonym, used wherever identity may not be shown.")
            )
        row = find_case_row(ctx, reference)
        person_id, now = new_id(), ctx.now()
        languages = check_language_codes(languages or [])
        if not languages:  # a person speaks the case's language(s) until told otherwise
            languages = list(json.loads(row["languages"] or "[]"))
        with ctx.write("person.added", "person", person_id) as w:
            w.insert(
                "person",
                {
                    "id": person_id,
                    "case_id": row["id"],
                    "role": role.value,
                    "legal_name": legal_name,
                    "pseudonym": pseudonym.strip(),
                    "date_of_birth": date_of_birth,
                    "age_range": age_range,
                    "gender": gender,
                    "languages": as_json(languages or []),
                    "is_minor": int(is_minor),
                    "notes": notes,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            w.update("case_file", row["id"], {"updated_at": now, **self._languages(row)})
            w.details.update({"case": row["reference"], "role": role.value})
        return self.person(person_id)

    def update_person(self, person_id: str, *, reason: str | None = None, **changes: Any) -> Person:
        """Change a person's details (audited). The identity fields (legal name, date of birth)
        are changed only by a role that may read them (S38), and only with a written reason,
        kept in the audit event."""
        ctx = self._ctx
        ctx.require(Permission.PERSON_WRITE)
        if IDENTITY_FIELDS & set(changes):
            ctx.require(Permission.IDENTITY_READ)
            if not (reason or "").strip():
                raise InvalidInput(_("Changing a legal name or a date of birth needs a reason."))
        allowed = {
            "legal_name",
            "pseudonym",
            "date_of_birth",
            "age_range",
            "gender",
            "languages",
            "is_minor",
            "notes",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInput(
                _("These fields cannot be changed: {fields}.").format(
                    fields=", ".join(sorted(unknown))
                )
            )
        if "pseudonym" in changes and not str(changes["pseudonym"] or "").strip():
            raise InvalidInput(
                _("Every person needs a pseudonym, used wherever identity may not be shown.")
            )
        if "languages" in changes:
            changes["languages"] = check_language_codes(changes["languages"] or [])
        person = self.person(person_id)
        values = {
            k: (as_json(v) if k == "languages" else int(v) if k == "is_minor" else v)
            for k, v in changes.items()
        }
        values["updated_at"] = ctx.now()
        with ctx.write("person.updated", "person", person_id) as w:
            w.update("person", person_id, values)
            w.details["fields"] = sorted(changes)
            if reason and reason.strip():
                w.details["reason"] = reason.strip()
            case = find_case_row(ctx, person.case_id)
            w.update(
                "case_file",
                person.case_id,
                {"updated_at": values["updated_at"], **self._languages(case)},
            )
        return self.person(person_id)

    def _languages(self, case_row: Any) -> dict[str, str]:
        """The case's languages follow its people: the union of theirs, the survivor's first
        (read inside the write, so the person just written counts). A case whose people have
        none recorded keeps the language it was opened in."""
        persons = people.of_case(self._ctx.db, case_row["id"])
        persons.sort(key=lambda p: p.role is not PersonRole.SURVIVOR)
        union = list(dict.fromkeys(code for p in persons for code in p.languages))
        return {"languages": as_json(union)} if union else {}

    def person(self, person_id: str) -> Person:
        self._ctx.require(Permission.CASE_READ)
        person = people.by_id(self._ctx.db, person_id)
        if person is None:
            raise NotFound(_("That person is not in this vault."))
        return self.as_seen(person.case_id, [person])[0]

    def persons(self, reference: str) -> builtins.list[Person]:
        self._ctx.require(Permission.CASE_READ)
        case_id = find_case_row(self._ctx, reference)["id"]
        return self.as_seen(case_id, people.of_case(self._ctx.db, case_id))

    def survivor(self, reference: str) -> Person | None:
        self._ctx.require(Permission.CASE_READ)
        case_id = find_case_row(self._ctx, reference)["id"]
        survivor = people.survivor(self._ctx.db, case_id)
        return None if survivor is None else self.as_seen(case_id, [survivor])[0]

    def as_seen(self, case_id: str, persons: builtins.list[Person]) -> builtins.list[Person]:
        """The people of a case as the acting user's role may see them (S38), in every output:
        the screens, ``show`` and ``show --json`` all read them through here."""
        if self._ctx.can(Permission.IDENTITY_READ):
            return persons
        db = self._ctx.db
        survivor = people.survivor(db, case_id)
        plan = liaison.contact_plan_of_case(db, case_id)
        minor = bool(survivor and survivor.is_minor)
        return [contact_view(p, plan, minor) for p in persons]
