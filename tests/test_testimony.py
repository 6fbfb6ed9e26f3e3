"""Statements, sealing, amendments, interview sessions."""

from __future__ import annotations

import pytest

from intake_app.core.canonical import canonical_json, sha256_hex
from intake_app.core.errors import InvalidInput, SealedRecord
from intake_app.core.records import Readback, StatementStatus
from intake_app.core.vault.db import DatabaseError

TEXT = "كان ذلك في الصباح. They came at dawn — 5 men."


def test_draft_autosave_then_seal_records_hash_and_readback(coordinator, case_ref):
    statement = coordinator.statements.create(case_ref, title="Initial", language="ar")
    version = statement.current
    coordinator.statements.save_draft(
        version.id,
        text=TEXT,
        translation="It was in the morning.",
        translation_language="en",
        translator="Interpreter A",
    )
    sealed = coordinator.statements.seal(version.id, readback=Readback.CONFIRMED).current
    assert sealed.status is StatementStatus.SEALED
    assert sealed.sealed_by == coordinator.actor.id and sealed.readback is Readback.CONFIRMED
    expected = sha256_hex(
        canonical_json(
            {
                "statement_id": statement.id,
                "version": 1,
                "session_id": None,
                "language": "ar",
                "text": TEXT,
                "translation": "It was in the morning.",
                "translation_language": "en",
                "translator": "Interpreter A",
            }
        )
    )
    assert sealed.sha256 == expected  # anyone can recompute it from the documented canonical form


def test_sealed_text_is_immutable_in_the_service(coordinator, case_ref):
    statement = coordinator.statements.create(case_ref, title="t", language="en", text=TEXT)
    coordinator.statements.seal(statement.current.id, readback=Readback.CONFIRMED)
    with pytest.raises(SealedRecord):
        coordinator.statements.save_draft(statement.current.id, text="rewritten")
    with pytest.raises(SealedRecord):
        coordinator.statements.seal(statement.current.id, readback=Readback.CONFIRMED)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE statement_version SET text = 'rewritten' WHERE id = ?",
        "UPDATE statement_version SET status = 'draft' WHERE id = ?",
        "DELETE FROM statement_version WHERE id = ?",
    ],
)
def test_sealed_text_is_immutable_in_sql_too(coordinator, case_ref, sql):
    statement = coordinator.statements.create(case_ref, title="t", language="en", text=TEXT)
    coordinator.statements.seal(statement.current.id, readback=Readback.CONFIRMED)
    with pytest.raises(DatabaseError, match="immutable"):
        coordinator.ctx.db.conn.execute(sql, (statement.current.id,))


def test_amendment_is_a_new_version_that_supersedes(coordinator, case_ref):
    statement = coordinator.statements.create(case_ref, title="t", language="en", text=TEXT)
    first = coordinator.statements.seal(statement.current.id, readback=Readback.CONFIRMED).current
    with pytest.raises(InvalidInput):
        coordinator.statements.amend(statement.id, reason=" ")
    amended = coordinator.statements.amend(statement.id, reason="The survivor corrected a date.")
    draft = amended.current
    assert (draft.number, draft.status, draft.supersedes_id, draft.text) == (
        2,
        StatementStatus.DRAFT,
        first.id,
        TEXT,
    )
    coordinator.statements.save_draft(draft.id, text=TEXT + " On the 4th, not the 5th.")
    final = coordinator.statements.seal(draft.id, readback=Readback.CONFIRMED)
    assert [v.status for v in final.versions] == [StatementStatus.SEALED] * 2
    assert final.versions[0].text == TEXT and final.versions[0].sha256 == first.sha256
    assert final.versions[1].sha256 != first.sha256


def test_amending_a_draft_is_refused(coordinator, case_ref):
    statement = coordinator.statements.create(case_ref, title="t", language="en", text=TEXT)
    with pytest.raises(InvalidInput):
        coordinator.statements.amend(statement.id, reason="typo")


def test_sealing_needs_text_and_a_reason_when_not_read_back(coordinator, case_ref):
    empty = coordinator.statements.create(case_ref, title="t", language="en")
    with pytest.raises(InvalidInput):
        coordinator.statements.seal(empty.current.id, readback=Readback.CONFIRMED)
    statement = coordinator.statements.create(case_ref, title="t", language="en", text=TEXT)
    with pytest.raises(InvalidInput):
        coordinator.statements.seal(statement.current.id, readback=Readback.NOT_POSSIBLE)
    sealed = coordinator.statements.seal(
        statement.current.id,
        readback=Readback.NOT_POSSIBLE,
        readback_note="The survivor had to leave suddenly.",
    )
    assert sealed.current.readback_note == "The survivor had to leave suddenly."


def test_bad_language_code_is_refused_and_nothing_is_written(coordinator, case_ref):
    before = coordinator.ctx.db.one("SELECT count(*) FROM statement")[0]
    with pytest.raises(InvalidInput):
        coordinator.statements.create(case_ref, title="t", language="Arabic language!")
    assert coordinator.ctx.db.one("SELECT count(*) FROM statement")[0] == before


def test_interview_session_with_breaks_and_early_stop(coordinator, case_ref):
    session = coordinator.interviews.start(
        case_ref,
        interpreter="Interpreter A",
        persons_present=["survivor", "advocate", "interpreter"],
    )
    with pytest.raises(InvalidInput):
        coordinator.interviews.pause(session.id, "")
    paused = coordinator.interviews.pause(session.id, "The survivor asked for a rest.")
    assert paused.status == "paused" and paused.breaks[0].ended_at is None
    with pytest.raises(InvalidInput):
        coordinator.interviews.pause(session.id, "again")
    resumed = coordinator.interviews.resume(session.id)
    assert resumed.status == "active" and resumed.breaks[0].ended_at is not None
    with pytest.raises(InvalidInput):
        coordinator.interviews.end(session.id, stopped_early=True)
    ended = coordinator.interviews.end(
        session.id, stopped_early=True, survivor_instruction="Only the first part may be used."
    )
    assert ended.stopped_early and ended.survivor_instruction == "Only the first part may be used."
    assert ended.persons_present == ("survivor", "advocate", "interpreter")
    with pytest.raises(InvalidInput):
        coordinator.interviews.end(session.id)


def test_every_write_and_view_is_audited(coordinator, case_ref):
    statement = coordinator.statements.create(case_ref, title="t", language="en", text=TEXT)
    coordinator.statements.save_draft(statement.current.id, text=TEXT + "!")
    coordinator.statements.seal(statement.current.id, readback=Readback.CONFIRMED)
    coordinator.statements.get(statement.id)
    actions = [e.action for e in coordinator.admin.events(limit=6)]
    assert actions[:4] == [
        "statement.viewed",
        "statement.sealed",
        "statement.draft_saved",
        "statement.created",
    ]
    details = str([e.details for e in coordinator.admin.events(limit=6)])
    assert "dawn" not in details and "الصباح" not in details  # details never carry content
