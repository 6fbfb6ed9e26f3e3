"""Users of the vault (the accounts: `app_user`)."""

from __future__ import annotations

from typing import Any

from intake_app.core.records import User
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories.rows import from_row


def user(row: Any) -> User:
    return from_row(User, row)


def user_by_username(db: Database, username: str) -> User | None:
    row = db.one("SELECT * FROM app_user WHERE username = ?", (username,))
    return None if row is None else user(row)


def users(db: Database) -> list[User]:
    return [user(r) for r in db.all("SELECT * FROM app_user ORDER BY username")]
