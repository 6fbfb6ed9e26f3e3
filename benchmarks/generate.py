"""Synthetic vaults for the benchmarks: the demo generator, many cases per transaction.

The content (languages, testimony, answers, consents, referrals, updates) is a pure function of
the seed, as in the demo. A generated vault is kept and reused when the case count, seed and
generator match (``benchmark.json`` beside it): building 100,000 cases takes a while. A smaller
kept vault of the same seed is grown instead of rebuilt: the cases added after the first ``start``
come from their own stream, seeded by ``(seed, start)``, and the stamp lists where each part began
(``segments``), so a grown vault is as reproducible as a fresh one, though not identical to it. A
kept vault from an older schema is upgraded once, before anything is measured, as a user's vault
would be.
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


def segment_seed(seed: int, start: int) -> int:
    """The stream of the cases added from ``start`` on (the first part uses ``seed`` itself)."""
    return seed if start == 0 else seed * 1_000_003 + start


def stamp_of(directory: Path) -> dict[str, object] | None:
    marker = directory / "benchmark.json"
    return json.loads(marker.read_text()) if marker.exists() else None


def _kept_cases(directory: Path, seed: int) -> int | None:
    """How many cases a kept vault of this seed and generator holds (None: not such a vault)."""
    stamp = stamp_of(directory)
    if stamp is None or stamp["seed"] != seed or stamp["generator"] != GENERATOR:
        return None
    return int(stamp["cases"])  # type: ignore[call-overload]


def _smaller_kept(directory: Path, cases: int, seed: int) -> tuple[Path, int] | None:
    """The largest kept vault of this seed and generator with fewer cases, if there is one."""
    kept = [(_kept_cases(other, seed), other) for other in directory.parent.glob(f"vault-*-{seed}")]
    smaller = [(size, other) for size, other in kept if size is not None and size < cases]
    if not smaller:
        return None
    size, other = max(smaller)
    return other, size


def vault_for(directory: Path, cases: int, seed: int, options: VaultOptions) -> Path:
    """A vault of ``cases`` cases in ``directory``: reused if it matches, grown from a smaller kept
    one of the same seed, or built now."""
    if _kept_cases(directory, seed) == cases:
        Vault.unlock(directory, USER, PASSPHRASE, options).close()  # migrates, if it must
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    smaller = _smaller_kept(directory, cases, seed)
    if smaller is None:
        start, segments = 0, [0]
        created = Vault.create(directory, USER, PASSPHRASE, options)
        services = Services.bootstrap(created.vault, USER, "Benchmark", options.clock)
    else:
        other, start = smaller
        previous = stamp_of(other) or {}
        segments = [*previous.get("segments", [0]), start]  # type: ignore[list-item]
        other.rename(directory)  # grown in place: the smaller one is not kept
        (directory / "benchmark.json").unlink()  # half-grown is not a kept vault
        services = Services.login(Vault.unlock(directory, USER, PASSPHRASE, options), options.clock)
    try:
        fill(services, cases - start, segment_seed(seed, start), progress=cases >= 1000)
    finally:
        services.lock()
    (directory / "vault.lock").unlink(missing_ok=True)
    stamp = {"cases": cases, "seed": seed, "generator": GENERATOR, "segments": segments}
    (directory / "benchmark.json").write_text(json.dumps(stamp))
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
