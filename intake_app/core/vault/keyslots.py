"""Key slots: each wraps a private X25519 key; the database key (DEK) is sealed to its public key.

Why the indirection: a passphrase change re-wraps one private key and touches nothing else (S11),
and key rotation seals a new DEK to every slot's public key without anyone's passphrase (S14).
Every slot's parameters are the associated data of its AES-256-GCM wrap, so any edit fails (S13).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from intake_app.core.canonical import canonical_json, sha256_hex
from intake_app.core.errors import KeyFileDamaged, WrongPassphrase
from intake_app.core.i18n import _
from intake_app.core.vault.kdf import KdfParams, argon2id, normalise_passphrase

PASSPHRASE = "passphrase"
RECOVERY = "recovery"
_SLOT_INFO = b"intake_app/slot-kek/v1"
_WRAP_INFO = b"intake_app/dek-wrap/v1"


def hkdf(ikm: bytes, salt: bytes | None, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def device_fingerprint(device_secret: bytes) -> str:
    """Identifies which device secret a slot needs without revealing it (it is 256 random bits)."""
    return sha256_hex(b"intake_app/device-fingerprint/v1" + device_secret)[:16]


@dataclass(frozen=True)
class SlotSecret:
    """What unlocks one slot: a passphrase (+ device secret) or the recovery key's bytes."""

    kind: str
    material: bytes
    device_secret: bytes | None = None


def passphrase_secret(passphrase: str, device_secret: bytes | None) -> SlotSecret:
    return SlotSecret(PASSPHRASE, normalise_passphrase(passphrase), device_secret)


def recovery_secret(raw: bytes) -> SlotSecret:
    return SlotSecret(RECOVERY, raw)


def kdf_params(slot: dict[str, Any]) -> KdfParams:
    kdf = slot["kdf"]
    return KdfParams(int(kdf["t"]), int(kdf["m"]), int(kdf["p"]))


def _kek(slot: dict[str, Any], secret: SlotSecret) -> bytes:
    salt = bytes.fromhex(slot["kdf"]["salt"])
    if slot["kind"] == PASSPHRASE:
        stretched = argon2id(secret.material, salt, kdf_params(slot))
        return hkdf(stretched, secret.device_secret, _SLOT_INFO)
    return hkdf(secret.material, salt, _SLOT_INFO)


def _slot_ad(vault_id: str, slot: dict[str, Any]) -> bytes:
    fields = ("id", "kind", "user", "kdf", "device_bound", "device", "public_key")
    return canonical_json({"vault_id": vault_id, **{k: slot.get(k) for k in fields}})


def _dek_ad(vault_id: str, slot_id: str, generation: int) -> bytes:
    return canonical_json({"vault_id": vault_id, "slot": slot_id, "generation": generation})


def new_slot(
    vault_id: str,
    *,
    kind: str,
    user: str | None,
    secret: SlotSecret,
    params: KdfParams | None,
) -> dict[str, Any]:
    """A slot with a fresh key pair; the DEK is sealed into it later with :func:`seal_dek`."""
    return new_slot_keyed(vault_id, kind=kind, user=user, secret=secret, params=params)[0]


def new_slot_keyed(
    vault_id: str,
    *,
    kind: str,
    user: str | None,
    secret: SlotSecret,
    params: KdfParams | None,
) -> tuple[dict[str, Any], X25519PrivateKey]:
    """:func:`new_slot`, with the slot's private key, which its user's audit signing key is
    derived from (signing.py) without a second key derivation."""
    private = X25519PrivateKey.generate()
    slot: dict[str, Any] = {
        "id": secrets.token_hex(8),
        "kind": kind,
        "user": user,
        "device_bound": secret.device_secret is not None,
        "device": device_fingerprint(secret.device_secret) if secret.device_secret else None,
        "public_key": _public_hex(private.public_key()),
    }
    if kind == PASSPHRASE:
        assert params is not None
        slot["kdf"] = {
            "alg": "argon2id",
            "t": params.time_cost,
            "m": params.memory_kib,
            "p": params.parallelism,
            "salt": secrets.token_hex(16),
        }
    else:
        slot["kdf"] = {"alg": "hkdf-sha256", "salt": secrets.token_hex(16)}
    _wrap_private(vault_id, slot, secret, private)
    return slot, private


