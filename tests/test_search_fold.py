"""Search folds text the same way in the index and in the query (migration 0010,
core/vault/search_index.py): Arabic marks and tatweel, alef forms, apostrophes, NFKC; snippets
show the record's own text; struck words leave the WAL at once (S3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st
from support import PASSPHRASE, RESERVE, cheap_options, decrypt_pages, unlock

from intake_app.core.clock import iso
from intake_app.core.records import PersonRole
from intake_app.core.vault import audit, migrations
from intake_app.core.vault.db import PAGE_SIZE, Database
from intake_app.core.vault.options import DB_NAME
from intake_app.core.vault.search_index import CLOSE, OPEN, fold, shown_snippet
from intake_app.core.vault.vault import Vault

FIXTURES = Path(__file__).parent / "fixtures"
NAME = "مُحَمَّـد الأَحْمَد"  # harakat, shadda, tatweel, alef with hamza


def _found(services, text: str) -> list[str]:
    return [h.snippet for h in services.search.search(text)]


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("مُحَمَّد", "محمد"),
        ("محـــمد", "محمد"),  # tatweel
        ("أحمد إبراهيم آمنة", "احمد ابراهيم امنة"),
        ("ﻣﺤﻤﺪ", "محمد"),  # presentation forms (NFKC)
        ("м'ясо мʼясо м’ясо", "мясо мясо мясо"),
        ("l’homme", "l'homme"),  # elision still separates in French
        ("ﬁle ＡＢＣ", "file ABC"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded
    assert fold(folded) == folded


def test_arabic_names_are_found_with_or_without_their_marks(coordinator, case_ref):
    coordinator.cases.add_person(case_ref, role=PersonRole.WITNESS, pseudonym="W", legal_name=NAME)
    for typed in ("محمد", "مُحَمَّد", "محمد الاحمد", "الأحمد", "الاحمد", "محم*", "مُحَ*"):
        assert _found(coordinator, typed), typed
    (snippet,) = _found(coordinator, "محمد")
    assert snippet == "[مُحَمَّـد] الأَحْمَد W"  # shown as written, marks and all
    assert coordinator.admin.verify().ok


def test_ukrainian_apostrophes_and_french_accents(coordinator, case_ref):
    version = coordinator.statements.create(
        case_ref,
        title="t",
        language="uk",
        text="Він приніс м’ясо і сім'ю. L’été à Montréal, l'hôpital était fermé.",
    ).current.id
    for typed in ("м'ясо", "мʼясо", "м’ясо", "мясо", "сім’ю", "ete", "été", "Montreal", "hopital"):
        assert _found(coordinator, typed), typed
    assert _found(coordinator, "homme") == []
    snippet = _found(coordinator, "мʼясо")[0]
    assert "[м’ясо]" in snippet  # the apostrophe as typed
    coordinator.statements.save_draft(version, text="l'homme et la femme")
    assert _found(coordinator, "homme") and not _found(coordinator, "мясо")


def test_deferred_entries_fold_when_they_settle(coordinator, case_ref):
    version = coordinator.statements.create(
        case_ref, title="t", language="ar", text="كلمة أولى"
    ).current.id
    coordinator.statements.save_draft(version, text="قال مُحَمَّد", settle=False)
    assert not _found(coordinator, "محمد")  # the entry waits for the pause (0008)
    assert _found(coordinator, "أولى")
    assert coordinator.admin.verify().ok
    coordinator.statements.settle_search(version)
    assert _found(coordinator, "محمد") and not _found(coordinator, "أولى")
    assert coordinator.admin.verify().ok


def test_an_index_entry_that_is_not_folded_is_reported(coordinator, case_ref):
    coordinator.cases.add_person(case_ref, role=PersonRole.WITNESS, pseudonym="W", legal_name=NAME)
    db = coordinator.ctx.db
    db.execute("UPDATE search_index SET body = ? WHERE body = ?", (NAME + " W", fold(NAME) + " W"))
    assert "the search index does not match the records" in coordinator.admin.verify().problems


def test_migration_0010_rebuilds_the_index_folded(tmp_path):
    """Text written by the triggers of schema 9 (marks split words) is found after the upgrade."""
    copy = tmp_path / "v9"
    shutil.copytree(FIXTURES / "vault-v9", copy)
    for path in copy.iterdir():
        path.chmod(0o600)
    copy.chmod(0o700)
    derived = Vault.derive_keys(copy, "coord", PASSPHRASE, cheap_options())
    db = Database(copy / DB_NAME, derived.dek, bytes.fromhex(derived.keyfile.db["salt"]))
    assert migrations.schema_version(db) == 9
    with db.transaction():  # as the code of schema 9 wrote it, with its audit record
        case_id, now = db.one("SELECT id, created_at FROM case_file LIMIT 1")
        db.execute(
            "INSERT INTO person(id, case_id, role, legal_name, pseudonym, languages, is_minor,"
            " created_at, updated_at) VALUES ('p-10', ?, 'witness', ?, 'W', '[]', 0, ?, ?)",
            (case_id, NAME, now, now),
        )
        audit.append(db, at=iso(cheap_options().clock.now()), user_id=None, action="test.raw",
                     rows=[("person", "p-10")])  # fmt: skip
    assert db.one("SELECT count(*) FROM search_index WHERE search_index MATCH 'محمد'")[0] == 0
    db.close()
    derived.lock.release()
    services = unlock(copy, cheap_options())
    assert _found(services, "محمد") == ["[مُحَمَّـد] الأَحْمَد W"]
    assert services.admin.verify().ok
    services.lock()


# -- S3: struck words in the WAL ------------------------------------------------------------
def _wal_pages(directory: Path, dek: bytes) -> bytes:
    """Every frame of the -wal file, decrypted (a frame is a 24-byte header and a page)."""
    path = directory / "vault.db-wal"
    data = path.read_bytes() if path.exists() else b""
    plain = []
    for offset in range(32, len(data) - PAGE_SIZE - 23, 24 + PAGE_SIZE):
        number = int.from_bytes(data[offset : offset + 4], "big")
        page = data[offset + 24 : offset + 24 + PAGE_SIZE]
        iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + 16]
        decryptor = Cipher(algorithms.AES(dek), modes.CBC(iv)).decryptor()
        start = 16 if number == 1 else 0
        plain.append(decryptor.update(page[start : PAGE_SIZE - RESERVE]) + decryptor.finalize())
    return b"".join(plain)


def test_s3_a_struck_word_leaves_the_wal_at_once(coordinator, vault_dir, case_ref):
    canary = "qqstruckcanary"
    dek = bytes(coordinator.ctx.vault._dek)
    version = coordinator.statements.create(
        case_ref, title="t", language="en", text=f"he said {canary} here"
    ).current.id
    assert canary.encode() in _wal_pages(vault_dir, dek)  # the scan sees it while it stands
    coordinator.statements.save_draft(version, text="he said here")  # "please strike that"
    assert canary.encode() not in _wal_pages(vault_dir, dek)
    assert canary.encode() not in decrypt_pages(vault_dir / "vault.db", dek)
    # While typing: the entry waits, then the pause replaces it, and the WAL is emptied.
    coordinator.statements.save_draft(version, text=f"typing {canary}", settle=False)
    coordinator.statements.settle_search(version)
    coordinator.statements.save_draft(version, text="typing on", settle=False)
    stored = _wal_pages(vault_dir, dek) + decrypt_pages(vault_dir / "vault.db", dek)
    assert canary.encode() in stored  # still the entry until the pause
    coordinator.statements.settle_search(version)
    assert canary.encode() not in _wal_pages(vault_dir, dek)
    assert canary.encode() not in decrypt_pages(vault_dir / "vault.db", dek)


def test_s3_a_crash_while_typing_leaves_nothing_in_the_wal_after_unlock(
    coordinator, vault_dir, options, case_ref
):
    canary = "qqcrashcanary"
    dek = bytes(coordinator.ctx.vault._dek)
    version = coordinator.statements.create(
        case_ref, title="t", language="en", text=f"he said {canary}"
    ).current.id
    coordinator.statements.save_draft(version, text="he said nothing", settle=False)
    crashed = vault_dir.parent / "crashed"
    shutil.copytree(vault_dir, crashed)  # the process dies here: WAL and all
    (crashed / "vault.lock").unlink(missing_ok=True)
    assert canary.encode() in _wal_pages(crashed, dek) + decrypt_pages(crashed / "vault.db", dek)
    services = unlock(crashed, options)
    try:
        assert canary.encode() not in _wal_pages(crashed, dek)
        assert canary.encode() not in decrypt_pages(crashed / "vault.db", dek)
        assert not _found(services, canary)
    finally:
        services.lock()


_LETTERS = (
    "abcé'’ʼ мясоїй محمدأإآة" + "\u064b\u064e\u064f\u0650\u0651\u0652\u0640\u0301\u0308" + "ﬁﻣ "
)


@given(st.text(alphabet=st.sampled_from(_LETTERS) | st.characters(), max_size=60))
@settings(max_examples=300)
def test_fold_is_stable_and_a_snippet_maps_back_to_text_that_folds_to_it(text):
    folded = fold(text)
    assert fold(folded) == folded  # a query folds to what the index holds
    if not folded.strip() or any(c in text for c in "[]…"):
        return
    shown = shown_snippet(OPEN + folded + CLOSE, text, folded)
    assert shown.startswith("[") and shown.endswith("]")
    assert fold(shown[1:-1]) == folded
