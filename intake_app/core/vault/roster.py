"""Who may sign the audit log's events, rebuilt from the signed events themselves (S37).

An event's signer must be its acting user's current key (or the recovery key's, in a session it
opened). Keys enter the roster only through events: the vault's creation (self-signed by its
first coordinator, and naming the recovery key), a coordinator adding a user or resetting a
passphrase, and, for vaults older than signing, ``audit.key_registered``, which a user signs
with the key it registers once, when they have none yet. From the first event that names a key,
every event must be signed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from intake_app.core.vault.signing import signature_ok

RECOVERY = "recovery"  # the roster's name for the recovery key's holder
SIGNED_FROM = 11  # the schema (migration 0011) from which events carry signatures
_INTRODUCING = {"user.added", "user.passphrase_reset", "user.passphrase_reset_by_recovery"}


def introductions(
    action: str, entity_id: str | None, details: dict[str, Any]
) -> Iterator[tuple[str, str]]:
    """The (who, key) pairs an event names: who is a user id, or RECOVERY."""
    key = details.get("audit_key")
    if action == "vault.created":
        if key:
            yield str(entity_id), str(key)
        if details.get("recovery_audit_key"):
            yield RECOVERY, str(details["recovery_audit_key"])
    elif action in _INTRODUCING and key and entity_id:
        yield entity_id, str(key)
    elif action == "audit.key_registered" and key:
        yield (RECOVERY if details.get("recovery") else str(entity_id)), str(key)


@dataclass
class Roster:
    keys: dict[str, str] = field(default_factory=dict)  # who → current key
    coordinators: set[str] = field(default_factory=set)
    signing: bool = False  # an event has named a key: from here on every event is signed

    def check(
        self,
        seq: int,
        action: str,
        user_id: str | None,
        entity_id: str | None,
        details: dict[str, Any],
        event_hash: str,
        signer: str | None,
        signature: str | None,
    ) -> str | None:
        """The problem with one event, if any; then learns the keys it names."""
        named = list(introductions(action, entity_id, details))
        problem = self._problem(action, user_id, named, event_hash, signer, signature)
        if problem is None:
            self._learn(action, details, named)
        return None if problem is None else f"audit event {seq} {problem}"

    def _problem(
        self,
        action: str,
        user_id: str | None,
        named: list[tuple[str, str]],
        event_hash: str,
        signer: str | None,
        signature: str | None,
    ) -> str | None:
        if signer is None or signature is None:
            return "is not signed" if self.signing or named else None
        if not signature_ok(signer, event_hash, signature):
            return "has a signature that does not match it"
        if action == "vault.created":
            return None if not self.keys and named and named[0][1] == signer else "forges a vault"
        if action == "audit.key_registered":
            who, key = named[0] if named else ("", "")
            first_time = who not in self.keys and (who == RECOVERY or who == user_id)
            return None if first_time and key == signer else "registers a key it may not"
        acting = self.keys.get(user_id) if user_id is not None else None
        by_recovery = signer == self.keys.get(RECOVERY)
        if user_id is None:
            allowed = signer in self.keys.values()
        else:
            allowed = signer == acting or by_recovery
        if not allowed:
            return "is not signed by its user"
        if action in _INTRODUCING - {"user.passphrase_reset_by_recovery"} and not by_recovery:
            if user_id not in self.coordinators:
                return "adds a key without a coordinator"
        if action == "user.role_changed" and user_id not in self.coordinators:
            return "changes a role without a coordinator"
        return None

    def _learn(self, action: str, details: dict[str, Any], named: list[tuple[str, str]]) -> None:
        for who, key in named:
            self.keys[who] = key
            self.signing = True

    def learn_role(self, action: str, entity_id: str | None, details: dict[str, Any]) -> None:
        """Roles come from every event, signed or from before signing: the first user of a vault
        is its coordinator; ``user.added`` names the new user's role, ``user.role_changed`` the
        role a coordinator gave them later."""
        if action == "vault.created" and entity_id:
            self.coordinators.add(entity_id)
        elif action == "user.added" and entity_id and details.get("role") == "coordinator":
            self.coordinators.add(entity_id)
        elif action == "user.role_changed" and entity_id:  # a coordinator gave or took the role
            if details.get("role") == "coordinator":
                self.coordinators.add(entity_id)
            else:
                self.coordinators.discard(entity_id)
        elif action == "user.removed" and entity_id:
            self.coordinators.discard(entity_id)
