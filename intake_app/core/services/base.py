"""What every use case shares: the acting user, the role check, and write-with-audit.

A use case is one function: ``require`` the permission, then ``with ctx.write(...) as w`` does the
inserts/updates and appends the audit event (with the digests of every row touched) in ONE
transaction. Reads that show testimony are audited too (``ctx.viewed``).
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from intake_app.core.clock import Clock, iso
from intake_app.core.errors import IntakeError, NotFound, PermissionDenied
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission, allowed
from intake_app.core.records import User
from intake_app.core.vault import audit, search_index
from intake_app.core.vault.audit import row_match
from intake_app.core.vault.db import Database
from intake_app.core.vault.repositories import cases, rows
from intake_app.core.vault.vault import Vault


def new_id() -> str:
    return str(uuid.uuid4())


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass
class Writer:
    """Inserts, updates and deletes that remember which rows they touched."""

    db: Database
    entity_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    touched: list[tuple[str, str]] = field(default_factory=list)

    def insert(self, table: str, values: dict[str, Any], row_id: str | None = None) -> None:
        columns = ", ".join(values)
        marks = ", ".join("?" * len(values))
        self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values()))
        self.touched.append((table, row_id or str(values["id"])))

    def update(self, table: str, row_id: str, values: dict[str, Any]) -> None:
        assignments = ", ".join(f"{k} = ?" for k in values)
        cursor = self.db.execute(
            f"UPDATE {table} SET {assignments} WHERE id = ?", (*values.values(), row_id)
        )
        if cursor.rowcount != 1:
            raise NotFound(_("That record no longer exists."))
        self.touched.append((table, row_id))

    def delete(self, table: str, row_id: str) -> None:
        where, values = row_match(table, row_id)
        self.db.execute(f"DELETE FROM {table} WHERE {where}", values)
        self.touched.append((table, row_id))


class ServiceContext:
    def __init__(self, vault: Vault, actor: User, clock: Clock) -> None:
        self.vault = vault
        self.actor = actor
        self.clock = clock
        self.anchor_pending = False
        self._batching = False
        self._batch_failed = False
        self._struck = False  # search entries were replaced or removed: checkpoint after commit

    @property
    def db(self) -> Database:
        return self.vault.db

    def now(self) -> str:
        return iso(self.clock.now())

    def can(self, permission: Permission) -> bool:
        return allowed(self.actor.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                _("Your role ({role}) does not allow this.").format(role=self.actor.role.value)
            )

    @contextlib.contextmanager
    def write(
        self,
        action: str,
        entity: str | None = None,
        entity_id: str | None = None,
        *,
        anchor: bool = True,
    ) -> Iterator[Writer]:
        writer = Writer(self.db, entity_id=entity_id)
        # Inside a batch the batch's transaction is this use case's too: no savepoint of its own
        # (each one made FTS5 flush a tiny index segment: half the cost of building a vault).
        with self._in_batch() if self._batching else self.db.transaction():
            yield writer
            self._struck = search_index.flush(self.db) or self._struck  # folded in Python
            audit.append(
                self.db,
                at=self.now(),
                user_id=self.actor.id,
                action=action,
                entity=entity,
                entity_id=writer.entity_id,
                details=writer.details,
                rows=writer.touched,
                signer=self.vault.signer,
            )
        if not self._batching:
            self._checkpoint_if_struck()
        if (anchor or self.anchor_pending) and not self._batching:
            self._anchor()
        else:
            self.anchor_pending = True

    def _checkpoint_if_struck(self) -> None:
        # S3: the WAL still holds the pages the replaced words were on (migration 0010).
        if self._struck:
            self._struck = False
            search_index.checkpoint_after(self.db)

    @contextlib.contextmanager
    def _in_batch(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            self._batch_failed = True  # even if the caller swallows it, the batch rolls back
            raise

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Many use cases in one commit (demo data, imports): each still audits, one anchor at the
        end. All or nothing: if any use case inside fails, the whole batch is rolled back."""
        if self._batching:  # a batch inside a batch is part of it
            yield
            return
        self._batching, self._batch_failed = True, False
        try:
            with self.db.transaction():
                yield
                if self._batch_failed:
                    raise IntakeError(_("Nothing was saved: part of the change failed."))
        finally:
            self._batching = False
            if self._batch_failed:
                self._struck = False
        self._checkpoint_if_struck()
        self._anchor()

    def row(self, table: str, row_id: str, missing: str) -> Any:
        """One row by id, or NotFound with the given (translated) sentence."""
        row = rows.by_id(self.db, table, row_id)
        if row is None:
            raise NotFound(missing)
        return row

    def case_row(self, reference: str) -> Any:
        row = cases.case_row(self.db, reference)
        if row is None:
            raise NotFound(_("There is no case {reference}.").format(reference=reference))
        return row

    def case_rows(self, table: str, reference: str, order: str = "created_at") -> list[Any]:
        """Every row of ``table`` that belongs to the case, oldest first."""
        return cases.rows_of_case(self.db, table, self.case_row(reference)["id"], order)

    def viewed(
        self, action: str, entity: str, entity_id: str, details: dict[str, Any] | None = None
    ) -> None:
        with self.write(action, entity, entity_id, anchor=False) as w:
            w.details.update(details or {})

    def _anchor(self) -> None:
        # The data is committed; a key file that cannot be rewritten now only makes the rollback
        # anchor lag (never lead), and the next write tries again.
        try:
            self.vault.anchor()
            self.anchor_pending = False
        except IntakeError:
            self.anchor_pending = True
