"""Each figure of the budget (docs/design.md §10), measured with the same work on a baseline where one
makes sense. Every function returns Figures; none asserts anything."""

from __future__ import annotations

import io
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.generate import PASSPHRASE, USER
from benchmarks.measure import Figure, figure, samples
from intake_app.core import session
from intake_app.core.services import Services
from intake_app.core.vault.vault import VaultOptions


def unlock(directory: Path, options: VaultOptions, runs: int) -> tuple[list[Figure], Services]:
    """Argon2id and the rest of unlocking, separately, as the GUI unlocks (S5's page check runs
    next, in a worker: measured on its own); returns the services left open."""
    derive, rest, check = [], [], []
    services = None
    for _ in range(runs):
        start = time.perf_counter()
        derived = session.derive_keys(directory, USER, PASSPHRASE, options)
        middle = time.perf_counter()
        services = session.finish_unlock(derived).services
        end = time.perf_counter()
        if not check:  # it reads the whole file (a minute at 100,000 cases): timed once
            session.page_check(services)()
            check.append((time.perf_counter() - end) * 1000)
        derive.append((middle - start) * 1000)
        rest.append((end - middle) * 1000)
        services.lock()
    services = session.finish_unlock(
        session.derive_keys(directory, USER, PASSPHRASE, options)
    ).services
    size = (directory / "vault.db").stat().st_size
    return [
        figure("unlock: Argon2id (deliberate cost)", derive),
        figure("unlock: everything else", rest, budget_ms=100),
        figure(
            "unlock: page check, in a worker after",
            check,
            note=f"reads all of vault.db, {size / 1e6:.0f} MB",
        ),
    ], services


