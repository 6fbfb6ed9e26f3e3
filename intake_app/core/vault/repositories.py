"""Reads: rows → frozen records. No writes here (services are the only writers)."""

from __future__ import annotations

import json
from typing import Any

from intake_app.core.records import (
    Attachment,
    Basis,
    Case,
    CaseStatus,
    CaseSummary,
    Channel,
    Consent,
    ContactPlan,
    Decision,
    ExportRecord,
    FormDefinition,
    FormResponse,
    GivenBy,
    InterviewSession,
    LiaisonUpdate,
    Person,
    PersonRole,
    Promise,
    ProviderType,
    Purpose,
    Readback,
    Recipient,
    Referral,
    ReferralStatus,
    Role,
    ServiceProvider,
    SessionBreak,
    Statement,
    StatementStatus,
    StatementVersion,
    UpdateKind,
    UpdateStatus,
    User,
)
from intake_app.core.vault.db import Database


def _tuple(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text or "[]"))


def user(row: Any) -> User:
    return User(
        row["id"],
        row["username"],
        row["display_name"],
        Role(row["role"]),
        row["created_at"],
        row["removed_at"],
    )


def user_by_username(db: Database, username: str) -> User | None:
    row = db.one("SELECT * FROM app_user WHERE username = ?", (username,))
    return None if row is None else user(row)


def users(db: Database) -> list[User]:
    return [user(r) for r in db.all("SELECT * FROM app_user ORDER BY username")]


def case_summary(row: Any) -> CaseSummary:
    return CaseSummary(
        row["id"],
        row["reference"],
        CaseStatus(row["status"]),
        _tuple(row["languages"]),
        row["updated_at"],
    )


def case(db: Database, row: Any) -> Case:
    assigned = tuple(
        r[0]
        for r in db.all(
            "SELECT u.username FROM case_assignment a JOIN app_user u ON u.id = a.user_id"
            " WHERE a.case_id = ? ORDER BY u.username",
            (row["id"],),
        )
    )
    return Case(
        row["id"],
        row["reference"],
        CaseStatus(row["status"]),
        _tuple(row["tags"]),
        _tuple(row["languages"]),
        assigned,
        row["created_by"],
        row["created_at"],
        row["updated_at"],
    )


def person(row: Any) -> Person:
    return Person(
        row["id"],
        row["case_id"],
        PersonRole(row["role"]),
        row["legal_name"],
        row["pseudonym"],
        row["date_of_birth"],
        row["age_range"],
        row["gender"],
        _tuple(row["languages"]),
        bool(row["is_minor"]),
        row["notes"],
    )


def statement_version(row: Any, *, with_text: bool) -> StatementVersion:
    return StatementVersion(
        row["id"],
        row["statement_id"],
        int(row["number"]),
        row["session_id"],
        row["language"],
        row["text"] if with_text else None,
        row["translation"] if with_text else None,
        row["translation_language"],
        row["translator"],
        StatementStatus(row["status"]),
        row["sha256"],
        row["sealed_by"],
        row["sealed_at"],
        Readback(row["readback"]) if row["readback"] else None,
        row["readback_note"],
        row["supersedes_id"],
        row["amendment_reason"],
        row["created_by"],
        row["created_at"],
        row["updated_at"],
    )


def statement(db: Database, row: Any, *, with_text: bool) -> Statement:
    versions = tuple(
        statement_version(v, with_text=with_text)
        for v in db.all(
            "SELECT * FROM statement_version WHERE statement_id = ? ORDER BY number", (row["id"],)
        )
    )
    return Statement(
        row["id"],
        row["case_id"],
        row["person_id"],
        row["title"],
        row["created_by"],
        row["created_at"],
        versions,
    )


def session(db: Database, row: Any) -> InterviewSession:
    breaks = tuple(
        SessionBreak(b["id"], b["started_at"], b["ended_at"], b["reason"])
        for b in db.all(
            "SELECT * FROM session_break WHERE session_id = ? ORDER BY started_at", (row["id"],)
        )
    )
    return InterviewSession(
        row["id"],
        row["case_id"],
        row["interviewer_id"],
        row["interpreter"],
        _tuple(row["persons_present"]),
        row["location"],
        row["status"],
        row["started_at"],
        row["ended_at"],
        bool(row["stopped_early"]),
        row["survivor_instruction"],
        breaks,
    )


def attachment(row: Any) -> Attachment:
    return Attachment(
        row["id"],
        row["case_id"],
        row["filename"],
        row["media_type"],
        int(row["size"]),
        row["sha256"],
        row["derived_from"],
        row["description"],
        row["created_by"],
        row["created_at"],
    )


