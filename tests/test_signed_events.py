"""S37: every audit event is signed by its user's own key, which only their passphrase (or the
recovery key) yields; someone holding the vault's key can append a correctly hash-chained event
but cannot make it look like another user's."""

from __future__ import annotations

import json
import shutil

from support import PASSPHRASE, TESTS, cheap_options, unlock

from intake_app.core.records import Role
from intake_app.core.vault import audit
from intake_app.core.vault.signing import AuditSigner


def _forge(db, *, user_id, action, details, signer=None, signature=None):
    """What an insider with the key can do: append an event whose hash chains correctly."""
    previous = audit.head(db)
    body = {
        "seq": previous.seq + 1, "at": "2026-03-02T10:00:00.000000Z", "user": user_id,
        "action": action, "entity": "app_user", "entity_id": user_id, "details": details,
        "rows": [],
    }  # fmt: skip
    digest = audit._event_hash(previous.hash, body)
    db.execute(
        "INSERT INTO audit_event(seq, at, user_id, action, entity, entity_id, details, prev_hash,"
        " hash, signer, signature) VALUES (?, ?, ?, ?, 'app_user', ?, ?, ?, ?, ?, ?)",
        (body["seq"], body["at"], user_id, action, user_id, json.dumps(details, sort_keys=True),
         previous.hash, digest, signer.public_hex if signer else None,
         signature or (signer.sign(digest) if signer else None)),
    )  # fmt: skip


def _user_id(services, username):
    return next(u.id for u in services.users.list() if u.username == username)


def test_every_event_of_a_new_vault_is_signed_and_verifies(team):
    services = team.as_(Role.ADVOCATE)
    case = services.cases.open(languages=["ar"])
    services.statements.create(case.reference, title="t", language="ar", text="قالت ذلك")
    rows = services.ctx.db.all("SELECT signer, signature FROM audit_event ORDER BY seq")
    assert rows and all(r[0] and r[1] for r in rows)
    assert services.admin.verify().ok


def test_s37_an_event_forged_as_another_user_is_refused(team):
    """The advocate holds the vault's key on this laptop; they write an event as the
    coordinator, hash-chained correctly, signed with their own key or with none."""
    advocate = team.as_(Role.ADVOCATE)
    coordinator_id = _user_id(advocate, "coord")
    db = advocate.ctx.db
    with db.transaction():
        _forge(db, user_id=coordinator_id, action="consent.recorded", details={},
               signer=advocate.ctx.vault.signer)  # fmt: skip
    report = advocate.admin.verify()
    assert not report.ok
    assert any("is not signed by its user" in p for p in report.problems)

    with db.transaction():  # the same attack, unsigned this time
        _forge(db, user_id=coordinator_id, action="case.viewed", details={})
    problems = audit.verify_chain(db)[0]
    assert any(p.endswith("is not signed") for p in problems)


def test_s37_a_key_cannot_be_slipped_into_the_roster(team):
    """An advocate names a key of their own making for a new 'coordinator' user: only a
    coordinator's signed event may add a key."""
    advocate = team.as_(Role.ADVOCATE)
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    made_up = AuditSigner(X25519PrivateKey.generate())
    db = advocate.ctx.db
    with db.transaction():
        _forge(db, user_id=_user_id(advocate, "advocate"), action="user.added",
               details={"audit_key": made_up.public_hex, "role": "coordinator"},
               signer=advocate.ctx.vault.signer)  # fmt: skip
    assert any("without a coordinator" in p for p in advocate.admin.verify().problems)


def test_s37_a_bad_signature_is_reported(coordinator):
    db = coordinator.ctx.db
    with db.transaction():
        _forge(db, user_id=coordinator.actor.id, action="case.viewed", details={},
               signer=coordinator.ctx.vault.signer, signature="00" * 64)  # fmt: skip
    assert any("does not match" in p for p in coordinator.admin.verify().problems)


def test_a_vault_from_before_signing_registers_each_users_key_once(tmp_path):
    """A released vault (schema 9) upgrades; its history stays as the hash chain made it, and
    from the upgrade on every event is signed, the user naming their key first."""
    vault_dir = tmp_path / "v9"
    shutil.copytree(TESTS / "fixtures" / "vault-v9", vault_dir)
    services = unlock(vault_dir, cheap_options())
    try:
        db = services.ctx.db
        registered = db.all(
            "SELECT user_id, signer FROM audit_event WHERE action = 'audit.key_registered'"
        )
        assert [tuple(r) for r in registered] == [
            (services.actor.id, services.ctx.vault.signer.public_hex)
        ]
        first_signed = db.one("SELECT min(seq) FROM audit_event WHERE signature IS NOT NULL")[0]
        unsigned_after = db.one(
            "SELECT count(*) FROM audit_event WHERE seq > ? AND signature IS NULL",
            (first_signed,),
        )[0]
        assert unsigned_after == 0
        assert services.admin.verify().ok
    finally:
        services.lock()
    services = unlock(vault_dir, cheap_options())  # the second time: no second registration
    try:
        count = services.ctx.db.one(
            "SELECT count(*) FROM audit_event WHERE action = 'audit.key_registered'"
        )[0]
        assert count == 1 and services.admin.verify().ok
    finally:
        services.lock()


def test_a_passphrase_change_keeps_the_signing_key(coordinator, vault_dir, options, tmp_path):
    key = coordinator.ctx.vault.signer.public_hex
    stronger = PASSPHRASE + " and more words"
    coordinator.users.change_own_passphrase(PASSPHRASE, stronger)
    coordinator.lock()
    services = unlock(vault_dir, options, passphrase=stronger)
    assert services.ctx.vault.signer.public_hex == key  # the slot's key pair is the same
    assert services.admin.verify().ok
    services.lock()
