"""The one owner of a SQLCipher connection: keying, pinned pragmas, transactions, error translation.

A connection belongs to the thread that opened it (sqlite's check is left on).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2

from intake_app.core.errors import (
    CryptoUnavailable,
    IntakeError,
    StorageError,
    StorageFull,
    VaultDamaged,
    VaultLocked,
)
from intake_app.core.i18n import _
from intake_app.core.vault.files import restrict

PAGE_SIZE = 4096
# S4: the cipher settings are pinned, not left to the library's defaults of the day.
PINNED_CIPHER_PRAGMAS = (
    ("cipher_page_size", PAGE_SIZE),
    ("cipher_hmac_algorithm", "HMAC_SHA512"),
    ("cipher_kdf_algorithm", "PBKDF2_HMAC_SHA512"),
    ("cipher_plaintext_header_size", 0),
)
MIN_CIPHER_MAJOR = 4

Row = dbapi2.Row
DatabaseError = dbapi2.DatabaseError


def damaged_error() -> VaultDamaged:
    return VaultDamaged(
        _("The vault is damaged and cannot be read safely. Restore it from a backup.")
    )


def translate(exc: dbapi2.Error) -> IntakeError | None:
    """A user-facing error for storage failures; None for everything that is a bug."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StorageFull(
            _("The disk is full: nothing was changed. Free some space and try again.")
        )
    if "malformed" in text or "not a database" in text or "hmac" in text:
        return damaged_error()
    if "disk i/o error" in text or "unable to open" in text or "readonly" in text:
        return StorageError(_("The vault could not be written to the disk: nothing was changed."))
    return None


def raw_key(dek: bytearray, salt: bytes) -> str:
    # sqlcipher takes the key as SQL text; this str cannot be zeroed (a Python limit), so it is
    # built at the last moment and dropped at once. The durable copy is the zeroable bytearray.
    return "x'" + bytes(dek).hex() + salt.hex() + "'"


class Database:
    def __init__(self, path: Path, dek: bytearray, salt: bytes) -> None:
        self.path = path
        try:
            conn = dbapi2.connect(
                str(path), isolation_level=None, check_same_thread=True, cached_statements=1024
            )
        except dbapi2.Error as exc:
            raise translate(exc) or StorageError(_("The vault could not be opened.")) from None
        self._conn: dbapi2.Connection | None = conn
        self._depth = 0
        try:
            conn.execute(f'PRAGMA key = "{raw_key(dek, salt)}"')
            conn.execute("PRAGMA cipher_log_level = NONE")
            for name, value in PINNED_CIPHER_PRAGMAS:
                conn.execute(
                    f"PRAGMA {name} = {value!r}"
                    if isinstance(value, str)
                    else f"PRAGMA {name} = {value}"
                )
            conn.execute("PRAGMA cipher_memory_security = ON")
            # The first read is where a wrong key or a damaged first page shows.
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.enable_load_extension(False)
            conn.row_factory = dbapi2.Row
        except dbapi2.Error as exc:
            conn.close()
            self._conn = None
            raise translate(exc) or damaged_error() from None
        self.restrict_files()

    @property
    def conn(self) -> dbapi2.Connection:
        if self._conn is None:
            raise VaultLocked(_("The vault is locked."))
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def restrict_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            restrict(Path(str(self.path) + suffix))

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except dbapi2.Error as exc:
            error = translate(exc)
            if error is None:
                raise
            raise error from None

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dbapi2.Cursor:
        with self._translated():
            return self.conn.execute(sql, params)

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        with self._translated():
            return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        with self._translated():
            return list(self.conn.execute(sql, params).fetchall())

    def scan(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows as plain tuples, for the whole-log checks that read every row (a tuple is read
        by position several times faster than a named row); an error met while reading, such as
        a damaged page halfway through, is translated as ``execute``'s are."""
        with self._translated():
            cursor = self.conn.cursor()
            cursor.row_factory = None
            yield from cursor.execute(sql, params)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT; any exception rolls everything back and changes nothing.

        Nested calls become savepoints, so a batch of use cases can share one commit.
        """
        depth = self._depth
        self.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT sp{depth}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth = depth
            with contextlib.suppress(Exception):
                self.conn.execute("ROLLBACK" if depth == 0 else f"ROLLBACK TO sp{depth}")
                if depth:
                    self.conn.execute(f"RELEASE sp{depth}")
            raise
        self._depth = depth
        if depth:
            self.execute(f"RELEASE sp{depth}")
            return
        try:
            self.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                self.conn.execute("ROLLBACK")
            raise
        self.restrict_files()

    def checkpoint(self) -> None:
        self.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(dbapi2.Error):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._conn = None

    # -- checks ---------------------------------------------------------------------------
    def cipher_version(self) -> str:
        return str(self.one("PRAGMA cipher_version")[0])

    def quick_check(self) -> list[str]:
        rows = [str(r[0]) for r in self.all("PRAGMA quick_check")]
        return [] if rows == ["ok"] else rows

    def full_check(self) -> list[str]:
        problems = [str(r[0]) for r in self.all("PRAGMA cipher_integrity_check")]
        rows = [str(r[0]) for r in self.all("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems.extend(rows)
        return problems


def check_cipher_available() -> str:
    """S1: refuse to run without a real SQLCipher (codec compiled in, temp store in memory)."""
    try:
        conn = dbapi2.connect(":memory:")
        try:
            version = conn.execute("PRAGMA cipher_version").fetchone()
            options = {r[0] for r in conn.execute("PRAGMA compile_options").fetchall()}
        finally:
            conn.close()
    except Exception:
        version = None
        options = set()
    if not version or not version[0] or "HAS_CODEC" not in options:
        raise CryptoUnavailable(
            _(
                "The encryption library (SQLCipher) is missing or incomplete; intake_app will not run without it."
            )
        )
    major = int(str(version[0]).split(".")[0])
    if major < MIN_CIPHER_MAJOR or not any(
        o.startswith("TEMP_STORE=") and o[-1] in "23" for o in options
    ):
        raise CryptoUnavailable(
            _(
                "The encryption library (SQLCipher) is too old or unsafely built; intake_app will not run with it."
            )
        )
    if "ENABLE_FTS5" not in options:
        raise CryptoUnavailable(_("The encryption library (SQLCipher) lacks full-text search."))
    return str(version[0])
