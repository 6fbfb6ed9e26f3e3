"""The key file (``vault.keys`` + mirror ``vault.keys.mirror``): slots and the authenticated header.

Layout (JSON):
  format, version, vault_id, created_at,
  db:      {salt, generation}                 the DEK generation and the app-kept database salt (S7)
  anchor:  {audit_seq, audit_head, schema}    the audit chain head at the last anchor (S6)
  slots:   [slot, ...]                        see keyslots.py; slot["dek"] is the DEK sealed to it
  pending: null | {db, dek: {slot_id: sealed}} a key rotation under way (S14)
  mac:     HMAC-SHA256(HKDF(DEK), canonical body)  any edit of any field is detected (S13)
  throttle: absent | {failures, last}         wrong unlocks since the last right one (S45)
  checksum: SHA-256(canonical body + mac [+ throttle])  tells accidental damage apart without the key

``throttle`` is written on a wrong passphrase, when the DEK is not known, so it cannot be under
the MAC; it is under the checksum, in both copies, and the throttle takes the largest count of it
and ``unlock.state``. Files without it (and older apps reading files with it) are unaffected.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intake_app.core.canonical import canonical_json, sha256_hex
from intake_app.core.errors import KeyFileDamaged, VaultTooNew
from intake_app.core.i18n import _
from intake_app.core.vault.files import StepHook, _no_hook, atomic_write
from intake_app.core.vault.keyslots import hkdf

FORMAT = "intake_app.keys"
VERSION = 1
MAX_SIZE = 1024 * 1024
_MAC_INFO = b"intake_app/keyfile-mac/v1"


def damaged() -> KeyFileDamaged:
    return KeyFileDamaged(
        _("The vault's key file has been altered or damaged; the vault was not opened.")
    )


@dataclass
class KeyFile:
    vault_id: str
    created_at: str
    db: dict[str, Any]
    anchor: dict[str, Any]
    slots: list[dict[str, Any]] = field(default_factory=list)
    pending: dict[str, Any] | None = None

    def body(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "db": self.db,
            "anchor": self.anchor,
            "slots": self.slots,
            "pending": self.pending,
        }

    def copy(self) -> KeyFile:
        return copy.deepcopy(self)

    def slot_for_user(self, username: str) -> dict[str, Any] | None:
        for slot in self.slots:
            if slot["kind"] == "passphrase" and slot["user"] == username:
                return slot
        return None

    def recovery_slot(self) -> dict[str, Any] | None:
        return next((s for s in self.slots if s["kind"] == "recovery"), None)

    def usernames(self) -> list[str]:
        return sorted(s["user"] for s in self.slots if s["kind"] == "passphrase")

    def serialise(self, dek: bytearray) -> bytes:
        body = self.body()
        body["mac"] = _mac(dek, body)
        body["checksum"] = sha256_hex(canonical_json(body))
        return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")

    def verify_mac(self, dek: bytearray, mac: str) -> None:
        if not hmac.compare_digest(_mac(dek, self.body()), mac):
            raise damaged()


def _mac(dek: bytearray, body: dict[str, Any]) -> str:
    key = hkdf(bytes(dek), None, _MAC_INFO)
    return hmac.new(key, canonical_json(body), hashlib.sha256).hexdigest()


def parse(data: bytes) -> tuple[KeyFile, str]:
    """The key file and its MAC (checked later, once the DEK is known)."""
    if len(data) > MAX_SIZE:
        raise damaged()
    try:
        raw = json.loads(data.decode("utf-8"))
        if not isinstance(raw, dict):
            raise ValueError
        checksum = raw.pop("checksum")
        if not hmac.compare_digest(sha256_hex(canonical_json(raw)), str(checksum)):
            raise ValueError
        mac = str(raw.pop("mac"))
        raw.pop("throttle", None)
        if raw.get("format") != FORMAT:
            raise ValueError
        if int(raw["version"]) > VERSION:
            raise VaultTooNew(
                _(
                    "This vault was made by a newer version of intake_app. Update the app to open it."
                )
            )
        keyfile = KeyFile(
            vault_id=str(raw["vault_id"]),
            created_at=str(raw["created_at"]),
            db=dict(raw["db"]),
            anchor=dict(raw["anchor"]),
            slots=[dict(s) for s in raw["slots"]],
            pending=raw.get("pending"),
        )
        bytes.fromhex(keyfile.db["salt"])
        int(keyfile.db["generation"])
        for slot in keyfile.slots:
            for key in ("id", "kind", "kdf", "public_key", "private_key", "dek"):
                slot[key]  # noqa: B018 - presence check
    except VaultTooNew:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise damaged() from None
    return keyfile, mac


class KeyFileStore:
    """Reads the key file (falling back to its mirror when damaged) and writes both atomically."""

    def __init__(self, directory: Path, hook: StepHook = _no_hook) -> None:
        self.primary = directory / "vault.keys"
        self.mirror = directory / "vault.keys.mirror"
        self.hook = hook

    def exists(self) -> bool:
        return self.primary.exists() or self.mirror.exists()

    def candidates(self) -> list[tuple[KeyFile, str, bytes]]:
        """Every readable copy, primary first. Raises if none parses."""
        found: list[tuple[KeyFile, str, bytes]] = []
        error: Exception | None = None
        for path in (self.primary, self.mirror):
            try:
                data = path.read_bytes()
                if any(data == seen for _k, _m, seen in found):
                    continue  # an identical mirror adds nothing (and would cost a second KDF run)
                keyfile, mac = parse(data)
                found.append((keyfile, mac, data))
            except FileNotFoundError:
                continue
            except KeyFileDamaged as exc:
                error = exc
        if not found:
            raise error if error else damaged()
        return found

    def both_equal(self, data: bytes) -> bool:
        """Whether the primary and the mirror both hold exactly ``data``."""
        try:
            return self.primary.read_bytes() == data and self.mirror.read_bytes() == data
        except OSError:
            return False

    def write(self, keyfile: KeyFile, dek: bytearray) -> None:
        data = keyfile.serialise(dek)
        atomic_write(self.primary, data, hook=self.hook)
        atomic_write(self.mirror, data, hook=self.hook)

    def throttle_records(self) -> list[dict[str, Any]]:
        """The throttle record of each copy that has one (read without the key, S45)."""
        records = []
        for path in (self.primary, self.mirror):
            raw = _checked_raw(path)
            if raw is not None and isinstance(raw.get("throttle"), dict):
                records.append(raw["throttle"])
        return records

    def write_throttle(self, record: dict[str, Any] | None) -> None:
        """Set (or, with None, remove) the throttle record in every intact copy. A copy that does
        not pass its checksum is left for the mirror repair to deal with."""
        for path in (self.primary, self.mirror):
            raw = _checked_raw(path)
            if raw is None or raw.get("throttle") == record:
                continue
            raw.pop("checksum")
            raw.pop("throttle", None)
            if record is not None:
                raw["throttle"] = record
            raw["checksum"] = sha256_hex(canonical_json(raw))
            data = json.dumps(raw, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
            atomic_write(path, data, hook=self.hook)


def _checked_raw(path: Path) -> dict[str, Any] | None:
    try:
        data = path.read_bytes()
        if len(data) > MAX_SIZE:
            return None
        raw = json.loads(data.decode("utf-8"))
        if isinstance(raw, dict) and hmac.compare_digest(
            sha256_hex(canonical_json({k: v for k, v in raw.items() if k != "checksum"})),
            str(raw.get("checksum")),
        ):
            return raw
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    return None
