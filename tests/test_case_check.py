"""S35: before an export, a referral form or a letter uses a case, every row it reads is checked
against its last audited digest (core/vault/case_check.py).

Each test first makes the attack work: with the vault key (the test holds the open connection) it
edits the stored rows the way the services never would, triggers dropped and restored, and shows
that the edit took (the consent service now reads the forged decision). Then the use is refused
with "damaged" and nothing of the case leaves.
"""

from __future__ import annotations

import io
import os
import subprocess
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from support import (
    LEGAL_NAME,
    FakeClock,
    build_export_case,
    cheap_options,
    create_vault,
    recipient_key_and_certificate,
)

from intake_app.core.errors import VaultDamaged
from intake_app.core.records import Channel, Decision, Purpose, UpdateKind
from intake_app.core.services.exports import ExportRequest
from intake_app.core.vault import audit
from intake_app.core.vault.case_check import require_case_intact, verify_case
from intake_app.core.vault.integrity import full_check

PASSWORD = b"a long shared password"
IDENTITY_SCOPE = ["category:investigators"]


@pytest.fixture(scope="module")
def certificates():
    return recipient_key_and_certificate()[1], recipient_key_and_certificate()[1]


@pytest.fixture
def world(tmp_path, certificates):
    """A vault with two export cases (identity refused in both) and a recipient."""
    options = cheap_options(clock=FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)))
    services, _key = create_vault(tmp_path / "vault", options)
    ref = build_export_case(services)
    other = build_export_case(services)
    services.recipients.add(
        name="Unit 3", organisation="Office of the Prosecutor", role="investigators",
        language="en", certificate=certificates[0].public_bytes(serialization.Encoding.PEM),
    )  # fmt: skip
    yield services, ref, other
    if services.ctx.vault.is_open:
        services.lock()


def case_id(services, ref: str) -> str:
    return services.ctx.case_row(ref)["id"]


def with_trigger_dropped(db, trigger: str, sql: str, params=()) -> None:
    """What a key holder can do: drop a trigger, edit, put the trigger back as it was."""
    (definition,) = db.one("SELECT sql FROM sqlite_schema WHERE name = ?", (trigger,))
    db.execute(f"DROP TRIGGER {trigger}")
    db.execute(sql, params)
    db.execute(definition)


def identity_live(services, ref: str) -> bool:
    return services.consent.status(ref, Purpose.DISCLOSE_IDENTITY, IDENTITY_SCOPE).live


def assert_refused(services, ref: str) -> None:
    with pytest.raises(VaultDamaged, match="damaged") as refused:
        services.exports.export(ExportRequest(ref, "Unit 3", password=PASSWORD))
    assert "Restore it from a backup" in refused.value.message
    assert LEGAL_NAME not in refused.value.message
    assert services.exports.history(ref) == []


def forge_identity_consent(services, ref: str) -> None:
    with_trigger_dropped(
        services.ctx.db, "consent_ledger_no_edit",
        "UPDATE consent SET decision = 'granted' WHERE case_id = ? AND purpose = ?",
        (case_id(services, ref), Purpose.DISCLOSE_IDENTITY.value),
    )  # fmt: skip


def test_an_edited_consent_refuses_the_export(world):
    services, ref, _other = world
    assert not identity_live(services, ref)
    forge_identity_consent(services, ref)
    assert identity_live(services, ref)  # the attack took: the policy would disclose the name
    assert any("consent row" in p for p in verify_case(services.ctx.db, case_id(services, ref)))
    with pytest.raises(VaultDamaged, match="damaged"):
        services.exports.prepare(ExportRequest(ref, "Unit 3", password=PASSWORD))
    assert_refused(services, ref)


def test_a_rewritten_sealed_statement_refuses_the_export(world):
    services, ref, _other = world
    db = services.ctx.db
    (version_id,) = db.one(
        "SELECT v.id FROM statement_version v JOIN statement s ON s.id = v.statement_id"
        " WHERE s.case_id = ? AND v.status = 'sealed'",
        (case_id(services, ref),),
    )
    with_trigger_dropped(
        db, "statement_version_sealed_no_update",
        "UPDATE statement_version SET text = 'They released me at once.' WHERE id = ?",
        (version_id,),
    )  # fmt: skip
    assert db.one("SELECT text FROM statement_version WHERE id = ?", (version_id,))[0].startswith(
        "They released"
    )
    problems = verify_case(db, case_id(services, ref))
    assert any("sealed statement version" in p for p in problems)
    assert any("statement_version row" in p for p in problems)
    assert_refused(services, ref)


def test_a_changed_legal_name_refuses_the_export(world):
    services, ref, _other = world
    services.ctx.db.execute(
        "UPDATE person SET legal_name = 'Someone Else' WHERE case_id = ?",
        (case_id(services, ref),),
    )
    assert services.cases.survivor(ref).legal_name == "Someone Else"
    assert_refused(services, ref)


