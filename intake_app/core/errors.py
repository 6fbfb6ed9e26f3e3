"""Errors a user can be shown. Each carries one plain, translated sentence.

Anything else that escapes the core is a bug; the CLI and the GUI report it without content.
"""

from __future__ import annotations


class IntakeError(Exception):
    """An expected failure with a message for the user (already translated)."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(IntakeError):
    exit_code = 2


class NotFound(IntakeError):
    pass


class PermissionDenied(IntakeError):
    exit_code = 3


class WrongPassphrase(IntakeError):
    exit_code = 4


class UnlockThrottled(IntakeError):
    exit_code = 4

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DeviceSecretMissing(IntakeError):
    """The slot is bound to a device secret that the keyring no longer holds (or holds changed)."""

    exit_code = 5


class KeyFileDamaged(IntakeError):
    exit_code = 6


class VaultDamaged(IntakeError):
    exit_code = 6


class VaultRolledBack(IntakeError):
    exit_code = 6


class VaultTooNew(IntakeError):
    exit_code = 7


class VaultInUse(IntakeError):
    exit_code = 8


class VaultExists(IntakeError):
    pass


class VaultLocked(IntakeError):
    pass


class StorageError(IntakeError):
    exit_code = 9


class StorageFull(StorageError):
    pass


class CryptoUnavailable(IntakeError):
    exit_code = 10


class WeakKdfParameters(IntakeError):
    exit_code = 6


class SealedRecord(IntakeError):
    pass


class ConsentRequired(IntakeError):
    pass


class InvalidTransition(IntakeError):
    pass
