"""A passphrase strength estimate: the strength meter, and the rule every new passphrase meets.

An upper bound on guessing entropy from length and character classes, discounted for repeats and
common patterns. Several unrelated words beat clever substitutions; the meter says so. What the
meter calls too short or weak cannot protect a vault or a slot (S43): ``check_passphrase`` is the
one check, in ``Vault`` behind the CLI and the GUI alike.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import N_, _


class Strength(StrEnum):
    TOO_SHORT = N_("too short")
    WEAK = N_("weak")
    FAIR = N_("fair")
    GOOD = N_("good")
    STRONG = N_("strong")


_COMMON = re.compile(
    r"(password|passphrase|qwerty|azerty|123456|letmein|admin|welcome|iloveyou)", re.I
)


def estimate_bits(passphrase: str) -> float:
    if not passphrase:
        return 0.0
    pool = 0
    if re.search(r"[a-z]", passphrase):
        pool += 26
    if re.search(r"[A-Z]", passphrase):
        pool += 26
    if re.search(r"[0-9]", passphrase):
        pool += 10
    if re.search(r"[^A-Za-z0-9\s]", passphrase):
        pool += 33
    if re.search(r"\s", passphrase):
        pool += 1
    if any(ord(ch) > 127 for ch in passphrase):
        pool += 40  # Arabic, Cyrillic and other scripts
    distinct = len(set(passphrase))
    effective_length = min(len(passphrase), distinct * 2)
    bits = effective_length * math.log2(max(pool, 2))
    if _COMMON.search(passphrase):
        bits *= 0.5
    return bits


def strength(passphrase: str) -> Strength:
    if len(passphrase.strip()) < 8:
        return Strength.TOO_SHORT
    bits = estimate_bits(passphrase)
    if bits < 45:
        return Strength.WEAK
    if bits < 65:
        return Strength.FAIR
    if bits < 90:
        return Strength.GOOD
    return Strength.STRONG


def check_passphrase(passphrase: str) -> None:
    """Refuse, with the reason and what to do instead, a passphrase the meter calls weak (S43)."""
    level = strength(passphrase)
    if level is Strength.TOO_SHORT:
        raise InvalidInput(_("A passphrase needs at least 8 characters; several words are best."))
    if level is not Strength.WEAK:
        return
    if _COMMON.search(passphrase):
        raise InvalidInput(
            _(
                "This passphrase is weak: it contains a common word or sequence (such as "
                "password or 123456). Use three or more unrelated words."
            )
        )
    if len(set(passphrase)) * 2 < len(passphrase):
        raise InvalidInput(
            _(
                "This passphrase is weak: it repeats a few characters. Use three or more "
                "unrelated words."
            )
        )
    raise InvalidInput(
        _(
            "This passphrase is weak: it is too easy to guess. Use three or more unrelated "
            "words, or make it longer."
        )
    )
