"""Cases and the people in them."""

from __future__ import annotations

import builtins
import secrets
from collections.abc import Sequence
from typing import Any

from intake_app.core.errors import InvalidInput, NotFound
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import Case, CaseStatus, CaseSummary, Person, PersonRole
from intake_app.core.services.base import ServiceContext, as_json, new_id
from intake_app.core.vault import repositories as repo

# Short, human, non-identifying references: no 0/O, 1/I/L confusion.
_REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def find_case_row(ctx: ServiceContext, reference: str) -> Any:
    return ctx.case_row(reference)


class CaseService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def _new_reference(self) -> str:
        for length in (4, 4, 4, 5, 5, 5, 6, 6, 6, 8):
            reference = "C-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(length))
            if (
                self._ctx.db.one("SELECT 1 FROM case_file WHERE reference = ?", (reference,))
                is None
            ):
                return reference
        raise RuntimeError("no free case reference")  # 10 collisions in a row: a bug, not bad luck

    def open(self, *, languages: list[str] | None = None, tags: list[str] | None = None) -> Case:
        ctx = self._ctx
        ctx.require(Permission.CASE_WRITE)
        case_id, now = new_id(), ctx.now()
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
        where, params = self._where(status, **filters)
        return int(self._ctx.db.one(f"SELECT count(*) FROM case_file {where}", params)[0])

    def list(
        self,
        *,
        status: CaseStatus | None = None,
        assigned_to: str | None = None,
        language: str | None = None,
        overdue: bool = False,
        references: Sequence[str] | None = None,
        limit: int = 200,
        after: CaseSummary | None = None,
    ) -> builtins.list[CaseSummary]:
        """Most recently updated first; filters combine (all must hold). ``after`` continues
        from that case (keyset paging: the next page costs the same at any depth, where an
        OFFSET would walk past every case before it)."""
        self._ctx.require(Permission.CASE_READ)
        where, params = self._where(
            status,
            assigned_to=assigned_to,
            language=language,
            overdue=overdue,
            references=references,
        )
        if after is not None:
            where += (" AND " if where else "WHERE ") + (
                "updated_at <= ? AND (updated_at < ? OR id > ?)"
            )
            params = [*params, after.updated_at, after.updated_at, after.id]
        rows = self._ctx.db.all(
            f"SELECT id, reference, status, languages, updated_at FROM case_file {where}"
            " ORDER BY updated_at DESC, id LIMIT ?",
            (*params, limit),
        )
        return [repo.case_summary(r) for r in rows]

    def languages(self) -> builtins.list[str]:
        """Every language some case is conducted in (for the list's filter)."""
        self._ctx.require(Permission.CASE_READ)
        rows = self._ctx.db.all(
            "SELECT DISTINCT j.value FROM case_file, json_each(case_file.languages) AS j ORDER BY j.value"
        )
        return [str(r[0]) for r in rows]

    def _where(
        self,
        status: CaseStatus | None,
        *,
        assigned_to: str | None = None,
        language: str | None = None,
        overdue: bool = False,
        references: Sequence[str] | None = None,
    ) -> tuple[str, builtins.list[Any]]:
        clauses: builtins.list[str] = []
        params: builtins.list[Any] = []
        if references is not None:
            clauses.append(f"reference IN ({','.join('?' * len(references)) or 'NULL'})")
            params += list(references)
        if status is not None:
            clauses.append("status = ?")
            params.append(status.value)
        if assigned_to:
            clauses.append(
                "EXISTS (SELECT 1 FROM case_assignment a JOIN app_user u ON u.id = a.user_id"
                " WHERE a.case_id = case_file.id AND u.username = ?)"
            )
            params.append(assigned_to)
        if language:
            clauses.append("EXISTS (SELECT 1 FROM json_each(case_file.languages) WHERE value = ?)")
            params.append(language)
        if overdue:  # a referral unanswered past its date, or news promised and not yet given
            now = self._ctx.now()
            clauses.append(
                "(EXISTS (SELECT 1 FROM referral r WHERE r.case_id = case_file.id AND r.status = 'sent'"
                " AND r.due_at < ?) OR EXISTS (SELECT 1 FROM liaison_update l WHERE l.case_id = case_file.id"
                " AND l.feedback_due < ? AND l.status NOT IN ('acknowledged', 'failed')))"
            )
            params += [now, now]
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def set_status(self, reference: str, status: CaseStatus) -> Case:
        ctx = self._ctx
        ctx.require(Permission.CASE_WRITE)
        row = find_case_row(ctx, reference)
        with ctx.write("case.status_changed", "case_file", row["id"]) as w:
            w.update("case_file", row["id"], {"status": status.value, "updated_at": ctx.now()})
            w.details.update({"from": row["status"], "to": status.value})
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
            w.update("case_file", row["id"], {"updated_at": now})
            w.details.update({"case": row["reference"], "role": role.value})
        return self.person(person_id)

    def update_person(self, person_id: str, **changes: Any) -> Person:
        ctx = self._ctx
        ctx.require(Permission.PERSON_WRITE)
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
        person = self.person(person_id)
        values = {
            k: (as_json(v) if k == "languages" else int(v) if k == "is_minor" else v)
            for k, v in changes.items()
        }
        values["updated_at"] = ctx.now()
        with ctx.write("person.updated", "person", person_id) as w:
            w.update("person", person_id, values)
            w.details["fields"] = sorted(changes)
            w.update("case_file", person.case_id, {"updated_at": values["updated_at"]})
        return self.person(person_id)

    def person(self, person_id: str) -> Person:
        self._ctx.require(Permission.CASE_READ)
        row = self._ctx.db.one("SELECT * FROM person WHERE id = ?", (person_id,))
        if row is None:
            raise NotFound(_("That person is not in this vault."))
        return repo.person(row)

    def persons(self, reference: str) -> builtins.list[Person]:
        self._ctx.require(Permission.CASE_READ)
        row = find_case_row(self._ctx, reference)
        return [
            repo.person(r)
            for r in self._ctx.db.all(
                "SELECT * FROM person WHERE case_id = ? ORDER BY created_at", (row["id"],)
            )
        ]

    def survivor(self, reference: str) -> Person | None:
        return next((p for p in self.persons(reference) if p.role is PersonRole.SURVIVOR), None)