def test_a_changed_recipient_certificate_refuses_the_export(world, certificates):
    services, ref, _other = world
    attacker = certificates[1].public_bytes(serialization.Encoding.DER)
    services.ctx.db.execute(
        "UPDATE recipient SET certificate = ? WHERE name = 'Unit 3'", (attacker,)
    )
    with pytest.raises(VaultDamaged, match="damaged"):
        services.exports.export(ExportRequest(ref, "Unit 3"))  # sealed to the certificate
    assert services.exports.history(ref) == []


def test_a_deleted_consent_row_refuses_the_export(world):
    """Deleting the refusal that superseded a grant brings the grant back: the row is missed
    because the audit log lists it among the case's rows (migration 0012's indexes)."""
    services, ref, _other = world
    services.consent.record(
        ref, purpose=Purpose.DISCLOSE_IDENTITY, decision=Decision.GRANTED, explained_language="ar"
    )
    refusal = services.consent.record(
        ref, purpose=Purpose.DISCLOSE_IDENTITY, decision=Decision.REFUSED, explained_language="ar"
    )
    assert not identity_live(services, ref)
    services.ctx.db.execute("DELETE FROM consent WHERE id = ?", (refusal.id,))
    assert identity_live(services, ref)  # the attack took
    problems = verify_case(services.ctx.db, case_id(services, ref))
    assert f"consent row {refusal.id[:8]} has disappeared" in problems
    assert_refused(services, ref)


def test_a_row_edited_while_sealing_is_caught_when_recorded(world):
    services, ref, _other = world
    prepared = services.exports.prepare(ExportRequest(ref, "Unit 3", password=PASSWORD))
    sealed = services.exports.seal(prepared)
    forge_identity_consent(services, ref)
    with pytest.raises(VaultDamaged, match="damaged"):
        services.exports.record(prepared, sealed)
    assert services.exports.history(ref) == []


def test_an_untouched_case_still_exports_beside_a_tampered_one(world, tmp_path):
    services, ref, other = world
    forge_identity_consent(services, ref)
    services.ctx.db.execute(
        "UPDATE person SET legal_name = 'Someone Else' WHERE case_id = ?",
        (case_id(services, ref),),
    )
    assert_refused(services, ref)
    assert verify_case(services.ctx.db, case_id(services, other)) == []
    record, data = services.exports.export(ExportRequest(other, "Unit 3", password=PASSWORD))
    assert record.case_reference == other and data.startswith(b"%PDF")
    assert not full_check(services.ctx.db).ok  # the whole-vault check still sees the other case


def test_a_forged_audit_event_is_caught_by_its_missing_signature(world):
    """A key holder who edits a row AND appends an audit event re-recording the edited row's
    digest, with the chain hash correctly recomputed, leaves a consistent chain whose latest
    digest matches the row: the row check alone cannot catch it. What catches it is S37: the
    event is not signed by its user's key, which only their passphrase yields. The per-case
    check reads the chain's key lookup (audit_signer); a forger who also slips their own key into
    that lookup is caught by ``audit verify``, which rebuilds the roster from the signed events
    (docs/security.md S35, S37)."""
    services, ref, _other = world
    db = services.ctx.db
    person_id = db.one("SELECT id FROM person WHERE case_id = ?", (case_id(services, ref),))[0]
    db.execute("UPDATE person SET legal_name = 'Someone Else' WHERE id = ?", (person_id,))
    assert verify_case(db, case_id(services, ref))  # the edit alone is caught
    with db.transaction():
        forged = audit.append(
            db, at=services.ctx.now(), user_id=services.ctx.actor.id, action="person.updated",
            entity="person", entity_id=person_id, details={"fields": ["legal_name"]},
            rows=[("person", person_id)],
        )  # fmt: skip
    assert verify_case(db, case_id(services, ref)) == [f"audit event {forged.seq} is not signed"]
    assert not full_check(db).ok
    assert_refused(services, ref)


def test_an_edited_audit_event_behind_a_row_is_caught(world):
    """An event rewritten in place (details changed, hash left) no longer matches the chain."""
    services, ref, _other = world
    db = services.ctx.db
    (seq,) = db.one(
        "SELECT max(seq) FROM audit_row_state WHERE tbl = 'case_file' AND row_id = ?",
        (case_id(services, ref),),
    )
    with_trigger_dropped(
        db, "audit_event_no_update", "UPDATE audit_event SET details = '{}' WHERE seq = ?", (seq,)
    )
    assert f"audit event {seq} does not match the chain" in verify_case(db, case_id(services, ref))
    assert_refused(services, ref)


def test_the_referral_form_is_refused_the_same_way(world):
    services, ref, _other = world
    services.consent.record(
        ref,
        purpose=Purpose.REFER_SERVICES,
        scope="provider:medical",
        decision=Decision.GRANTED,
        explained_language="ar",
    )
    (referral,) = services.referrals.for_case(ref)
    services.referral_forms.form(referral.id)  # an intact case: the form is made
    forge_identity_consent(services, ref)
    assert services.consent.status(
        ref, Purpose.DISCLOSE_IDENTITY, ["provider:medical", "category:service_providers"]
    ).live  # the attack took: the form would carry the legal name
    with pytest.raises(VaultDamaged, match="damaged"):
        services.referral_forms.form(referral.id)
    with pytest.raises(VaultDamaged, match="damaged"):
        services.referral_forms.view(referral.id)


