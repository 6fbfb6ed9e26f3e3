"""SQLCipher's own page authentication, checked from the file's bytes while they are copied (S27).

A backup used to be checked by opening the copy and asking SQLCipher to read every page
(``cipher_integrity_check``): at 100,000 cases that was minutes. The check SQLCipher runs is an
HMAC-SHA512 over each page, which we can verify ourselves as the bytes stream past, at the speed
of hashing. The format is SQLCipher 4's, with the settings the vault pins (db.py, S4):

- the database key is used as a raw key; the page MAC key is PBKDF2-HMAC-SHA512 of it, with the
  salt XOR 0x3a, 2 iterations, 32 bytes;
- every page ends with a reserve of 16 bytes of IV and 64 bytes of MAC;
- the MAC covers the page's ciphertext and IV, then the page number (4 bytes, little-endian);
  the first page's first 16 bytes (the salt) are outside it.

A test checks this against SQLCipher itself: every page of a real vault passes, and a page with
one byte flipped, or a page moved to another position, fails.
"""

from __future__ import annotations

import hashlib
import hmac

from intake_app.core.vault.db import PAGE_SIZE

IV_SIZE = 16
MAC_SIZE = 64
RESERVE = IV_SIZE + MAC_SIZE
SALT_SIZE = 16
_MAC_START = PAGE_SIZE - MAC_SIZE
BLOCK_PAGES = 256  # 1 MiB a read


def mac_key(dek: bytes | bytearray, salt: bytes) -> hmac.HMAC:
    """The page MAC, keyed; each page's MAC starts from a copy of it (keying costs more than a
    page's hash)."""
    key = hashlib.pbkdf2_hmac("sha512", bytes(dek), bytes(b ^ 0x3A for b in salt), 2, 32)
    return hmac.new(key, digestmod="sha512")


def page_ok(keyed: hmac.HMAC, number: int, page: bytes | memoryview) -> bool:
    view = memoryview(page)
    mac = keyed.copy()
    mac.update(view[SALT_SIZE if number == 1 else 0 : _MAC_START])
    mac.update(number.to_bytes(4, "little"))
    return hmac.compare_digest(mac.digest(), view[_MAC_START:PAGE_SIZE])


class PageDamage(Exception):
    def __init__(self, number: int) -> None:
        super().__init__(f"page {number}")
        self.number = number


def check_block(keyed: hmac.HMAC, first: int, block: bytes) -> None:
    """Check every page of ``block``, whose first page is page number ``first``; raises
    PageDamage at the first page that fails, ValueError when the block is not whole pages."""
    if len(block) % PAGE_SIZE:
        raise ValueError("not whole pages")
    view = memoryview(block)
    for index, offset in enumerate(range(0, len(block), PAGE_SIZE)):
        if not page_ok(keyed, first + index, view[offset : offset + PAGE_SIZE]):
            raise PageDamage(first + index)
