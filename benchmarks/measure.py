"""Timing helpers: repeated runs, p50/p95 in milliseconds, a ratio to a baseline."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    name: str
    p50_ms: float
    p95_ms: float
    runs: int
    budget_ms: float | None = None
    baseline: str | None = None
    baseline_p50_ms: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.baseline_p50_ms:
            return None
        return self.p50_ms / self.baseline_p50_ms

    def as_dict(self) -> dict[str, Any]:
        value = asdict(self)
        value["ratio"] = self.ratio
        value["within_budget"] = None if self.budget_ms is None else self.p95_ms <= self.budget_ms
        return value


def samples(work: Callable[[], object], runs: int, *, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        work()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        out.append((time.perf_counter() - start) * 1000)
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(share * 100) - 1]


def figure(
    name: str,
    values: list[float],
    *,
    budget_ms: float | None = None,
    baseline: str | None = None,
    baseline_values: list[float] | None = None,
    note: str = "",
) -> Figure:
    return Figure(
        name,
        round(percentile(values, 0.5), 2),
        round(percentile(values, 0.95), 2),
        len(values),
        budget_ms,
        baseline,
        round(percentile(baseline_values, 0.5), 2) if baseline_values else None,
        note,
    )
