"""Coordinator tasks on the vault as a whole: verify, back up, rotate the key, read the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intake_app.core.permissions import Permission
from intake_app.core.services.base import ServiceContext
from intake_app.core.vault import audit
from intake_app.core.vault.backup import create_backup
from intake_app.core.vault.integrity import IntegrityReport, full_check


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

    def backup(self, out: Path) -> dict[str, Any]:
        ctx = self._ctx
        ctx.require(Permission.BACKUP)
        manifest = create_backup(ctx.vault, out)
        with ctx.write("vault.backup", "vault", ctx.vault.vault_id) as w:
            w.details.update(
                {"audit_seq": manifest["audit_seq"], "db_sha256": manifest["files"]["vault.db"]}
            )
        return manifest

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
