"""Attachments, referrals, liaison, recipients, forms, search, audit chain."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.core.clock import iso
from intake_app.core.errors import (
    ConsentRequired,
    InvalidInput,
    InvalidTransition,
    PermissionDenied,
)
from intake_app.core.records import (
    Channel,
    Decision,
    ProviderType,
    Purpose,
    ReferralStatus,
    Role,
    UpdateKind,
    UpdateStatus,
)
from intake_app.core.referrals import TRANSITIONS, check_transition
from intake_app.core.services import search
from intake_app.core.services.search import (
    TOKENIZER,
    fts_query,
    index_tokens,
    search_sql,
)
from intake_app.core.vault import migrations
from intake_app.core.vault.db import DatabaseError

# -- attachments ---------------------------------------------------------------------------


def test_attachment_is_chunked_hashed_and_read_back(coordinator, case_ref):
    content = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3000  # > 2 chunks
    attachment = coordinator.attachments.add(
        case_ref, io.BytesIO(content), filename="../../etc/photo.png"
    )
    assert attachment.filename == "photo.png"  # no paths from outside
    assert attachment.media_type == "image/png" and attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (
        coordinator.ctx.db.one(
            "SELECT count(*) FROM attachment_chunk WHERE attachment_id = ?", (attachment.id,)
        )[0]
        == 3
    )
    assert coordinator.attachments.read(attachment.id) == content
    assert coordinator.admin.events(limit=1)[0].action == "attachment.viewed"


def test_attachment_media_type_comes_from_content_not_name(coordinator, case_ref):
    attachment = coordinator.attachments.add(
        case_ref, io.BytesIO(b"%PDF-1.7 ..."), filename="innocent.jpg"
    )
    assert attachment.media_type == "application/pdf"


@pytest.mark.parametrize("content", [b"", b"MZ\x90\x00 windows program", b"\x7fELF linux program"])
def test_empty_files_and_programs_are_refused_and_nothing_is_stored(coordinator, case_ref, content):
    with pytest.raises(InvalidInput):
        coordinator.attachments.add(case_ref, io.BytesIO(content), filename="x")
    assert coordinator.ctx.db.one("SELECT count(*) FROM attachment_chunk")[0] == 0


def test_original_attachments_are_immutable_and_copies_point_to_them(coordinator, case_ref):
    original = coordinator.attachments.add(
        case_ref, io.BytesIO(b"%PDF-1.4 original"), filename="a.pdf"
    )
    copy = coordinator.attachments.add(
        case_ref,
        io.BytesIO(b"%PDF-1.4 redacted"),
        filename="a-redacted.pdf",
        derived_from=original.id,
    )
    assert copy.derived_from == original.id
    with pytest.raises(DatabaseError, match="immutable"):
        coordinator.ctx.db.conn.execute(
            "UPDATE attachment_chunk SET data = x'00' WHERE attachment_id = ?", (original.id,)
        )
    with pytest.raises(DatabaseError, match="immutable"):
        coordinator.ctx.db.conn.execute(
            "UPDATE attachment SET sha256 = 'x' WHERE id = ?", (original.id,)
        )
    with pytest.raises(InvalidInput):
        coordinator.attachments.purge(original.id, "wrong case")  # its copy must go first


def test_purge_is_coordinator_only(team, case_ref):
    advocate = team.as_(Role.ADVOCATE)
    attachment = advocate.attachments.add(case_ref, io.BytesIO(b"%PDF-1.4 x"), filename="a.pdf")
    with pytest.raises(PermissionDenied):
        advocate.attachments.purge(attachment.id, "oops")


# -- referrals -----------------------------------------------------------------------------


def test_every_referral_transition_is_legal_or_refused():
    for source in ReferralStatus:
        for target in ReferralStatus:
            if target in TRANSITIONS[source]:
                check_transition(source, target)
            else:
                with pytest.raises(InvalidTransition):
                    check_transition(source, target)


@pytest.fixture
def provider(coordinator):
    return coordinator.referrals.add_provider(
        type=ProviderType.MEDICAL, organisation="Clinique Espoir", languages=["fr"]
    )


def test_sending_a_referral_needs_live_consent_or_an_audited_override(
    team, case_ref, provider, clock
):
    advocate = team.as_(Role.ADVOCATE)
    due = iso(clock.now() + timedelta(days=7))
    referral = advocate.referrals.create(
        case_ref, provider_id=provider.id, needs="Wound care", due_at=due
    )
    with pytest.raises(ConsentRequired, match="not asked"):
        advocate.referrals.transition(referral.id, ReferralStatus.SENT)
    with pytest.raises(PermissionDenied):
        advocate.referrals.transition(
            referral.id, ReferralStatus.SENT, override_justification="urgent"
        )
    coordinator = team.as_(Role.COORDINATOR)
    sent = coordinator.referrals.transition(
        referral.id,
        ReferralStatus.SENT,
        override_justification="Life-saving care; survivor unconscious.",
    )
    assert sent.status is ReferralStatus.SENT and sent.override_justification
    assert coordinator.admin.events(limit=1)[0].details["override"] is True


def test_referral_lifecycle_with_consent_and_overdue(coordinator, case_ref, provider, clock):
    coordinator.consent.record(
        case_ref,
        purpose=Purpose.REFER_SERVICES,
        scope="provider:medical",
        decision=Decision.GRANTED,
        explained_language="ar",
    )
    referral = coordinator.referrals.create(
        case_ref, provider_id=provider.id, due_at=iso(clock.now() + timedelta(days=2))
    )
    coordinator.referrals.transition(referral.id, ReferralStatus.SENT)
    assert coordinator.referrals.open_referrals(overdue_only=True) == []
    clock.advance(days=3)
    assert [r.id for r in coordinator.referrals.open_referrals(overdue_only=True)] == [referral.id]
    with pytest.raises(InvalidInput):
        coordinator.referrals.transition(
            referral.id, ReferralStatus.DECLINED
        )  # a reason is required
    coordinator.referrals.transition(referral.id, ReferralStatus.ACCEPTED)
    done = coordinator.referrals.transition(referral.id, ReferralStatus.COMPLETED, note="Treated.")
    assert done.outcome == "Treated."
    history = coordinator.ctx.db.all(
        "SELECT from_status, to_status FROM referral_transition WHERE referral_id = ? ORDER BY at",
        (referral.id,),
    )
    assert [tuple(r) for r in history] == [
        (None, "draft"),
        ("draft", "sent"),
        ("sent", "accepted"),
        ("accepted", "completed"),
    ]


# -- liaison -------------------------------------------------------------------------------


def test_updates_only_through_safe_consented_channels(team, case_ref):
    liaison = team.as_(Role.LIAISON)
    kwargs = dict(kind=UpdateKind.HEARING, language="ar", body="موعد الجلسة")
    with pytest.raises(InvalidInput, match="no contact plan"):
        liaison.liaison.prepare_update(case_ref, channel=Channel.PHONE, **kwargs)
    with pytest.raises(InvalidInput):
        liaison.liaison.set_contact_plan(
            case_ref, safe_channels=[Channel.SMS], unsafe_channels=[Channel.SMS]
        )
    liaison.liaison.set_contact_plan(
        case_ref,
        safe_channels=[Channel.PHONE],
        unsafe_channels=[Channel.SMS],
        code_word="blue notebook",
        preferred_language="ar",
    )
    with pytest.raises(InvalidInput, match="never"):
        liaison.liaison.prepare_update(case_ref, channel=Channel.SMS, **kwargs)
    with pytest.raises(InvalidInput, match="not one of"):
        liaison.liaison.prepare_update(case_ref, channel=Channel.EMAIL, **kwargs)
    with pytest.raises(ConsentRequired):
        liaison.liaison.prepare_update(case_ref, channel=Channel.PHONE, **kwargs)
    advocate = team.as_(Role.ADVOCATE)
    advocate.consent.record(
        case_ref,
        purpose=Purpose.CONTACT,
        scope="channel:phone",
        decision=Decision.GRANTED,
        explained_language="ar",
    )
    liaison = team.as_(Role.LIAISON)
    update = liaison.liaison.prepare_update(case_ref, channel=Channel.PHONE, **kwargs)
    liaison.liaison.set_status(update.id, UpdateStatus.SENT)
    with pytest.raises(InvalidInput):
        liaison.liaison.set_status(update.id, UpdateStatus.FAILED)  # needs a reason
    assert (
        liaison.liaison.set_status(update.id, UpdateStatus.ACKNOWLEDGED).status
        is UpdateStatus.ACKNOWLEDGED
    )
    with pytest.raises(InvalidInput):
        liaison.liaison.set_status(update.id, UpdateStatus.SENT)


# -- recipients and forms ------------------------------------------------------------------


def _certificate(days: int) -> bytes:
    from datetime import UTC, datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Investigator")])
    start = datetime(2026, 1, 1, tzinfo=UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(  # key encipherment: what S41 asks of a recipient's certificate
            x509.KeyUsage(True, False, True, False, False, False, False, False, False), True
        )
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def test_recipient_with_certificate_fingerprint(coordinator):
    recipient = coordinator.recipients.add(
        name="ICC Unit 3", organisation="Office of the Prosecutor", certificate=_certificate(365)
    )
    assert recipient.fingerprint and len(recipient.fingerprint.split(":")) == 32
    with pytest.raises(InvalidInput, match="expired"):
        coordinator.recipients.add(name="Old", organisation="O", certificate=_certificate(10))
    with pytest.raises(InvalidInput, match="not a readable"):
        coordinator.recipients.add(
            name="Junk", organisation="O", certificate=b"-----BEGIN CERTIFICATE-----\nxx"
        )


def test_form_answers_round_trip_and_are_searchable(coordinator, case_ref):
    response, session = coordinator.forms.start(case_ref, "incident", language="uk")
    session.set("place", "Зелений Гай")
    session.add_repeat("perpetrators")
    session.set("perpetrator_description", "scar on the left hand", at=(("perpetrators", 0),))
    coordinator.forms.save_session(response.id, session)
    reopened = coordinator.forms.session(response.id)
    assert reopened.answers() == session.answers() and reopened.languages_used == ["uk"]
    assert coordinator.search.search("scar")[0].kind == "answers"
    assert coordinator.search.search("Зелений")[0].kind == "answers"


# -- search --------------------------------------------------------------------------------


def test_search_finds_testimony_in_every_script(coordinator, case_ref):
    coordinator.statements.create(case_ref, title="t", language="ar", text="رأى جيراني كل شيء")
    coordinator.statements.create(
        case_ref, title="t", language="uk", text="Тієї ж ночі ми пішли пішки"
    )
    coordinator.statements.create(
        case_ref, title="t", language="fr", text="ma maison avait été incendiée"
    )
    assert coordinator.search.search("جيراني")[0].kind == "statement"
    assert coordinator.search.search("ночі")
    assert coordinator.search.search("incendiee")  # diacritics folded
    assert coordinator.search.search("incen*")
    assert coordinator.search.search("Real Legal")[0].kind == "person"
    with pytest.raises(InvalidInput):
        coordinator.search.search("  ** ")
    assert "الصباح" not in json.dumps([e.details for e in coordinator.admin.events(limit=5)])


def test_a_common_word_is_ranked_among_its_most_recent_matches_only(coordinator, case_ref):
    """Ranking is bounded (at any vault size): among the `window` most recent matches. A word
    found fewer times is ranked in full; a liaison officer's kinds still filter the window."""
    for i in range(12):  # n0 … n11, each short enough to show whole in its snippet
        text = f"n{i}" + " river" * (1 + i // 2)
        coordinator.statements.create(case_ref, title=f"t{i}", language="en", text=text)
    coordinator.statements.create(case_ref, title="last", language="en", text="a quiet morning")

    def found(word, window):
        hits = coordinator.search.prepare(word, window=window)(coordinator.ctx.db)
        return [h.snippet.split()[0] for h in hits]

    assert set(found("river", 5)) == {"n7", "n8", "n9", "n10", "n11"}  # the 5 newest matches
    assert found("river", 5)[0] in ("n10", "n11")  # among them, those that say it most first
    assert set(found("river", 1000)) == {f"n{i}" for i in range(12)}
    assert found("morning", 5) == ["a"]  # a rare word is ranked in full


def test_a_prefix_finds_what_fts5s_own_prefix_search_finds(coordinator, case_ref, monkeypatch):
    """A prefix is searched as the indexed words it begins (folded like the index), and a prefix
    that begins more than PREFIX_WORDS words is left to FTS5: the hits are the same either way."""
    monkeypatch.setattr(search, "PREFIX_WORDS", 8)  # the limit, not its value, is under test
    texts = ["Basement flooded", "Basel office", "Bäsemann's car", "Ölçü taken", "Вікторія пішла"]
    texts += [
        f"zeta{i:02d} noted" for i in range(search.PREFIX_WORDS + 4)
    ]  # too many words for one
    for i, text in enumerate(texts):
        coordinator.statements.create(case_ref, title=f"t{i}", language="en", text=text)
    db = coordinator.ctx.db

    def native(prefix):  # FTS5's own prefix search, on the same kinds and window
        sql, params = search_sql(f'"{prefix}"*', ["statement"], limit=100, window=1000)
        return sorted(r["snippet"] for r in db.all(sql, params))

    def found(prefix):
        return sorted(h.snippet for h in coordinator.search.search(prefix + "*", limit=100))

    assert fts_query("base* flood", rows=db.all) == '("basel" OR "basemann" OR "basement") "flood"'
    assert fts_query("zeta*", rows=db.all) == '"zeta"*'  # too many words: FTS5's own
    assert fts_query("nothing*", rows=db.all) == '"nothing"*'
    for prefix in ["bas", "base", "BÄSE", "olc", "ВІК", "zeta", "zeta1", "o'bri", "nothing"]:
        assert found(prefix) == native(prefix), prefix
    assert len(found("bas")) == 3 and len(found("zeta")) == search.PREFIX_WORDS + 4
    assert found("ölç") == found("OLC") == ["[Ölçü] taken "]  # body: text, space, translation


def test_the_query_folds_a_prefix_with_the_index_tokenizer():
    migration = (Path(migrations.__file__).parent / "0002_search.sql").read_text()
    assert f"tokenize = '{TOKENIZER}'" in migration
    assert index_tokens("Ölçü O'Brien ВІКТОР") == ["olcu", "o", "brien", "віктор"]


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_any_typed_query_is_a_safe_fts_query(text):
    query = fts_query(text)
    assert query.count('"') % 2 == 0  # every term quoted: no operators from the user


def test_hostile_search_text_is_harmless(coordinator, case_ref):
    for text in [
        '"',
        "NEAR(a b)",
        "a OR b",
        "body:x",
        "*",
        "'; DROP TABLE case_file; --",
        "x" * 5000,
    ]:
        try:
            coordinator.search.search(text)
        except InvalidInput:
            pass
    assert coordinator.cases.count() == 1


# -- audit chain ---------------------------------------------------------------------------


def test_audit_chain_verifies_and_detects_edits(coordinator, case_ref):
    assert coordinator.admin.verify().ok
    db = coordinator.ctx.db
    db.execute("DROP TRIGGER audit_event_no_update")  # an attacker with the key
    db.execute("UPDATE audit_event SET details = '{}' WHERE seq = 2")
    report = coordinator.admin.verify()
    assert not report.ok and "audit event 2 does not match the chain" in report.problems


def test_audit_detects_a_record_changed_behind_the_services(coordinator, case_ref):
    coordinator.ctx.db.execute("UPDATE person SET pseudonym = 'Someone else'")
    report = coordinator.admin.verify()
    assert any("person row" in p for p in report.problems)


def test_audit_log_is_append_only(coordinator):
    with pytest.raises(DatabaseError, match="append-only"):
        coordinator.ctx.db.conn.execute("DELETE FROM audit_event WHERE seq = 1")
    with pytest.raises(DatabaseError, match="append-only"):
        coordinator.ctx.db.conn.execute("UPDATE audit_row_state SET digest = NULL")


def test_case_list_filters_combine(team, clock):
    from intake_app.core.records import CaseStatus

    coordinator = team.as_(Role.COORDINATOR)
    provider = coordinator.referrals.add_provider(type=ProviderType.MEDICAL, organisation="Clinic")
    arabic = coordinator.cases.open(languages=["ar", "en"]).reference
    ukrainian = coordinator.cases.open(languages=["uk"]).reference
    coordinator.cases.assign(ukrainian, "advocate")
    coordinator.consent.record(
        arabic, purpose=Purpose.REFER_SERVICES, decision=Decision.GRANTED, explained_language="ar"
    )
    referral = coordinator.referrals.create(
        arabic, provider_id=provider.id, due_at=iso(clock.now() + timedelta(days=1))
    )
    coordinator.referrals.transition(referral.id, ReferralStatus.SENT)
    refs = lambda **f: {c.reference for c in coordinator.cases.list(**f)}  # noqa: E731
    assert refs(language="ar") == {arabic} and refs(language="uk") == {ukrainian}
    assert refs(assigned_to="advocate") == {ukrainian}
    assert refs(overdue=True) == set()
    clock.advance(days=2)
    assert refs(overdue=True) == {arabic} and coordinator.cases.count(overdue=True) == 1
    assert refs(overdue=True, language="uk") == set()
    assert refs(status=CaseStatus.OPEN, assigned_to="coord") == {arabic, ukrainian}
    assert coordinator.cases.languages() == ["ar", "en", "uk"]


def test_case_list_pages_by_key_through_ties_and_filters(team, clock):
    """Keyset paging: page after page is exactly the whole list, even when many cases share an
    update time (a batch import) and with a filter on."""
    coordinator = team.as_(Role.COORDINATOR)
    made = [coordinator.cases.open(languages=["ar" if i % 3 else "uk"]).reference for i in range(7)]
    clock.advance(days=1)
    made += [coordinator.cases.open(languages=["ar"]).reference for _ in range(5)]
    with coordinator.ctx.batch():  # six cases with one and the same update time
        made += [coordinator.cases.open(languages=["ar"]).reference for _ in range(6)]
    for language in (None, "ar"):
        whole = coordinator.cases.list(language=language, limit=1000)
        paged, after = [], None
        while page := coordinator.cases.list(language=language, limit=4, after=after):
            paged += page
            after = page[-1]
        assert paged == whole
        assert len(whole) == (18 if language is None else 15)
    assert {c.reference for c in whole} < set(made)
