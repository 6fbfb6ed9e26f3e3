"""The last audit chain head this computer has seen of each vault, kept OUTSIDE the vault folder
(S36).

The key file's anchor (S6) lives in the folder, so a whole folder put back to yesterday's copy
carries yesterday's anchor with it and looks consistent. This record does not travel with the
folder: it is kept per OS user, in the OS keyring where there is one, otherwise in an owner-only
file in the user's configuration folder. Unlock compares the vault's chain with it; an anchor
never moves it backwards.

What it cannot catch: someone who can also write this user's keyring or configuration folder (the
same OS account) can lower it; a vault never opened on this computer has nothing to compare with.
Team witnesses (docs/design.md §12) keep heads on other devices for exactly that.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from intake_app.core.errors import StorageError
from intake_app.core.vault.device_secret import SERVICE, KeyringUnavailable, call_keyring
from intake_app.core.vault.files import atomic_write, ensure_private_dir

_VAULT_ID = re.compile(r"^[0-9a-f-]{36}$")


@dataclass(frozen=True)
class SeenHead:
    seq: int
    hash: str

    def text(self) -> str:
        return json.dumps({"audit_seq": self.seq, "audit_head": self.hash}, sort_keys=True)

    @staticmethod
    def parse(text: str) -> SeenHead | None:
        try:
            value = json.loads(text)
            seq, head = int(value["audit_seq"]), str(value["audit_head"])
        except (ValueError, KeyError, TypeError):
            return None
        if seq < 0 or not re.fullmatch(r"[0-9a-f]{64}", head):
            return None
        return SeenHead(seq, head)


class HeadWitness(Protocol):
    description: str

    def seen(self, vault_id: str) -> SeenHead | None: ...

    def record(self, vault_id: str, head: SeenHead) -> None: ...


class FileWitness:
    """One owner-only JSON file per vault in ``folder`` (the user's configuration folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.description = "file"

    def _path(self, vault_id: str) -> Path:
        if not _VAULT_ID.match(vault_id):  # never a path built from an unexpected name
            raise ValueError("not a vault id")
        return self.folder / f"{vault_id}.json"

    def seen(self, vault_id: str) -> SeenHead | None:
        try:
            text = self._path(vault_id).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return SeenHead.parse(text)

    def record(self, vault_id: str, head: SeenHead) -> None:
        try:
            ensure_private_dir(self.folder)
        except OSError:
            raise StorageError("witness folder") from None
        atomic_write(self._path(vault_id), head.text().encode("utf-8"))


class KeyringWitness:
    """The head as a keyring entry beside the device secret (same allow-listed backend)."""

    def __init__(self, backend: Any, description: str) -> None:
        self._backend = backend
        self.description = description

    @staticmethod
    def _name(vault_id: str) -> str:
        return f"chain-head:{vault_id}"

    def seen(self, vault_id: str) -> SeenHead | None:
        try:
            text = call_keyring(self._backend.get_password, SERVICE, self._name(vault_id))
        except KeyringUnavailable:
            return None
        return SeenHead.parse(text) if text else None

    def record(self, vault_id: str, head: SeenHead) -> None:
        try:
            call_keyring(self._backend.set_password, SERVICE, self._name(vault_id), head.text())
        except KeyringUnavailable:
            raise StorageError("keyring") from None


class MemoryWitness:
    """For tests: what one computer has seen, in this process only."""

    description = "memory"

    def __init__(self) -> None:
        self.heads: dict[str, SeenHead] = {}

    def seen(self, vault_id: str) -> SeenHead | None:
        return self.heads.get(vault_id)

    def record(self, vault_id: str, head: SeenHead) -> None:
        self.heads[vault_id] = head


def record_quietly(witness: HeadWitness | None, vault_id: str, head: SeenHead) -> None:
    """A witness that cannot be written now only lags (never leads); the next anchor tries again."""
    if witness is None:
        return
    with contextlib.suppress(StorageError, ValueError):
        witness.record(vault_id, head)
