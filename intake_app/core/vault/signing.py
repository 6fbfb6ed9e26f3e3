"""Each user's audit signing key (S37): an Ed25519 key derived from the private key of their own
key slot, so it exists only while their passphrase (or the recovery key) has opened that slot.

The vault's key (DEK) opens the database, not the slots: someone who holds it can rewrite rows
and append events with a correct hash chain, but cannot sign an event as another user. Which key
belongs to which user is itself in the chain, in signed events: the vault's creation names its
first coordinator's key, a coordinator's ``user.added`` names the new user's, and a user whose
vault predates signing registers their own key once (``audit.key_registered``), which is as
strong as the hash chain before it and no stronger.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from intake_app.core.vault.keyslots import hkdf

_INFO = b"intake_app/audit-signing/v1"


class AuditSigner:
    """The signing half, held by an unlocked vault for the user who opened it."""

    def __init__(self, slot_private: X25519PrivateKey) -> None:
        raw = slot_private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        self._key = Ed25519PrivateKey.from_private_bytes(hkdf(raw, None, _INFO))
        self.public_hex = self._key.public_key().public_bytes_raw().hex()

    def __repr__(self) -> str:  # never the key (S19)
        return f"AuditSigner({self.public_hex[:16]}…)"

    def sign(self, event_hash: str) -> str:
        return self._key.sign(bytes.fromhex(event_hash)).hex()


def signature_ok(public_hex: str, event_hash: str, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex)).verify(
            bytes.fromhex(signature), bytes.fromhex(event_hash)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
