"""Numbered schema migrations, applied in order, each in one transaction of its own.

The schema version is ``PRAGMA user_version``. A vault whose version is newer than :data:`LATEST`
is refused; an older one is backed up before it is migrated (core/vault/opening.py).

How to write a migration
------------------------
Take the next number N and add ONE of:

* ``NNNN_what.sql`` beside these: statements run in order (trigger bodies stay whole); or
* ``_NNNN_what.py``, a module with ``def upgrade(step: Step) -> None``, imported by name in
  :func:`_python_steps` (a frozen build has no .py files to list, and its bundler only keeps
  modules it sees imported). ``step.execute`` and ``step.script`` run SQL, ``step.db`` is the
  connection for anything else (Python work on rows, such as folding the search index's text in
  0010).

Either way the migration runs inside one transaction that also sets ``user_version = N`` and
appends ONE audited ``schema.migrated`` event (details: ``from``, ``to``, ``rows``): all of it
happens or none. A migration that changes digested rows (core/vault/row_layouts.py) must say
which with ``step.redigest(table, where, params)``; the event then records their digests, so
they verify afterwards, and only those. To add a column to a digested table, declare the new
layout version in row_layouts.py first (its ``since`` is N); rows that the migration leaves
untouched keep their old digests, which still verify.

The event's user is None: migrations run while the vault is being unlocked, before the key slot
that opened it is matched to a user (a recovery-key unlock has no user at all). A new vault is
built by running every migration on an empty database; that is not a change of anything
recorded, so it writes no ``schema.migrated`` events (its log begins with ``vault.created``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from intake_app.core.clock import Clock, SystemClock, iso
from intake_app.core.vault import audit
from intake_app.core.vault.audit import row_key_sql
from intake_app.core.vault.db import Database
from intake_app.core.vault.roster import SIGNED_FROM
from intake_app.core.vault.signing import AuditSigner


@dataclass
class Step:
    """What a migration is given: the connection and the list of rows it changed."""

    db: Database
    number: int
    changed: set[tuple[str, str]] = field(default_factory=set)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.db.execute(sql, params)

    def script(self, text: str) -> None:
        for statement in _split(text):
            self.db.execute(statement)

    def redigest(self, table: str, where: str = "1", params: Sequence[Any] = ()) -> int:
        """Mark the rows of ``table`` matching ``where`` as changed by this migration (call once
        the change is made); returns how many."""
        keys = self.db.all(f"SELECT {row_key_sql(table)} FROM {table} WHERE {where}", params)
        self.changed.update((table, str(k[0])) for k in keys)
        return len(keys)


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    upgrade: Callable[[Step], None]


def _sql(text: str) -> Callable[[Step], None]:
    return lambda step: step.script(text)


def _python_steps() -> list[Migration]:
    from intake_app.core.vault.migrations import _0010_fold_search

    return [
        Migration(int(name[1:5]), name + ".py", m.upgrade)
        for m in (_0010_fold_search,)
        for name in [m.__name__.rsplit(".", 1)[1]]
    ]


def _found() -> list[Migration]:
    found = _python_steps()
    for entry in resources.files(__package__).iterdir():
        name = entry.name
        if name[:4].isdigit() and name.endswith(".sql"):
            found.append(Migration(int(name[:4]), name, _sql(entry.read_text(encoding="utf-8"))))
    found.sort(key=lambda m: m.number)
    numbers = [m.number for m in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError(f"two migrations share a number: {numbers}")
    return found


MIGRATIONS = _found()
LATEST = MIGRATIONS[-1].number


def schema_version(db: Database) -> int:
    return int(db.one("PRAGMA user_version")[0])


def migrate(
    db: Database,
    target: int | None = None,
    *,
    clock: Clock | None = None,
    migrations: Sequence[Migration] | None = None,
    signer: AuditSigner | None = None,
    username: str | None = None,
) -> list[int]:
    """Apply every migration above the current version up to ``target`` (default: the latest);
    returns those applied. ``migrations`` defaults to the shipped ones."""
    target = LATEST if target is None else target
    applied = []
    fresh = schema_version(db) == 0
    for migration in MIGRATIONS if migrations is None else migrations:
        before = schema_version(db)
        if not before < migration.number <= target:
            continue
        step = Step(db, migration.number)
        with db.transaction():
            migration.upgrade(step)
            db.execute(f"PRAGMA user_version = {migration.number}")
            if not fresh:
                at = iso((clock or SystemClock()).now())
                # S37: once the log carries signatures, the unlocking user (``username``; None:
                # the recovery key) signs the migration's event, naming their key first if the
                # log has not seen it yet.
                signing = signer is not None and before >= SIGNED_FROM
                if signing and signer is not None:
                    row = db.one("SELECT id FROM app_user WHERE username = ?", (username,))
                    audit.register_key(db, signer, None if row is None else str(row[0]), at)
                audit.append(
                    db,
                    at=at,
                    signer=signer if signing else None,
                    user_id=None,
                    action="schema.migrated",
                    entity="schema",
                    entity_id=str(migration.number),
                    details={"from": before, "to": migration.number, "rows": len(step.changed)},
                    rows=sorted(step.changed),
                )
        applied.append(migration.number)
    return applied


def _split(script: str) -> list[str]:
    """Statements of a script; trigger bodies (BEGIN … END;) stay whole."""
    from sqlcipher3 import dbapi2

    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if dbapi2.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
