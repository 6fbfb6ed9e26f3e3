"""``python -m benchmarks --cases N [--out results.json]``: build or reuse the vault, measure every
figure, print a table, write JSON (with the machine described)."""

from __future__ import annotations

import argparse
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import app_process, figures
from benchmarks.generate import stamp_of, vault_for
from benchmarks.measure import Figure
from intake_app.core.clock import SystemClock
from intake_app.core.vault.kdf import KdfParams, KdfPolicy
from intake_app.core.vault.vault import VaultOptions

CHEAP = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)


GROUPS = ("list", "search", "autosave", "export", "backup", "app")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument(
        "--work", type=Path, default=Path(".benchmarks"), help="where generated vaults are kept"
    )
    parser.add_argument("--runs", type=int, default=20, help="repetitions per figure")
    parser.add_argument(
        "--backup-runs",
        type=int,
        default=2,
        help="verified backups to time, 0 for none (each reads the whole vault once)",
    )
    parser.add_argument(
        "--only",
        type=lambda text: set(text.split(",")),
        default=set(GROUPS),
        help=f"measure only these groups, comma-separated, of: {', '.join(GROUPS)}",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the table as Markdown (for the README)"
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build (or grow) the vault, measure nothing"
    )
    parser.add_argument(
        "--cheap-kdf",
        action="store_true",
        help="tests only: a weak Argon2id so the smoke run is fast",
    )
    return parser.parse_args(argv)


def machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args = parse(argv)
    kdf = KdfPolicy(floor=CHEAP, fixed=CHEAP) if args.cheap_kdf else KdfPolicy()
    options = VaultOptions(kdf=kdf, clock=SystemClock())
    directory = vault_for(args.work / f"vault-{args.cases}-{args.seed}", args.cases, args.seed,
                          options)  # fmt: skip
    if args.build_only:
        print(f"{directory}: {stamp_of(directory)}")
        return 0
    unknown = args.only - set(GROUPS)
    if unknown:
        raise SystemExit(f"unknown group {sorted(unknown)[0]!r}; use some of: {', '.join(GROUPS)}")
    runs = max(3, args.runs)
    results: list[Figure] = []
    unlocked, services = figures.unlock(directory, options, max(3, runs // 4))
    results += unlocked
    try:
        if "list" in args.only:
            results += figures.case_list(services, runs)
        if "search" in args.only:
            results += figures.search(services, runs)
        if "autosave" in args.only:
            results += figures.autosave(services, directory, runs)
        if "export" in args.only:
            results += figures.export(services, max(3, runs // 4))
        if "backup" in args.only and args.backup_runs > 0:  # 0 leaves it out
            results += figures.backup(services, directory, args.backup_runs)
    finally:
        services.lock()
    if "app" in args.only:
        kdf_kind = "cheap" if args.cheap_kdf else "real"
        results += app_process.typing(directory, kdf_kind)
        results += app_process.process(directory, max(2, runs // 10), kdf_kind)
    report = {
        "cases": args.cases,
        "seed": args.seed,
        "vault": stamp_of(directory),
        "machine": machine(),
        "figures": [f.as_dict() for f in results],
    }
    print(markdown(results) if args.markdown else table(results, args.cases))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def table(results: list[Figure], cases: int) -> str:
    head = f"{'figure':<44} {'p50':>9} {'p95':>9} {'budget':>8} {'baseline p50':>13} {'ratio':>6}"
    lines = [f"{cases} cases", head, "-" * len(head)]
    for f in results:
        budget = f"{f.budget_ms:g}" if f.budget_ms is not None else ""
        base = f"{f.baseline_p50_ms:.2f}" if f.baseline_p50_ms is not None else ""
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else ""
        lines.append(
            f"{f.name:<44} {f.p50_ms:>9.2f} {f.p95_ms:>9.2f} {budget:>8} {base:>13} {ratio:>6}"
            + (f"  {f.note}" if f.note else "")
        )
    return "\n".join(lines)


def markdown(results: list[Figure]) -> str:
    lines = [
        "| figure | p50 | p95 | budget | within | baseline p50 | note |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for f in results:
        within = "" if f.budget_ms is None else ("yes" if f.p95_ms <= f.budget_ms else "**no**")
        base = f"{f.baseline_p50_ms:g} ({f.baseline})" if f.baseline_p50_ms is not None else ""
        budget = f"{f.budget_ms:g}" if f.budget_ms is not None else ""
        lines.append(
            f"| {f.name} | {f.p50_ms:g} | {f.p95_ms:g} | {budget} | {within} | {base} | {f.note} |"
        )
    return "\n".join(lines)
