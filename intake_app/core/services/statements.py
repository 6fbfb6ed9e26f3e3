"""Testimony: statements, draft autosave, sealing, amendments."""

from __future__ import annotations

from typing import Any

from intake_app.core.errors import InvalidInput, NotFound, SealedRecord
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import Readback, Statement, StatementStatus
from intake_app.core.services.base import ServiceContext, new_id
from intake_app.core.services.cases import find_case_row
from intake_app.core.testimony import RecoveredDraft, seal_hash
from intake_app.core.vault import repositories as repo
from intake_app.core.vault import search_index
from intake_app.core.vault.repositories import statements

MAX_TEXT = 2_000_000  # characters; a whole day's testimony is far below this


class StatementService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def create(
        self,
        reference: str,
        *,
        title: str,
        language: str,
        person_id: str | None = None,
        session_id: str | None = None,
        text: str = "",
    ) -> Statement:
        ctx = self._ctx
        ctx.require(Permission.TESTIMONY_WRITE)
        row = find_case_row(ctx, reference)
        _check_language(language)
        statement_id, version_id, now = new_id(), new_id(), ctx.now()
        with ctx.write("statement.created", "statement", statement_id) as w:
            w.insert(
                "statement",
                {
                    "id": statement_id,
                    "case_id": row["id"],
                    "person_id": person_id,
                    "title": title.strip() or _("Statement"),
                    "created_by": ctx.actor.id,
                    "created_at": now,
                },
            )
            w.insert(
                "statement_version",
                {
                    "id": version_id,
                    "statement_id": statement_id,
                    "number": 1,
                    "session_id": session_id,
                    "language": language,
                    "text": _checked_text(text),
                    "status": StatementStatus.DRAFT.value,
                    "created_by": ctx.actor.id,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            w.update("case_file", row["id"], {"updated_at": now})
            w.details.update({"case": row["reference"], "language": language})
        return self._load(statement_id)

    def save_draft(
        self,
        version_id: str,
        *,
        text: str,
        translation: str | None = None,
        translation_language: str | None = None,
        translator: str | None = None,
        settle: bool = True,
    ) -> str:
        """Autosave: one small transaction; returns the time saved. Sealed versions refuse.

        ``settle=False`` (while the typing goes on) leaves the search entry for the next pause:
        updating it securely costs far more than saving the text (see migration 0008)."""
        ctx = self._ctx
        ctx.require(Permission.TESTIMONY_WRITE)
        version = self._version_row(version_id)
        if version["status"] == StatementStatus.SEALED.value:
            raise SealedRecord(
                _("This statement is sealed and cannot be changed; amend it as a new version.")
            )
        now = ctx.now()
        with ctx.write("statement.draft_saved", "statement_version", version_id, anchor=False) as w:
            search_index.defer(ctx.db, version_id, deferred=not settle)
            w.update(
                "statement_version",
                version_id,
                {
                    "text": _checked_text(text),
                    "translation": translation,
                    "translation_language": translation_language,
                    "translator": translator,
                    "updated_at": now,
                },
            )
            w.details.update({"characters": len(text)})
        return now

    def settle_search(self, version_id: str) -> None:
        """Bring a draft's search entry up to date after typing paused (derived data: the record
        itself was saved and audited by the autosave)."""
        ctx = self._ctx
        ctx.require(Permission.TESTIMONY_WRITE)
        with ctx.db.transaction():
            search_index.settle(ctx.db, version_id)
        search_index.checkpoint_after(ctx.db)  # S3: the struck words' old pages leave the WAL

    def seal(
        self, version_id: str, *, readback: Readback, readback_note: str | None = None
    ) -> Statement:
        ctx = self._ctx
        ctx.require(Permission.TESTIMONY_SEAL)
        version = self._version_row(version_id)
        if version["status"] == StatementStatus.SEALED.value:
            raise SealedRecord(_("This statement is already sealed."))
        if not version["text"].strip():
            raise InvalidInput(_("An empty statement cannot be sealed."))
        if readback is not Readback.CONFIRMED and not (readback_note or "").strip():
            raise InvalidInput(_("Say why the statement was not read back to the survivor."))
        digest = seal_hash(dict(version))
        now = ctx.now()
        with ctx.write("statement.sealed", "statement_version", version_id) as w:
            search_index.settle(ctx.db, version_id)  # sealed text is searchable as sealed
            w.update(
                "statement_version",
                version_id,
                {
                    "status": StatementStatus.SEALED.value,
                    "sha256": digest,
                    "sealed_by": ctx.actor.id,
                    "sealed_at": now,
                    "readback": readback.value,
                    "readback_note": readback_note,
                    "updated_at": now,
                },
            )
            w.details.update(
                {"sha256": digest, "version": int(version["number"]), "readback": readback.value}
            )
        return self._load(version["statement_id"])

    def amend(self, statement_id: str, *, reason: str) -> Statement:
        """A new draft version that will supersede the latest sealed one once it is sealed."""
        ctx = self._ctx
        ctx.require(Permission.TESTIMONY_WRITE)
        if not reason.strip():
            raise InvalidInput(_("Give the reason for the amendment."))
        latest = statements.latest_version_row(ctx.db, statement_id)
        if latest is None:
            raise NotFound(_("That statement is not in this vault."))
        if latest["status"] != StatementStatus.SEALED.value:
            raise InvalidInput(
                _("The latest version is still a draft: edit it instead of amending.")
            )
        version_id, now = new_id(), ctx.now()
        with ctx.write("statement.amendment_started", "statement_version", version_id) as w:
            w.insert(
                "statement_version",
                {
                    "id": version_id,
                    "statement_id": statement_id,
                    "number": int(latest["number"]) + 1,
                    "session_id": latest["session_id"],
                    "language": latest["language"],
                    "text": latest["text"],
                    "translation": latest["translation"],
                    "translation_language": latest["translation_language"],
                    "translator": latest["translator"],
                    "status": StatementStatus.DRAFT.value,
                    "supersedes_id": latest["id"],
                    "amendment_reason": reason.strip(),
                    "created_by": ctx.actor.id,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            w.details.update({"supersedes": latest["id"]})
        return self._load(statement_id)

    def get(self, statement_id: str) -> Statement:
        """The statement with its versions; text only for roles that may read testimony (audited)."""
        statement = self._load(statement_id)
        if self._ctx.can(Permission.TESTIMONY_READ):
            self._ctx.viewed("statement.viewed", "statement", statement_id)
        return statement

    def _load(self, statement_id: str) -> Statement:
        ctx = self._ctx
        ctx.require(Permission.CASE_READ)
        row = statements.statement_row(ctx.db, statement_id)
        if row is None:
            raise NotFound(_("That statement is not in this vault."))
        return repo.statement(ctx.db, row, with_text=ctx.can(Permission.TESTIMONY_READ))

    def for_case(self, reference: str, *, audited: bool = True) -> list[Statement]:
        """``audited=False`` only for an export's preview, which shows no text: the export
        itself is the audited use of the testimony."""
        ctx = self._ctx
        ctx.require(Permission.CASE_READ)
        case = find_case_row(ctx, reference)
        with_text = ctx.can(Permission.TESTIMONY_READ)
        rows = statements.statement_rows(ctx.db, case["id"])
        if with_text and rows and audited:
            ctx.viewed("statement.viewed", "case_file", case["id"], {"statements": len(rows)})
        return [repo.statement(ctx.db, r, with_text=with_text) for r in rows]

    def recovered(self) -> list[RecoveredDraft]:
        """Drafts autosaved by this user's previous session, which ended without a lock."""
        from intake_app.core.services.recovery import recovered_testimony

        return recovered_testimony(self._ctx)

    def _version_row(self, version_id: str) -> Any:
        row = statements.version_row(self._ctx.db, version_id)
        if row is None:
            raise NotFound(_("That statement version is not in this vault."))
        return row


def _checked_text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("This text is too long to store as one statement; split it."))
    return text


def _check_language(language: str) -> None:
    if not language or len(language) > 35 or not all(c.isalnum() or c in "-_" for c in language):
        raise InvalidInput(_("Give the language as a code such as en, ar or uk."))
