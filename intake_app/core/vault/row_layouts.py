"""Which columns a row digest covers: a declared, versioned column list per digested table.

A row's digest (core/vault/audit.py) covers exactly the columns of one layout version, and the
digest says which: version 1 digests are bare hex (what every vault written before schema 10
holds, taken over ``SELECT *`` at schema 9, whose column sets these are), later ones are written
``"<version>:<hex>"``. The version sits inside the event hash with the digest, so it cannot be
swapped without breaking the chain.

Adding a column to a digested table is then an ordinary migration:

1. add ``Layout(since=<migration number>, columns=<previous columns> + ("new_column",))`` under
   the next version of the table below;
2. write the migration (``ALTER TABLE … ADD COLUMN``). Rows keep their old digests, which still
   verify: a column a digest does not cover must be NULL in that row, so the new column is
   protected from the first moment. If the migration gives existing rows a value (a default
   other than NULL, a backfill), it lists them with ``step.redigest`` (see the migrations
   package): its ``schema.migrated`` event records their digests under the new layout.

Every write from then on digests the table's newest layout that the vault's schema has reached.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    since: int  # the schema version (migration number) from which rows are written this way
    columns: tuple[str, ...]


def _v1(*columns: str) -> dict[int, Layout]:
    return {1: Layout(since=1, columns=columns)}


# fmt: off
LAYOUTS: dict[str, dict[int, Layout]] = {
    "app_user": _v1("id", "username", "display_name", "role", "created_at", "removed_at"),
    "case_file": _v1("id", "reference", "status", "tags", "languages", "created_by", "created_at", "updated_at"),
    "case_assignment": _v1("case_id", "user_id"),
    "person": _v1("id", "case_id", "role", "legal_name", "pseudonym", "date_of_birth", "age_range", "gender", "languages", "is_minor", "notes", "created_at", "updated_at"),
    "form_response": _v1("id", "case_id", "form_id", "form_version", "languages", "answers", "status", "created_by", "created_at", "updated_at"),
    "interview_session": _v1("id", "case_id", "interviewer_id", "interpreter", "persons_present", "location", "status", "started_at", "ended_at", "stopped_early", "survivor_instruction"),
    "session_break": _v1("id", "session_id", "started_at", "ended_at", "reason"),
    "statement": _v1("id", "case_id", "person_id", "title", "created_by", "created_at"),
    "statement_version": _v1("id", "statement_id", "number", "session_id", "language", "text", "translation", "translation_language", "translator", "status", "sha256", "sealed_by", "sealed_at", "readback", "readback_note", "supersedes_id", "amendment_reason", "created_by", "created_at", "updated_at"),
    "attachment": _v1("id", "case_id", "filename", "media_type", "size", "sha256", "derived_from", "description", "created_by", "created_at"),
    "consent": _v1("id", "case_id", "person_id", "purpose", "scope", "decision", "basis", "justification", "override_by", "given_by", "child_assent", "explained_language", "interpreter", "notes", "recorded_by", "recorded_at", "expires_at", "withdrawn_at", "withdrawn_by", "withdrawal_reason"),
    "service_provider": _v1("id", "type", "organisation", "contact", "languages", "locations", "notes", "created_at", "updated_at"),
    "referral": _v1("id", "case_id", "provider_id", "service_type", "status", "needs", "due_at", "decline_reason", "outcome", "revoke_reason", "override_justification", "created_by", "created_at", "updated_at"),
    "referral_transition": _v1("id", "referral_id", "from_status", "to_status", "at", "by_user", "note"),
    "contact_plan": _v1("id", "case_id", "safe_channels", "unsafe_channels", "safe_times", "code_word", "intermediary", "preferred_language", "notes", "updated_by", "updated_at"),
    "liaison_update": _v1("id", "case_id", "kind", "channel", "language", "body", "status", "feedback_due", "failure_reason", "prepared_by", "prepared_at", "updated_at"),
    "recipient": _v1("id", "name", "organisation", "role", "language", "certificate", "fingerprint", "created_at", "removed_at"),
    "form_definition": {
        **_v1("id", "form_id", "version", "title", "languages", "source_name", "source", "sha256", "shipped", "added_by", "added_at", "retired_at"),
        2: Layout(since=14, columns=("id", "form_id", "version", "title", "languages", "source_name", "source", "sha256", "shipped", "added_by", "added_at", "retired_at", "media")),
    },
    "signing_identity": _v1("id", "user_id", "private_key", "certificate", "chain", "fingerprint", "source", "created_at", "retired_at"),
    "export_record": _v1("id", "case_id", "recipient_id", "purpose", "protection", "file_sha256", "size", "pages", "decisions", "embedded", "override_justification", "signer_fingerprint", "audit_head_seq", "audit_head_hash", "exported_by", "exported_at"),
    "promise": _v1("id", "case_id", "update_id", "what", "due_at", "made_by", "made_at", "kept_at", "kept_by", "kept_note"),
    "referral_follow_up": _v1("id", "follow_up_at", "set_by", "set_at"),
    "vault_setting": _v1("id", "value", "set_by", "set_at"),
}
# fmt: on


def current(table: str, schema: int) -> tuple[int, Layout]:
    """The layout version new digests of ``table`` use in a vault at schema version ``schema``."""
    versions = LAYOUTS[table]
    number = max(v for v, layout in versions.items() if layout.since <= schema)
    return number, versions[number]


def tagged(version: int, digest: str) -> str:
    return digest if version == 1 else f"{version}:{digest}"


def untagged(recorded: str) -> tuple[int | None, str]:
    """(layout version, hex digest) of a recorded digest; version None when it is not one this
    code knows (the row is then reported as differing, never silently accepted)."""
    version, sep, digest = recorded.rpartition(":")
    if not sep:
        return 1, recorded
    return (int(version), digest) if version.isdigit() else (None, digest)
