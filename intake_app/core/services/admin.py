"""Coordinator tasks on the vault as a whole: verify, back up, rotate the key, read the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.services.base import ServiceContext
from intake_app.core.vault import audit
from intake_app.core.vault.backup import BackupJob, prepare_backup, run_backup
from intake_app.core.vault.db import Database
from intake_app.core.vault.integrity import IntegrityReport, full_check
from intake_app.core.vault.repositories import backups, settings

BACKUP_REMINDER = timedelta(days=7)
IDLE_LOCK = "idle_lock_minutes"
IDLE_LOCK_DEFAULT, IDLE_LOCK_RANGE = 5, range(1, 31)


class AdminService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def verify(self) -> IntegrityReport:
        """Anyone may check the vault; the check itself is audited."""
        report = full_check(self._ctx.db, self._ctx.vault.keyfile)
        if report.ok:
            self._ctx.viewed(
                "audit.verified", "vault", self._ctx.vault.vault_id, {"events": report.events}
            )
        return report

    def idle_lock_minutes(self) -> int:
        """How many minutes without input lock the window (a coordinator's choice, default 5)."""
        stored = settings.setting(self._ctx.db, IDLE_LOCK)
        if stored is None or not stored.isdigit() or int(stored) not in IDLE_LOCK_RANGE:
            return IDLE_LOCK_DEFAULT
        return int(stored)

    def set_idle_lock_minutes(self, minutes: int) -> int:
        """A coordinator sets the idle-lock time for everyone who opens this vault: 1 to 30."""
        ctx = self._ctx
        ctx.require(Permission.VAULT_SETTINGS)
        if minutes not in IDLE_LOCK_RANGE:
            raise InvalidInput(_("The idle lock is between 1 and 30 minutes; nothing was changed."))
        before = self.idle_lock_minutes()
        exists = settings.setting(ctx.db, IDLE_LOCK) is not None
        with ctx.write("vault.setting_changed", "vault_setting", IDLE_LOCK) as w:
            values = {"value": str(minutes), "set_by": ctx.actor.id, "set_at": ctx.now()}
            if exists:
                w.update("vault_setting", IDLE_LOCK, values)
            else:
                w.insert("vault_setting", {"id": IDLE_LOCK, **values})
            w.details.update({"setting": IDLE_LOCK, "from": before, "to": minutes})
        return minutes

    def backup(self, out: Path) -> dict[str, Any]:
        """A verified backup on this thread (the command line)."""
        return self.record_backup(run_backup(self.prepare_backup(), out, db=self._ctx.db))

    def prepare_backup(self) -> BackupJob:
        """The first half of a backup, on the vault's thread; a worker then runs
        ``backup.run_backup(job, out, progress)`` on its own reader, and this thread records the
        result with :meth:`record_backup`."""
        self._ctx.require(Permission.BACKUP)
        return prepare_backup(self._ctx.vault)

    @staticmethod
    def run_backup(
        job: BackupJob, out: Path, progress: Callable[[int, int], None] | None = None
    ) -> dict[str, Any]:
        """The second half, for a worker: touches no connection of this thread."""
        return run_backup(job, out, progress)

    def record_backup(self, manifest: dict[str, Any]) -> dict[str, Any]:
        ctx = self._ctx
        with ctx.write("vault.backup", "vault", ctx.vault.vault_id) as w:
            w.details.update(
                {"audit_seq": manifest["audit_seq"], "db_sha256": manifest["files"]["vault.db"]}
            )
        return manifest

    def last_backup(self, db: Database | None = None) -> datetime | None:
        """When the last verified backup was made (None: never). ``db``: a worker's reader."""
        at = backups.last_backup_at(db or self._ctx.db)
        return None if at is None else datetime.fromisoformat(at)

    def backup_overdue(self, db: Database | None = None) -> bool:
        """A coordinator is reminded when the last verified backup is older than a week."""
        if not self._ctx.can(Permission.BACKUP):
            return False
        last = self.last_backup(db)
        return last is None or self._ctx.clock.now() - last > BACKUP_REMINDER

    def rotate_key(self) -> None:
        ctx = self._ctx
        ctx.require(Permission.KEY_ROTATE)
        ctx.vault.rotate_key()
        with ctx.write("vault.key_rotated", "vault", ctx.vault.vault_id) as w:
            w.details["generation"] = ctx.vault.generation

    def events(
        self, entity_ids: list[str] | None = None, limit: int = 1000
    ) -> list[audit.AuditEvent]:
        self._ctx.require(Permission.AUDIT_READ if entity_ids is None else Permission.CASE_READ)
        return audit.events(self._ctx.db, entity_ids=entity_ids, limit=limit)
