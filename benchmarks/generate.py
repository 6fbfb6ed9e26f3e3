"""Synthetic vaults for the benchmarks: the demo generator, many cases per transaction.

The content (languages, testimony, answers, consents, referrals, updates) is a pure function of
the seed, as in the demo. A generated vault is kept and reused when the case count, seed and
generator match (``benchmark.json`` beside it): building 100,000 cases takes a while. A kept vault
from an older schema is upgraded once, before anything is measured, as a user's vault would be.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from intake_app.core import demo
from intake_app.core.services import Services
from intake_app.core.vault.vault import Vault, VaultOptions

USER = "bench"
PASSPHRASE = "benchmark passphrase, synthetic data only"
BATCH = 100  # cases per transaction
GENERATOR = 2  # bump when what a seed generates changes


def fill(services: Services, cases: int, seed: int, progress: bool = False) -> None:
    """Add ``cases`` demo cases, ``BATCH`` per commit (each write is still audited)."""
    report = (lambda done: print(f"  {done}/{cases} cases", flush=True)) if progress else None
    demo.generate(services, cases, seed=seed, per_commit=BATCH, progress=report)


def vault_for(directory: Path, cases: int, seed: int, options: VaultOptions) -> Path:
    """A vault of ``cases`` cases in ``directory``, built now or reused if it matches."""
    stamp = {"cases": cases, "seed": seed, "generator": GENERATOR}
    marker = directory / "benchmark.json"
    if marker.exists() and json.loads(marker.read_text()) == stamp:
        Vault.unlock(directory, USER, PASSPHRASE, options).close()  # migrates, if it must
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    created = Vault.create(directory, USER, PASSPHRASE, options)
    services = Services.bootstrap(created.vault, USER, "Benchmark", options.clock)
    try:
        fill(services, cases, seed, progress=cases >= 1000)
    finally:
        services.lock()
    (directory / "vault.lock").unlink(missing_ok=True)
    marker.write_text(json.dumps(stamp))
    return directory


def content_fingerprint(services: Services) -> list[tuple[object, ...]]:
    """What a seed decides, in creation order (references themselves are random)."""
    out: list[tuple[object, ...]] = []
    for case in reversed(services.cases.list(limit=1_000_000)):
        statements = services.statements.for_case(case.reference)
        consents = services.consent.ledger(case.reference)
        out.append(
            (
                case.languages,
                tuple(v.text for s in statements for v in s.versions),
                tuple((c.purpose.value, c.scope, c.decision.value) for c in consents),
                tuple(r.answers for r in services.forms.for_case(case.reference)),
                len(services.referrals.for_case(case.reference)),
                len(services.liaison.for_case(case.reference)),
            )
        )
    return out
