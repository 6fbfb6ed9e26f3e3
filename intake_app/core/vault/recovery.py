"""Recovery keys: 160 random bits + a 16-bit checksum, printed as six groups of six letters."""

from __future__ import annotations

import base64
import hashlib
import secrets

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _

_ENTROPY_BYTES = 20
_CHECK_BYTES = 2
# Characters people confuse with the base32 alphabet's own letters.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G"})


def new_recovery_key() -> tuple[str, bytes]:
    """A fresh key as printed text and as its secret bytes."""
    raw = secrets.token_bytes(_ENTROPY_BYTES)
    return format_recovery_key(raw), raw


def format_recovery_key(raw: bytes) -> str:
    check = hashlib.sha256(raw).digest()[:_CHECK_BYTES]
    text = base64.b32encode(raw + check).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 6] for i in range(0, len(text), 6))


def parse_recovery_key(text: str) -> bytes:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_LOOKALIKES)
    try:
        padded = cleaned + "=" * (-len(cleaned) % 8)
        blob = base64.b32decode(padded)
    except ValueError:
        blob = b""
    raw, check = blob[:_ENTROPY_BYTES], blob[_ENTROPY_BYTES:]
    if len(raw) != _ENTROPY_BYTES or hashlib.sha256(raw).digest()[:_CHECK_BYTES] != check:
        raise InvalidInput(
            _("This recovery key has a typing mistake: check each group of letters and try again.")
        )
    return raw
