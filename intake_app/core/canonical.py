"""Canonical JSON and hashing: the one way content is serialised before it is hashed or MACed.

Canonical form: JSON, keys sorted, no insignificant whitespace, UTF-8, non-ASCII kept as is.
Investigators can recompute any hash in a sealed export from this definition.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# One encoder for every call: json.dumps with options builds a new encoder each time, which cost
# more than the encoding itself when the audit log is checked event by event.
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
