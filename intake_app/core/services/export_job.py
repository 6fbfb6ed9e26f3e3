"""The export sequence, written once for the command line and the desktop app:

prepare (which checks the case, S35) → seal → write a new file → record (which checks the case
again) → remove the file if it was not recorded.

A sealed file that exists must have its export record (the recipient, the hash, what was
withheld), so whatever stops the recording — the consent ledger changed while sealing, the vault
was locked meanwhile, a full disk, a bug — takes the file away again. The steps are methods so the
GUI can run :meth:`ExportJob.seal` (the slow one, which touches no vault connection of this
thread) in a worker; :meth:`ExportJob.run` does all of them in order.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.records import ExportRecord
from intake_app.core.services.exports import ExportRequest, PreparedExport, SealedFile
from intake_app.core.user_files import write_new_file

if TYPE_CHECKING:
    from intake_app.core.services import Services


class ExportJob:
    """One sealed export, to ``path`` (or kept in memory when ``path`` is None).

    Built on the vault's thread, where it prepares (reads the vault, applies the policy, reads the
    evidence files). :meth:`seal` touches no vault connection, so it may run on another thread;
    :meth:`save` runs on the vault's thread again. The whole-vault page check that ran before
    sealing is replaced by S35's check of the case, in ``prepare`` and again in ``record``.
    """

    def __init__(self, services: Services, request: ExportRequest, path: str | None) -> None:
        self._exports = services.exports
        self.path = path
        if path is not None and os.path.lexists(path):  # said now, not after a minute of sealing
            raise InvalidInput(_("{path} already exists; choose another name.").format(path=path))
        self.prepared: PreparedExport = self._exports.prepare(request)

    def seal(self) -> SealedFile:
        """Lay out, encrypt and sign in memory: the slow step."""
        return self._exports.seal(self.prepared)

    def save(self, sealed: SealedFile) -> ExportRecord:
        """Write the file (new, owner-only; a failed write leaves nothing), then record it. Any
        failure to record removes the file: no sealed file exists without its record."""
        if self.path is not None:
            write_new_file(self.path, sealed.data)
        try:
            return self._exports.record(self.prepared, sealed)
        except BaseException:
            if self.path is not None:
                Path(self.path).unlink(missing_ok=True)
            raise

    def run(self) -> tuple[ExportRecord, SealedFile]:
        sealed = self.seal()
        return self.save(sealed), sealed