def case_list(services: Services, runs: int) -> list[Figure]:
    first = samples(lambda: services.cases.list(limit=50), runs)
    from PySide6.QtWidgets import QApplication

    from intake_app.ui.models import CaseTableModel

    QApplication.instance() or QApplication([])

    def scroll_to_end() -> int:
        model = CaseTableModel(lambda after, limit: services.cases.list(limit=limit, after=after))
        while model.canFetchMore():
            model.fetchMore()
        return model.rowCount()

    rows = scroll_to_end()
    scroll = samples(scroll_to_end, max(1, runs // 5), warmup=0)
    return [
        figure("case list: first page (50)", first, budget_ms=50),
        figure("case list: scroll to the end", scroll, note=f"{rows} rows, lazily fetched"),
    ]


QUERIES = {
    "rare word": None,  # a case reference: one hit
    "common word": "they",
    "two words": "white truck",
    "prefix": "basem*",
}
KINDS = ["reference", "person", "statement", "answers"]


def search(services: Services, runs: int) -> list[Figure]:
    """The app's search (SQLCipher) against the same FTS5 query on a plain SQLite copy."""
    from intake_app.core.services.search import RANKED_WINDOW, TOKENIZER, fts_query, search_sql

    plain = sqlite3.connect(":memory:")
    plain.execute("CREATE TABLE case_file (id TEXT PRIMARY KEY, reference TEXT)")
    plain.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5(case_id UNINDEXED, kind UNINDEXED,"
        f" source_id UNINDEXED, body, tokenize = '{TOKENIZER}')"
    )
    plain.execute("CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, row)")

    def plain_rows(sql: str, params: dict[str, object]) -> list[tuple[object, ...]]:
        return plain.execute(sql, params).fetchall()

    def plain_search(text: str) -> list[tuple[object, ...]]:  # a prefix is looked up, as in the app
        query = fts_query(text, rows=plain_rows)
        return plain_rows(*search_sql(query, KINDS, limit=50, window=RANKED_WINDOW))

    db = services.ctx.db
    plain.executemany(
        "INSERT INTO case_file VALUES (?, ?)", db.all("SELECT id, reference FROM case_file")
    )
    plain.executemany(
        "INSERT INTO search_index VALUES (?, ?, ?, ?)",
        db.all("SELECT case_id, kind, source_id, body FROM search_index"),
    )
    out = []
    rare = services.cases.list(limit=1)[0].reference
    for label, wanted in QUERIES.items():
        text = wanted or rare
        run = services.search.prepare(text)
        app = samples(lambda run=run: run(db), runs)
        base = samples(lambda text=text: plain_search(text), runs)
        out.append(
            figure(
                f"search: {label}",
                app,
                budget_ms=100,
                baseline="plain SQLite FTS5",
                baseline_values=base,
            )  # fmt: skip
        )
    return out


def autosave(services: Services, directory: Path, runs: int) -> list[Figure]:
    """Each autosave commits durably (WAL, synchronous=FULL): the baseline is the same commit of
    the same text on plain SQLite, on the same disk, in the same run (the fsync is the floor)."""
    reference = services.cases.open(languages=["en"]).reference
    statement = services.statements.create(reference, title="Benchmark", language="en")
    plain = sqlite3.connect(directory.parent / "plain-autosave.db", isolation_level=None)
    plain.execute("PRAGMA journal_mode = WAL")
    plain.execute("PRAGMA synchronous = FULL")
    plain.execute("CREATE TABLE IF NOT EXISTS draft (id INTEGER PRIMARY KEY, text TEXT)")
    plain.execute("INSERT OR REPLACE INTO draft VALUES (1, '')")
    text = ""
    values, base, settles = [], [], []
    for index in range(runs * 4):
        text += f"Word {index} of a long account typed during an interview. "
        start = time.perf_counter()  # as while typing: the search entry waits for a pause
        services.statements.save_draft(statement.current.id, text=text, settle=False)
        values.append((time.perf_counter() - start) * 1000)
        if index % 4 == 3:  # the typist pauses: the entry catches up, old words securely removed
            start = time.perf_counter()
            services.statements.settle_search(statement.current.id)
            settles.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        plain.execute("BEGIN IMMEDIATE")
        plain.execute("UPDATE draft SET text = ? WHERE id = 1", (text,))
        plain.execute("COMMIT")
        base.append((time.perf_counter() - start) * 1000)
    plain.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{directory.parent / 'plain-autosave.db'}{suffix}").unlink(missing_ok=True)
    return [
        figure(
            "autosave commit",
            values,
            budget_ms=20,
            baseline="plain SQLite durable commit",
            baseline_values=base,
            note=f"{len(text)} characters",
        ),
        figure(
            "search entry caught up at a pause",
            settles,
            note="once typing pauses for 2 s: FTS5 secure-delete of the older text",
        ),
    ]


def export(services: Services, runs: int) -> list[Figure]:
    """A ~10-page case: render, encrypt, sign separately; the unsealed render is the baseline."""
    from benchmarks.long_case import make_long_case
    from intake_app.core.export.render import render
    from intake_app.core.export.sealing import seal_pdf
    from intake_app.core.services.exports import ExportRequest

    reference, recipient = make_long_case(services)
    prepared = services.exports.prepare(ExportRequest(reference, recipient, password=b"x" * 16))
    rendered = render(prepared.view)
    render_ms = samples(lambda: render(prepared.view), runs)
    encrypt_ms = samples(lambda: _encrypt_only(rendered.data), runs)
    seal_ms = samples(lambda: seal_pdf(rendered.data, prepared.identity, password=b"x" * 16), runs)
    total = samples(lambda: services.exports.seal(prepared), runs)
    return [
        *case_check(services, reference, recipient, runs),
        figure("export: render", render_ms, note=f"{rendered.pages} pages"),
        figure("export: encrypt only (AES-256)", encrypt_ms),
        figure("export: encrypt and sign", seal_ms),
        figure(
            "export: sealed, in all",
            total,
            budget_ms=1000,
            baseline="unsealed render",
            baseline_values=render_ms,
        ),  # fmt: skip
    ]


def case_check(services: Services, reference: str, recipient: str, runs: int) -> list[Figure]:
    """S35's check of one case, as an export runs it twice (prepare, record), on the long case and
    on a case of the generated vault; the baseline is the whole-vault page check (cipher and
    b-tree integrity) that ran before every export until 0.2.0, timed once."""
    from intake_app.core.vault.case_check import require_case_intact

    db, actor = services.ctx.db, services.ctx.actor.id
    recipient_id = services.recipients.get(recipient).id

    def check(case_id: str) -> list[float]:
        return samples(
            lambda: require_case_intact(
                db, case_id, user_id=actor, recipient_id=recipient_id, files=()
            ),  # as an export that embeds no file
            runs,
        )

    long_case = check(services.ctx.case_row(reference)["id"])
    first = db.one("SELECT id FROM case_file ORDER BY rowid LIMIT 1")  # the generator's first
    typical = check(str(first[0]))
    reader = services.ctx.vault.reader()()
    whole = samples(reader.full_check, 1, warmup=0)  # reads all of vault.db: once
    reader.close()
    size = (services.ctx.vault.directory / "vault.db").stat().st_size
    return [
        figure(
            "export: S35 check of the case",
            long_case,
            budget_ms=100,
            baseline="whole-vault page check",
            baseline_values=whole,
            note=f"the ~10-page case; the baseline reads all of vault.db, {size / 1e6:.0f} MB",
        ),
        figure(
            "export: S35 check, a generated case",
            typical,
            budget_ms=100,
            note="the first case the generator made",
        ),
    ]


def _encrypt_only(pdf: bytes) -> bytes:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf)))
    writer.encrypt(b"owner-password-x", b"x" * 16)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def backup(services: Services, directory: Path, runs: int) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as work:
        counter = iter(range(10_000))

        def one() -> None:
            services.admin.backup(Path(work) / f"backup-{next(counter)}.tar")

        app = samples(one, runs, warmup=0)
        copies = iter(range(10_000))
        base = samples(
            lambda: shutil.copyfile(directory / "vault.db", Path(work) / f"copy-{next(copies)}"),
            runs,
            warmup=0,
        )
    size = (directory / "vault.db").stat().st_size
    made = figure("backup (verified)", app)
    return [
        figure(
            "backup (verified)",
            app,
            baseline="plain file copy",
            baseline_values=base,
            note=f"vault.db {size / 1e6:.1f} MB, {size / 1e3 / made.p50_ms:.0f} MB/s",
        )  # fmt: skip
    ]
