"""Schema evolution without breaking the audit chain: versioned row layouts, Python migrations,
one audited ``schema.migrated`` event per migration (core/vault/migrations, row_layouts.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support import PASSPHRASE, cheap_options, unlock

from intake_app.core.canonical import canonical_json, sha256_hex
from intake_app.core.errors import VaultTooNew
from intake_app.core.records import PersonRole
from intake_app.core.vault import audit, migrations, row_layouts
from intake_app.core.vault.migrations import Migration, Step
from intake_app.core.vault.row_layouts import Layout
from intake_app.core.vault.vault import Vault

FIXTURES = Path(__file__).parent / "fixtures"
NEWEST_FIXTURE = max(FIXTURES.glob("vault-v*"), key=lambda p: int(p.name.removeprefix("vault-v")))


def _copy(fixture: Path, tmp_path: Path) -> Path:
    copy = tmp_path / fixture.name
    shutil.copytree(fixture, copy)
    for path in copy.iterdir():
        path.chmod(0o600)
    copy.chmod(0o700)
    return copy


def _migrated_events(db) -> list[audit.AuditEvent]:
    return [e for e in reversed(audit.events(db)) if e.action == "schema.migrated"]


def test_every_migration_in_the_folder_is_applied_once_in_order():
    folder = Path(migrations.__file__).parent
    files = sorted(
        p.name for p in folder.iterdir() if re.fullmatch(r"_?\d{4}_\w+\.(sql|py)", p.name)
    )
    assert sorted(m.name for m in migrations.MIGRATIONS) == files  # a Python step is imported
    assert [m.number for m in migrations.MIGRATIONS] == list(range(1, migrations.LATEST + 1))


def test_every_layout_is_the_schema_a_new_vault_has(coordinator):
    db = coordinator.ctx.db
    for table in audit.DIGESTED_TABLES:
        _, layout = row_layouts.current(table, migrations.LATEST)
        assert tuple(r[1] for r in db.all(f"PRAGMA table_info({table})")) == layout.columns


def test_version_1_digests_are_the_select_star_digests_vaults_already_hold(tmp_path):
    """Every fixture was written by code that digested ``SELECT *``: its recorded digests are
    bare hex, and the declared layout reproduces each one."""
    copy = _copy(FIXTURES / "vault-v9", tmp_path)
    services = unlock(copy, cheap_options())
    db = services.ctx.db
    for table, row_id, digest in db.all(
        "SELECT tbl, row_id, digest FROM audit_row_state WHERE seq = ("
        " SELECT max(seq) FROM audit_row_state s WHERE s.tbl = audit_row_state.tbl"
        " AND s.row_id = audit_row_state.row_id) AND digest IS NOT NULL"
    ):
        where, values = audit.row_match(table, row_id)
        row = db.one(f"SELECT * FROM {table} WHERE {where}", values)
        # what SELECT * gave at schema 9: the columns of layout 1 (later migrations add more)
        columns = audit.row_layouts.LAYOUTS[table][1].columns
        assert set(row.keys()) >= set(columns)
        select_star = {k: (row[k].hex() if isinstance(row[k], bytes) else row[k]) for k in columns}
        if ":" not in digest:  # written before this code
            assert sha256_hex(canonical_json(select_star)) == digest
        version, layout = audit.row_layouts.current(table, migrations.LATEST)
        assert all(row[k] is None for k in layout.columns if k not in columns)  # added: NULL
        if version == 1:
            assert audit.row_digest(db, table, row_id) == audit.row_layouts.tagged(
                1, sha256_hex(canonical_json(select_star))
            )
    services.lock()


def test_a_new_vault_records_no_schema_migrated_event(coordinator):
    """Building the schema of an empty vault changes nothing that was recorded."""
    assert _migrated_events(coordinator.ctx.db) == []
    assert audit.events(coordinator.ctx.db)[-1].action == "vault.created"


def test_an_upgrade_records_one_event_per_migration_after_a_backup(tmp_path):
    copy = _copy(FIXTURES / "vault-v5", tmp_path)
    services = unlock(copy, cheap_options())
    db = services.ctx.db
    events = _migrated_events(db)
    assert [(e.details["from"], e.details["to"]) for e in events] == [
        (n - 1, n) for n in range(6, migrations.LATEST + 1)
    ]
    assert all(e.user_id is None and e.entity == "schema" for e in events)
    assert all(e.details["rows"] == 0 for e in events)  # 0006–0010 change no digested row
    assert list((copy / "backups").glob("pre-migration-v5-*/vault.db"))
    assert services.admin.verify().ok
    services.lock()


def _add_columns(monkeypatch: pytest.MonkeyPatch, number: int) -> None:
    """A migration N that adds a nullable column to person (rows untouched) and a column with a
    default to case_file (every row changed, so re-digested), declared in the layouts."""

    def upgrade(step: Step) -> None:
        step.execute("ALTER TABLE person ADD COLUMN preferred_name TEXT")
        step.execute("ALTER TABLE case_file ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'")
        step.redigest("case_file")

    for table, column in (("person", "preferred_name"), ("case_file", "priority")):
        old = row_layouts.LAYOUTS[table][1]
        monkeypatch.setitem(
            row_layouts.LAYOUTS, table, {1: old, 2: Layout(number, (*old.columns, column))}
        )
    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS, Migration(number, "test", upgrade)]
    )
    monkeypatch.setattr(migrations, "LATEST", number)


def test_a_migration_adding_columns_to_digested_tables_upgrades_a_fixture_that_verifies(
    tmp_path, monkeypatch
):
    copy = _copy(NEWEST_FIXTURE, tmp_path)
    number = migrations.LATEST + 1
    _add_columns(monkeypatch, number)
    services = unlock(copy, cheap_options())
    db = services.ctx.db
    assert migrations.schema_version(db) == number
    assert any("upgraded" in n for n in services.ctx.vault.notices)
    event = _migrated_events(db)[-1]
    cases = db.one("SELECT count(*) FROM case_file")[0]
    assert event.details == {"from": number - 1, "to": number, "rows": cases}
    recorded = db.all("SELECT tbl, digest FROM audit_row_state WHERE seq = ?", (event.seq,))
    assert {t for t, _ in recorded} == {"case_file"}  # exactly the rows it changed
    assert all(d.startswith("2:") for _, d in recorded)
    assert services.admin.verify().ok  # person rows still hold version-1 digests, and verify

    # From now on a write digests the new layout; an old digest still guards the new column.
    person_ids = [r[0] for r in db.all("SELECT id FROM person ORDER BY id")]
    services.cases.update_person(person_ids[0], pseudonym="Renamed")
    state = db.one(
        "SELECT digest FROM audit_row_state WHERE tbl = 'person' AND row_id = ? ORDER BY seq DESC",
        (person_ids[0],),
    )
    assert state[0].startswith("2:")
    assert services.admin.verify().ok
    untouched = person_ids[1]
    db.execute("UPDATE person SET preferred_name = 'planted' WHERE id = ?", (untouched,))
    problems = services.admin.verify().problems
    assert any(untouched[:8] in p for p in problems)
    db.execute("UPDATE person SET preferred_name = NULL WHERE id = ?", (untouched,))
    db.execute(
        "UPDATE case_file SET priority = 'urgent' WHERE id = (SELECT min(id) FROM case_file)"
    )
    assert not services.admin.verify().ok
    services.lock()


def test_changed_rows_that_are_not_re_digested_fail_verification(
    coordinator, case_ref, monkeypatch
):
    """The rule has teeth: a migration that gives rows a value must say so (step.redigest)."""
    number = migrations.LATEST + 1

    def upgrade(step: Step) -> None:
        step.execute("ALTER TABLE case_file ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'")

    old = row_layouts.LAYOUTS["case_file"][1]
    monkeypatch.setitem(
        row_layouts.LAYOUTS, "case_file", {1: old, 2: Layout(number, (*old.columns, "priority"))}
    )
    migrations.migrate(
        coordinator.ctx.db, number, migrations=[Migration(number, "careless", upgrade)]
    )
    assert any("case_file" in p for p in coordinator.admin.verify().problems)


def test_a_failing_python_migration_changes_nothing(coordinator):
    db = coordinator.ctx.db
    before = audit.head(db)

    def upgrade(step: Step) -> None:
        step.execute("ALTER TABLE person ADD COLUMN preferred_name TEXT")
        raise RuntimeError("half way")

    number = migrations.LATEST + 1
    with pytest.raises(RuntimeError):
        migrations.migrate(db, number, migrations=[Migration(number, "broken", upgrade)])
    assert migrations.schema_version(db) == migrations.LATEST
    assert "preferred_name" not in [r[1] for r in db.all("PRAGMA table_info(person)")]
    assert audit.head(db) == before
    assert coordinator.admin.verify().ok


def test_a_digest_of_a_layout_this_code_does_not_know_never_matches(coordinator, case_ref):
    db = coordinator.ctx.db
    row = db.one("SELECT * FROM case_file")
    digest = audit.row_digest(db, "case_file", row["id"])
    assert ":" not in digest and audit.digest_matches("case_file", row, digest)
    for unknown in ("7:" + digest, "x:" + digest, "2:" + digest):
        assert not audit.digest_matches("case_file", row, unknown)


def test_a_vault_newer_than_the_code_is_still_refused(tmp_path, options):
    copy = _copy(NEWEST_FIXTURE, tmp_path)
    services = unlock(copy, options)
    services.ctx.db.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    services.lock()
    with pytest.raises(VaultTooNew, match="newer version of intake_app"):
        Vault.unlock(copy, "coord", PASSPHRASE, options)


def test_a_schema_migrated_event_is_audited_like_any_write(tmp_path):
    """The event's rows are in its hash: changing a re-digested row's recorded digest breaks the
    chain, not only the row."""
    copy = _copy(FIXTURES / "vault-v9", tmp_path)
    services = unlock(copy, cheap_options())
    db = services.ctx.db
    services.cases.add_person(
        db.one("SELECT reference FROM case_file LIMIT 1")[0],
        role=PersonRole.WITNESS,
        pseudonym="After the upgrade",
    )
    assert services.admin.verify().ok
    event = _migrated_events(db)[-1]
    db.execute(
        "INSERT INTO audit_row_state(seq, tbl, row_id, digest) VALUES (?, 'person', 'x', NULL)",
        (event.seq,),
    )
    assert any(f"audit event {event.seq}" in p for p in services.admin.verify().problems)
    services.lock()