def consent(row: Any) -> Consent:
    return Consent(
        row["id"],
        row["case_id"],
        row["person_id"],
        Purpose(row["purpose"]),
        row["scope"],
        Decision(row["decision"]),
        Basis(row["basis"]),
        row["justification"],
        row["override_by"],
        GivenBy(row["given_by"]),
        row["child_assent"],
        row["explained_language"],
        row["interpreter"],
        row["notes"],
        row["recorded_by"],
        row["recorded_at"],
        row["expires_at"],
        row["withdrawn_at"],
        row["withdrawn_by"],
        row["withdrawal_reason"],
    )


def consents(db: Database, case_id: str) -> list[Consent]:
    return [
        consent(r)
        for r in db.all(
            "SELECT * FROM consent WHERE case_id = ? ORDER BY recorded_at, id", (case_id,)
        )
    ]


def provider(row: Any) -> ServiceProvider:
    return ServiceProvider(
        row["id"],
        ProviderType(row["type"]),
        row["organisation"],
        row["contact"],
        _tuple(row["languages"]),
        row["locations"],
        row["notes"],
    )


def referral(row: Any) -> Referral:
    return Referral(
        row["id"],
        row["case_id"],
        row["provider_id"],
        ProviderType(row["service_type"]),
        ReferralStatus(row["status"]),
        row["needs"],
        row["due_at"],
        row["decline_reason"],
        row["outcome"],
        row["revoke_reason"],
        row["override_justification"],
        row["created_by"],
        row["created_at"],
        row["updated_at"],
    )


def promise(row: Any) -> Promise:
    return Promise(
        row["id"],
        row["case_id"],
        row["update_id"],
        row["what"],
        row["due_at"],
        row["made_by"],
        row["made_at"],
        row["kept_at"],
        row["kept_by"],
        row["kept_note"],
    )


def contact_plan(row: Any) -> ContactPlan:
    return ContactPlan(
        row["case_id"],
        tuple(Channel(c) for c in _tuple(row["safe_channels"])),
        tuple(Channel(c) for c in _tuple(row["unsafe_channels"])),
        row["safe_times"],
        row["code_word"],
        row["intermediary"],
        row["preferred_language"],
        row["notes"],
        row["updated_by"],
        row["updated_at"],
    )


def liaison_update(row: Any) -> LiaisonUpdate:
    return LiaisonUpdate(
        row["id"],
        row["case_id"],
        UpdateKind(row["kind"]),
        Channel(row["channel"]),
        row["language"],
        row["body"],
        UpdateStatus(row["status"]),
        row["feedback_due"],
        row["failure_reason"],
        row["prepared_by"],
        row["prepared_at"],
        row["updated_at"],
    )


def recipient(row: Any) -> Recipient:
    return Recipient(
        row["id"],
        row["name"],
        row["organisation"],
        row["role"],
        row["language"],
        row["fingerprint"],
        row["created_at"],
    )


def form_response(row: Any) -> FormResponse:
    return FormResponse(
        row["id"],
        row["case_id"],
        row["form_id"],
        row["form_version"],
        _tuple(row["languages"]),
        row["answers"],
        row["status"],
        row["created_by"],
        row["created_at"],
        row["updated_at"],
    )


def form_definition(row: Any) -> FormDefinition:
    return FormDefinition(
        row["id"],
        row["form_id"],
        row["version"],
        row["title"],
        _tuple(row["languages"]),
        row["source_name"],
        row["sha256"],
        bool(row["shipped"]),
        row["added_at"],
    )


def export_record(row: Any) -> ExportRecord:
    return ExportRecord(
        row["id"],
        row["case_id"],
        row["case_reference"],
        row["recipient_id"],
        row["recipient_name"],
        Purpose(row["purpose"]),
        row["protection"],
        row["file_sha256"],
        int(row["size"]),
        int(row["pages"]),
        json.loads(row["decisions"]),
        _tuple(row["embedded"]),
        row["override_justification"],
        row["signer_fingerprint"],
        int(row["audit_head_seq"]),
        row["audit_head_hash"],
        row["exported_by"],
        row["exported_at"],
    )


EXPORT_RECORD_SELECT = (
    "SELECT e.*, c.reference AS case_reference, r.name AS recipient_name FROM export_record e"
    " JOIN case_file c ON c.id = e.case_id JOIN recipient r ON r.id = e.recipient_id"
)
