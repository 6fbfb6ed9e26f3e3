"""Key rotation (S14): re-encrypt the database under a new DEK without anyone's passphrase.

1. export to ``vault.db.rotating`` under the new key; 2. record the new DEK sealed to every slot as
``pending`` in the key file; 3. swap the files; 4. make the new key current. Unlock finishes or
rolls back whatever step a crash interrupted, so the old or the new vault always opens.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from intake_app.core.vault import migrations
from intake_app.core.vault.db import Database, raw_key
from intake_app.core.vault.files import fsync_dir, restrict
from intake_app.core.vault.keyfile import KeyFile, KeyFileStore
from intake_app.core.vault.keyslots import seal_dek
from intake_app.core.vault.options import DB_NAME, ROTATING_NAME
from intake_app.core.vault.search_index import settle_all


def rotate(
    directory: Path, keyfile: KeyFile, dek: bytearray, db: Database, keys: KeyFileStore
) -> tuple[KeyFile, bytearray, Database]:
    """Returns the new key file, DEK and open database; the old DEK buffer is zeroed."""
    hook = keys.hook
    new_dek = bytearray(secrets.token_bytes(32))
    new_salt = secrets.token_bytes(16)
    generation = int(keyfile.db["generation"]) + 1
    target = directory / ROTATING_NAME
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    version = migrations.schema_version(db)
    settle_all(db)
    db.execute(f'ATTACH DATABASE ? AS rotated KEY "{raw_key(new_dek, new_salt)}"', (str(target),))
    try:
        db.execute("SELECT sqlcipher_export('rotated')")
        db.execute(f"PRAGMA rotated.user_version = {version}")
    finally:
        db.execute("DETACH DATABASE rotated")
    restrict(target)
    _fsync_file(target)
    hook("rotation:exported")
    pending = keyfile.copy()
    pending.pending = {
        "db": {"salt": new_salt.hex(), "generation": generation},
        "dek": {s["id"]: seal_dek(keyfile.vault_id, s, new_dek, generation) for s in pending.slots},
    }
    keys.write(pending, dek)
    hook("rotation:pending-written")
    db.close()
    _swap_in(directory, target)
    hook("rotation:swapped")
    finish_rotation(keys, pending, new_dek)
    for i in range(len(dek)):
        dek[i] = 0
    return pending, new_dek, Database(directory / DB_NAME, new_dek, new_salt)


def finish_rotation(keys: KeyFileStore, keyfile: KeyFile, new_dek: bytearray) -> None:
    pending = keyfile.pending
    assert pending is not None
    for slot in keyfile.slots:
        slot["dek"] = pending["dek"][slot["id"]]
    keyfile.db = {"salt": pending["db"]["salt"], "generation": pending["db"]["generation"]}
    keyfile.pending = None
    keys.write(keyfile, new_dek)


def _swap_in(directory: Path, rotated: Path) -> None:
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            (directory / (DB_NAME + suffix)).unlink()
    os.replace(rotated, directory / DB_NAME)
    fsync_dir(directory)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
