"""Numbered schema migrations, one SQL file each, applied in order inside one transaction each.

The schema version is ``PRAGMA user_version``. A vault whose version is newer than
:data:`LATEST` is refused; an older one is backed up before it is migrated (see vault.py).
"""

from __future__ import annotations

from importlib import resources

from intake_app.core.vault.db import Database


def _scripts() -> list[tuple[int, str]]:
    found = []
    for entry in resources.files(__package__).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


MIGRATIONS = _scripts()
LATEST = MIGRATIONS[-1][0]


def schema_version(db: Database) -> int:
    return int(db.one("PRAGMA user_version")[0])


def migrate(db: Database, target: int = LATEST) -> list[int]:
    """Apply every migration above the current version up to ``target``; returns those applied."""
    applied = []
    for number, script in MIGRATIONS:
        if schema_version(db) < number <= target:
            with db.transaction():
                for statement in _split(script):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
            applied.append(number)
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