def test_the_letter_is_refused_the_same_way(world, tmp_path):
    services, ref, _other = world
    services.consent.record(
        ref,
        purpose=Purpose.CONTACT,
        scope="channel:letter",
        decision=Decision.GRANTED,
        explained_language="ar",
    )
    services.liaison.set_contact_plan(ref, safe_channels=[Channel.LETTER], unsafe_channels=[])
    update = services.liaison.prepare_update(
        ref, kind=UpdateKind.HEARING, channel=Channel.LETTER, language="en",
        body="The hearing is on 3 March.",
    )  # fmt: skip
    pdf, missing = services.liaison.letter(update.id)
    assert pdf.startswith(b"%PDF") and missing == 0
    (tmp_path / "letter.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "letter.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "3 March" in text or not text  # pdftotext may be absent; the bytes are checked above
    assert services.admin.events(limit=1)[0].action == "update.letter_made"
    services.ctx.db.execute(
        "UPDATE liaison_update SET body = 'Come alone to the old mill tonight.' WHERE id = ?",
        (update.id,),
    )
    with pytest.raises(VaultDamaged, match="damaged"):
        services.liaison.letter(update.id)


def test_a_deleted_attachment_chunk_is_caught(world):
    services, ref, _other = world
    db = services.ctx.db
    attachment = services.attachments.add(ref, io.BytesIO(b"x" * 5000), filename="notes.txt")
    db.execute("DELETE FROM attachment_chunk WHERE attachment_id = ?", (attachment.id,))
    assert f"attachment {attachment.id[:8]} does not match its fingerprint" in verify_case(
        db, case_id(services, ref)
    )
    with pytest.raises(VaultDamaged):
        require_case_intact(db, case_id(services, ref))
    with pytest.raises(VaultDamaged, match="damaged"):  # an export carrying it
        services.exports.export(
            ExportRequest(ref, "Unit 3", password=PASSWORD, embed=(attachment.id,))
        )
    assert services.exports.history(ref) == []


def test_the_check_reads_through_indexes_only(world):
    """The cost must not grow with the vault: no statement of the check scans a table."""
    services, ref, _other = world
    services.exports.export(ExportRequest(ref, "Unit 3", password=PASSWORD))
    conn = services.ctx.db.conn
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        problems = verify_case(
            services.ctx.db, case_id(services, ref), user_id=services.ctx.actor.id,
            recipient_id=services.recipients.get("Unit 3").id,
        )  # fmt: skip
    finally:
        conn.set_trace_callback(None)
    assert problems == []
    queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) > 20
    scans = []
    for sql in set(queries):
        plan = [str(r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
        scans += [(sql, step) for step in plan if step.startswith("SCAN")]
    assert scans == []


def test_a_damaged_page_the_case_reads_refuses_the_export(world, tmp_path):
    """S5 at the point of use: SQLCipher authenticates every page it reads, so a page of the
    evidence an export carries, flipped on disk, refuses the export (the vault is opened as the GUI opens
    it, without the whole-file check first); the other case, on pages of its own, still exports
    once the vault is reopened (SQLite keeps a connection that met a bad page in an error state).
    """
    from intake_app.core.vault.db import PAGE_SIZE

    services, ref, other = world
    directory, clock = services.ctx.vault.directory, services.ctx.clock
    services.lock()
    before = (directory / "vault.db").stat().st_size
    services = unlock_unchecked(directory, clock)
    scan = services.attachments.add(ref, io.BytesIO(os.urandom(2_000_000)), filename="scan.bin")
    services.lock()
    after = (directory / "vault.db").stat().st_size
    page = (before + after) // 2 // PAGE_SIZE  # inside the 2 MB of chunks just written
    with (directory / "vault.db").open("r+b") as handle:
        handle.seek(page * PAGE_SIZE + 1000)
        byte = handle.read(1)
        handle.seek(page * PAGE_SIZE + 1000)
        handle.write(bytes([byte[0] ^ 1]))
    services = unlock_unchecked(directory, clock)
    try:
        with pytest.raises(VaultDamaged, match="damaged") as refused:  # the export carries it
            services.exports.export(
                ExportRequest(ref, "Unit 3", password=PASSWORD, embed=(scan.id,))
            )
        assert "Restore it from a backup" in refused.value.message
    finally:
        services.ctx.vault.close()  # the connection's pager stays in its error state
    services = unlock_unchecked(directory, clock)
    try:
        record, _data = services.exports.export(ExportRequest(other, "Unit 3", password=PASSWORD))
        assert record.case_reference == other
    finally:
        services.lock()


def unlock_unchecked(directory, clock):
    """Unlocked as the GUI unlocks: the whole-file page check is left to a worker."""
    from support import PASSPHRASE

    from intake_app.core.services import Services
    from intake_app.core.vault.vault import Vault

    options = cheap_options(clock=clock)
    derived = Vault.derive_keys(directory, "coord", PASSPHRASE, options)
    return Services.login(Vault.finish_unlock(derived, check_pages=False), clock)