def rewrap_slot(
    vault_id: str, slot: dict[str, Any], old: SlotSecret, new: SlotSecret, params: KdfParams
) -> dict[str, Any]:
    """The same slot (same key pair, same sealed DEK) under a new passphrase."""
    private = unwrap_private(vault_id, slot, old)
    updated = dict(slot)
    updated["kdf"] = {
        "alg": "argon2id",
        "t": params.time_cost,
        "m": params.memory_kib,
        "p": params.parallelism,
        "salt": secrets.token_hex(16),
    }
    updated["device_bound"] = new.device_secret is not None
    updated["device"] = device_fingerprint(new.device_secret) if new.device_secret else None
    _wrap_private(vault_id, updated, new, private)
    return updated


def _wrap_private(
    vault_id: str, slot: dict[str, Any], secret: SlotSecret, private: X25519PrivateKey
) -> None:
    nonce = secrets.token_bytes(12)
    raw = private.private_bytes_raw()
    sealed = AESGCM(_kek(slot, secret)).encrypt(nonce, raw, _slot_ad(vault_id, slot))
    slot["private_key"] = {"nonce": nonce.hex(), "ct": sealed.hex()}


def unwrap_private(vault_id: str, slot: dict[str, Any], secret: SlotSecret) -> X25519PrivateKey:
    wrapped = slot["private_key"]
    try:
        raw = AESGCM(_kek(slot, secret)).decrypt(
            bytes.fromhex(wrapped["nonce"]), bytes.fromhex(wrapped["ct"]), _slot_ad(vault_id, slot)
        )
    except InvalidTag:
        if slot["kind"] == RECOVERY:
            raise WrongPassphrase(_("This recovery key does not open this vault.")) from None
        raise WrongPassphrase(_("The passphrase is not correct.")) from None
    return X25519PrivateKey.from_private_bytes(raw)


def seal_dek(
    vault_id: str, slot: dict[str, Any], dek: bytearray, generation: int
) -> dict[str, str]:
    public = X25519PublicKey.from_public_bytes(bytes.fromhex(slot["public_key"]))
    ephemeral = X25519PrivateKey.generate()
    epk = ephemeral.public_key()
    key = hkdf(
        ephemeral.exchange(public),
        bytes.fromhex(_public_hex(epk)) + public.public_bytes_raw(),
        _WRAP_INFO,
    )
    nonce = secrets.token_bytes(12)
    ct = AESGCM(key).encrypt(nonce, bytes(dek), _dek_ad(vault_id, slot["id"], generation))
    return {"epk": _public_hex(epk), "nonce": nonce.hex(), "ct": ct.hex()}


def open_dek(
    vault_id: str,
    slot: dict[str, Any],
    sealed: dict[str, str],
    private: X25519PrivateKey,
    generation: int,
) -> bytearray:
    epk = X25519PublicKey.from_public_bytes(bytes.fromhex(sealed["epk"]))
    public = private.public_key()
    key = hkdf(
        private.exchange(epk), epk.public_bytes_raw() + public.public_bytes_raw(), _WRAP_INFO
    )
    try:
        dek = AESGCM(key).decrypt(
            bytes.fromhex(sealed["nonce"]),
            bytes.fromhex(sealed["ct"]),
            _dek_ad(vault_id, slot["id"], generation),
        )
    except InvalidTag:
        raise KeyFileDamaged(
            _("The vault's key file has been altered or damaged; the vault was not opened.")
        ) from None
    return bytearray(dek)


def _public_hex(public: X25519PublicKey) -> str:
    return public.public_bytes_raw().hex()
