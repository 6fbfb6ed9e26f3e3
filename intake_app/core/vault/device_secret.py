"""The device secret: 32 random bytes per vault, held only in a real OS keyring (S16–S18).

We never use ``keyring.get_keyring()``: with keyrings.alt installed or PYTHON_KEYRING_BACKEND set it
may pick a plaintext file store or prompt on a terminal. Instead we instantiate only allow-listed
OS backends ourselves, and every keyring call runs with a time limit so a stuck D-Bus never hangs us.
"""

from __future__ import annotations

import base64
import importlib
import secrets
from typing import Any, Protocol

SERVICE = "intake_app"
TIMEOUT_SECONDS = 3.0

# module, class: the OS keyrings. Nothing that stores secrets in a file we would have to protect.
ALLOWED_BACKENDS = (
    ("keyring.backends.SecretService", "Keyring"),
    ("keyring.backends.libsecret", "Keyring"),
    ("keyring.backends.kwallet", "DBusKeyring"),
    ("keyring.backends.macOS", "Keyring"),
    ("keyring.backends.Windows", "WinVaultKeyring"),
)


class DeviceSecretStore(Protocol):
    """Where device secrets live. ``None`` from :func:`detect_os_store` means passphrase-only."""

    description: str

    def get(self, vault_id: str) -> bytes | None: ...

    def put(self, vault_id: str, secret: bytes) -> None: ...

    def delete(self, vault_id: str) -> None: ...


class KeyringUnavailable(Exception):
    pass


def new_device_secret() -> bytes:
    return secrets.token_bytes(32)


def _username(vault_id: str) -> str:
    return f"device-secret:{vault_id}"


def call_keyring(fn: Any, *args: Any) -> Any:
    """One keyring call with a time limit; any failure is KeyringUnavailable, never a crash."""
    import concurrent.futures  # only when the keyring is asked

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(fn, *args).result(timeout=TIMEOUT_SECONDS)
    except concurrent.futures.TimeoutError:
        raise KeyringUnavailable("keyring timed out") from None
    except Exception as exc:  # any backend failure means "no keyring", never a crash
        raise KeyringUnavailable(type(exc).__name__) from None
    finally:
        pool.shutdown(wait=False)


class OsKeyringStore:
    def __init__(self, backend: Any) -> None:
        self._backend = backend
        self.description = f"{type(backend).__module__}.{type(backend).__name__}"

    @property
    def backend(self) -> Any:
        """The allow-listed OS backend itself, for other entries of ours (the seen chain head)."""
        return self._backend

    def get(self, vault_id: str) -> bytes | None:
        value = call_keyring(self._backend.get_password, SERVICE, _username(vault_id))
        return base64.b64decode(value) if value else None

    def put(self, vault_id: str, secret: bytes) -> None:
        call_keyring(
            self._backend.set_password,
            SERVICE,
            _username(vault_id),
            base64.b64encode(secret).decode(),
        )
        if self.get(vault_id) != secret:
            raise KeyringUnavailable("keyring did not keep the secret")

    def delete(self, vault_id: str) -> None:
        call_keyring(self._backend.delete_password, SERVICE, _username(vault_id))


def _viable(module_name: str, class_name: str) -> Any | None:
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
        if float(call_keyring(lambda: cls.priority)) <= 0:
            return None
        backend = cls()
        # A locked collection or missing daemon shows up only on use: probe with a harmless read.
        call_keyring(backend.get_password, SERVICE, "probe")
        return backend
    except Exception:
        return None


def detect_os_store() -> OsKeyringStore | None:
    """The best allow-listed OS keyring that works now, or None (passphrase-only mode)."""
    for module_name, class_name in ALLOWED_BACKENDS:
        backend = _viable(module_name, class_name)
        if backend is not None:
            return OsKeyringStore(backend)
    return None


class MemoryStore:
    """An in-process store for tests and for the demo vault; nothing persists."""

    description = "memory"

    def __init__(self) -> None:
        self.secrets: dict[str, bytes] = {}

    def get(self, vault_id: str) -> bytes | None:
        return self.secrets.get(vault_id)

    def put(self, vault_id: str, secret: bytes) -> None:
        self.secrets[vault_id] = secret

    def delete(self, vault_id: str) -> None:
        self.secrets.pop(vault_id, None)
