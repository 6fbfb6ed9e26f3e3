"""``selftest``: prove the crypto stack works on this machine before trusting it with testimony."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from intake_app.core.errors import IntakeError
from intake_app.core.vault.db import Database, check_cipher_available
from intake_app.core.vault.device_secret import detect_os_store
from intake_app.core.vault.kdf import KdfParams, argon2id
from intake_app.core.vault.vault import VaultOptions

SQLITE_HEADER = b"SQLite format 3\x00"


def run_selftest(options: VaultOptions) -> dict[str, Any]:
    checks: dict[str, dict[str, Any]] = {}

    def check(name: str, fn: Any) -> None:
        try:
            checks[name] = {"ok": True, "detail": fn()}
        except IntakeError as exc:
            checks[name] = {"ok": False, "detail": exc.message}
        except Exception as exc:
            checks[name] = {"ok": False, "detail": type(exc).__name__}

    check("sqlcipher", lambda: f"SQLCipher {check_cipher_available()}")
    check("encrypted-file", _encrypted_file)
    check("argon2id", _argon2)
    check("aes-256-gcm", _aes)
    check("keyring", lambda: _keyring(options))
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}


def _encrypted_file() -> str:
    folder = Path(tempfile.mkdtemp(prefix="intake-selftest-"))
    try:
        db = Database(folder / "t.db", bytearray(secrets.token_bytes(32)), secrets.token_bytes(16))
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES ('selftest-canary')")
        db.close()
        data = (folder / "t.db").read_bytes()
        if data.startswith(SQLITE_HEADER) or b"selftest-canary" in data:
            raise RuntimeError("plaintext")
        return "database file is encrypted"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Known answer from the Argon2 reference implementation's tests (Argon2id, v1.3, t=2, m=64 MiB, p=1).
_ARGON2ID_KAT = "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7"


def _argon2() -> str:
    if argon2id(b"password", b"somesalt", KdfParams(2, 65536, 1)).hex() != _ARGON2ID_KAT:
        raise RuntimeError("Argon2id gives wrong results")
    return "Argon2id known answer matches"


def _aes() -> str:
    key, nonce = secrets.token_bytes(32), secrets.token_bytes(12)
    aead = AESGCM(key)
    if aead.decrypt(nonce, aead.encrypt(nonce, b"x", b"ad"), b"ad") != b"x":
        raise RuntimeError("roundtrip")
    return "AES-256-GCM round trip"


def _keyring(options: VaultOptions) -> str:
    store = options.device_store if options.device_store is not None else detect_os_store()
    if store is None:
        return "no OS keyring: passphrase-only mode"
    return f"OS keyring: {store.description}"
