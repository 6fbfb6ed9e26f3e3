"""The benchmark suite cannot rot: a deterministic generator, and a smoke run at a few dozen cases.
No timing is asserted anywhere in the test suite; the numbers live in benchmarks/ and the README."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import cheap_options, child_env, create_vault

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import content_fingerprint, fill  # noqa: E402


def _vault(tmp_path: Path, name: str, seed: int):
    services, _key = create_vault(tmp_path / name, cheap_options())
    fill(services, 6, seed)
    return services


def test_the_generator_is_a_function_of_its_seed(tmp_path):
    first, second, other = (
        _vault(tmp_path, "a", 11),
        _vault(tmp_path, "b", 11),
        _vault(tmp_path, "c", 12),
    )
    try:
        same = content_fingerprint(first)
        assert len(same) == 6 and same == content_fingerprint(second)
        assert same != content_fingerprint(other)
        assert any(texts for _langs, texts, *_rest in same)  # testimony was generated
        assert first.admin.verify().ok  # a benchmark vault is a valid, audited vault
    finally:
        for services in (first, second, other):
            services.lock()


def test_the_runner_measures_every_figure_at_a_few_dozen_cases(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--cases", "30", "--runs", "3", "--cheap-kdf",
         "--work", str(tmp_path / "work"), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=child_env(QT_QPA_PLATFORM="offscreen"),
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(out.read_text())
    names = {f["name"] for f in report["figures"]}
    for expected in (
        "unlock: Argon2id (deliberate cost)", "unlock: everything else",
        "case list: first page (50)", "case list: scroll to the end", "search: rare word",
        "search: common word", "search: two words", "search: prefix", "autosave commit",
        "search entry caught up at a pause",
        "export: render", "export: sealed, in all", "export: S35 check of the case",
        "export: S35 check, a generated case",
        "backup (verified)",
        "unlock: page check, in a worker after", "autosave in the window (15 KB draft)",
        "longest GUI-thread stall, typing and pausing", "cold start to the unlock window",
        "memory: the unlock window (MB)", "memory: vault open, the list shown (MB)",
        "memory: scrolled to the end, every case loaded (MB)",
        "memory: peak, Argon2id's deliberate memory included (MB)",
    ):  # fmt: skip
        assert expected in names
    assert all(f["p50_ms"] > 0 and f["runs"] >= 1 for f in report["figures"])
    assert report["cases"] == 30 and report["machine"]["cores"]
    assert "search: prefix" in done.stdout  # the printed table


def test_a_kept_vault_is_grown_not_rebuilt(tmp_path):
    """A larger run grows the largest smaller vault of the same seed: the cases added come from
    their own stream (recorded in the stamp), every one audited, and the smaller one is gone."""
    from benchmarks.generate import GENERATOR, PASSPHRASE, USER, stamp_of, vault_for
    from intake_app.core.services import Services
    from intake_app.core.vault.vault import Vault

    options = cheap_options()
    vault_for(tmp_path / "vault-4-5", 4, 5, options)
    vault_for(tmp_path / "vault-3-9", 3, 9, options)  # another seed: never grown into seed 5
    grown = vault_for(tmp_path / "vault-7-5", 7, 5, options)
    assert stamp_of(grown) == {"cases": 7, "seed": 5, "generator": GENERATOR, "segments": [0, 4]}
    assert not (tmp_path / "vault-4-5").exists() and (tmp_path / "vault-3-9").exists()
    services = Services.login(Vault.unlock(grown, USER, PASSPHRASE, options), options.clock)
    try:
        assert len(services.cases.list(limit=100)) == 7
        assert services.admin.verify().ok
    finally:
        services.lock()
