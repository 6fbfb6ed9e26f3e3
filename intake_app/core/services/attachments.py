"""Attachments: stored encrypted inside the vault in chunks, hashed at capture, originals immutable."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from intake_app.core.errors import InvalidInput, NotFound, VaultDamaged
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import Attachment
from intake_app.core.services.base import ServiceContext, new_id
from intake_app.core.services.cases import find_case_row
from intake_app.core.sniff import is_executable, sniff
from intake_app.core.user_files import file_name_text, open_regular
from intake_app.core.vault import repositories as repo
from intake_app.core.vault.repositories import attachments

CHUNK = 256 * 1024
MAX_SIZE = 512 * 1024 * 1024


class AttachmentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def add_file(
        self,
        reference: str,
        path: Path,
        *,
        description: str | None = None,
        derived_from: str | None = None,
    ) -> Attachment:
        try:
            handle = open_regular(path, _("a file"))  # a FIFO would hang the window (S40)
            size = os.fstat(handle.fileno()).st_size
        except NotFound:
            raise InvalidInput(
                _("The file {name} could not be read.").format(name=file_name_text(path.name))
            ) from None
        if size > MAX_SIZE:
            handle.close()
            raise InvalidInput(_("The file is larger than 512 MB and was not added."))
        with handle:
            return self.add(
                reference,
                handle,
                filename=path.name,
                description=description,
                derived_from=derived_from,
            )

    def add(
        self,
        reference: str,
        stream: IO[bytes],
        *,
        filename: str,
        description: str | None = None,
        derived_from: str | None = None,
    ) -> Attachment:
        ctx = self._ctx
        ctx.require(Permission.ATTACHMENT_WRITE)
        case = find_case_row(ctx, reference)
        if derived_from is not None:
            original = self.get(derived_from)
            if original.case_id != case["id"]:
                raise InvalidInput(
                    _("A working copy must belong to the same case as its original.")
                )
        attachment_id, digest, size = new_id(), hashlib.sha256(), 0
        safe_name = file_name_text(Path(filename).name)[:200] or "file"
        with ctx.write("attachment.added", "attachment", attachment_id) as w:
            # Chunks first, the row (with the hash) last: the foreign key is checked at commit.
            w.db.execute("PRAGMA defer_foreign_keys = ON")
            head = b""
            for seq, chunk in enumerate(_chunks(stream)):
                if seq == 0:
                    head = chunk[:64]
                    if is_executable(head):
                        raise InvalidInput(_("Programs cannot be attached; nothing was added."))
                size += len(chunk)
                if size > MAX_SIZE:
                    raise InvalidInput(_("The file is larger than 512 MB and was not added."))
                digest.update(chunk)
                w.db.execute(
                    "INSERT INTO attachment_chunk(attachment_id, seq, data) VALUES (?, ?, ?)",
                    (attachment_id, seq, chunk),
                )
            if size == 0:
                raise InvalidInput(_("The file is empty; nothing was added."))
            w.insert(
                "attachment",
                {
                    "id": attachment_id,
                    "case_id": case["id"],
                    "filename": safe_name,
                    "media_type": sniff(head),
                    "size": size,
                    "sha256": digest.hexdigest(),
                    "derived_from": derived_from,
                    "description": description,
                    "created_by": ctx.actor.id,
                    "created_at": ctx.now(),
                },
            )
            w.details.update(
                {"case": case["reference"], "sha256": digest.hexdigest(), "size": size}
            )
        return self.get(attachment_id)

    def get(self, attachment_id: str) -> Attachment:
        self._ctx.require(Permission.ATTACHMENT_READ)
        return repo.attachment(
            self._ctx.row("attachment", attachment_id, _("That attachment is not in this vault."))
        )

    def for_case(self, reference: str) -> list[Attachment]:
        self._ctx.require(Permission.ATTACHMENT_READ)
        return [repo.attachment(r) for r in self._ctx.case_rows("attachment", reference)]

    def read(self, attachment_id: str) -> bytes:
        """The content, checked against the hash taken at capture (audited as a view)."""
        attachment = self.get(attachment_id)
        data = b"".join(attachments.chunks(self._ctx.db, attachment_id))
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            raise VaultDamaged(
                _("This attachment no longer matches its fingerprint; restore from a backup.")
            )
        self._ctx.viewed("attachment.viewed", "attachment", attachment_id)
        return data

    def purge(self, attachment_id: str, reason: str) -> None:
        """Coordinator only: remove a file attached by mistake (secure delete), with a reason."""
        ctx = self._ctx
        ctx.require(Permission.ATTACHMENT_PURGE)
        attachment = self.get(attachment_id)
        if not reason.strip():
            raise InvalidInput(_("Give the reason for removing this file."))
        if attachments.has_copies(ctx.db, attachment_id):
            raise InvalidInput(_("Remove the working copies made from this file first."))
        with ctx.write("attachment.purged", "attachment", attachment_id) as w:
            w.db.execute("DELETE FROM attachment_chunk WHERE attachment_id = ?", (attachment_id,))
            w.delete("attachment", attachment_id)
            w.details.update({"sha256": attachment.sha256, "reason": "given"})
        ctx.db.checkpoint()  # S3: deleted pages leave the WAL too


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return
        yield chunk
