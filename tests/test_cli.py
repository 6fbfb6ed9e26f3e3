"""The command-line contract (docs/design.md §9)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support import PASSPHRASE, Cli, child_env


@pytest.fixture
def cli(tmp_path) -> Cli:
    cli = Cli(tmp_path / "vault")
    code, out, err = cli(
        "init", "--vault", str(cli.vault), "--user", "coord", "--name", "Coordinator"
    )
    assert code == 0, err
    assert "RECOVERY KEY" in out and "passphrase-only" in out
    return cli


def test_init_prints_the_recovery_key_once_and_the_mode(tmp_path):
    cli = Cli(tmp_path / "v")
    created = cli.json("init", "--vault", str(cli.vault), "--user", "coord")
    assert len(created["recovery_key"].split("-")) == 6 and created["device_bound"] is False
    assert created["recovery_key"] not in (cli.vault / "vault.keys").read_text()
    code, _, err = cli("init", "--vault", str(cli.vault), "--user", "coord")
    assert code != 0 and "already exists" in err


def test_user_add_reads_the_new_passphrase_from_line_two(cli):
    added = cli.json(
        "user",
        "add",
        "--vault",
        str(cli.vault),
        "--user",
        "coord",
        "--name",
        "amira",
        "--role",
        "liaison",
        stdin=f"{PASSPHRASE}\nliaison lantern orchard\n",
    )
    assert added == {"user": "amira", "role": "liaison", "device_bound": False}
    users = cli.json(
        "user",
        "list",
        "--vault",
        str(cli.vault),
        "--user",
        "amira",
        stdin="liaison lantern orchard\n",
    )
    assert {u["username"]: u["role"] for u in users} == {"amira": "liaison", "coord": "coordinator"}


def test_demo_cases_show_search(cli):
    references = cli.json(
        "demo", "--vault", str(cli.vault), "--user", "coord", "--cases", "12", "--seed", "3"
    )
    assert len(references) == 12 and all(r.startswith("C-") for r in references)
    listed = cli.json("cases", "--vault", str(cli.vault), "--user", "coord")
    assert {c["reference"] for c in listed} == set(references)
    shown = [
        cli.json("show", ref, "--vault", str(cli.vault), "--user", "coord") for ref in references
    ]
    for case in shown:
        assert case["survivor"]["name"] and case["survivor"]["pseudonym"]
        for statement in case["statements"]:
            assert {"text", "language", "status", "sha256"} <= statement.keys()
        assert all({"purpose", "scope", "decision"} <= c.keys() for c in case["consents"])
        assert all({"status", "due"} <= r.keys() for r in case["referrals"])
        assert "updates" in case
    languages = {s["language"] for case in shown for s in case["statements"]}
    assert len(languages) >= 3
    statuses = {s["status"] for case in shown for s in case["statements"]}
    assert statuses == {"sealed", "draft"}
    decisions = {(c["purpose"], c["decision"]) for case in shown for c in case["consents"]}
    assert ("disclose_identity", "refused") in decisions
    word = shown[0]["statements"][0]["text"].split()[3].strip(".,;:")
    hits = cli.json("search", word, "--vault", str(cli.vault), "--user", "coord")
    assert shown[0]["reference"] in {h["reference"] for h in hits}


def test_liaison_show_has_no_testimony_text(cli):
    cli(
        "user",
        "add",
        "--vault",
        str(cli.vault),
        "--user",
        "coord",
        "--name",
        "amira",
        "--role",
        "liaison",
        stdin=f"{PASSPHRASE}\nliaison lantern orchard\n",
    )
    references = cli.json("demo", "--vault", str(cli.vault), "--user", "coord", "--cases", "4")
    for reference in references:
        case = cli.json(
            "show",
            reference,
            "--vault",
            str(cli.vault),
            "--user",
            "amira",
            stdin="liaison lantern orchard\n",
        )
        assert case["testimony_visible"] is False
        assert all("text" not in s for s in case["statements"])
        assert all("text" not in v for s in case["statements"] for v in s["versions"])


def test_audit_verify_backup_restore(cli, tmp_path):
    cli.json("demo", "--vault", str(cli.vault), "--user", "coord", "--cases", "3")
    verified = cli.json("audit", "verify", "--vault", str(cli.vault), "--user", "coord")
    assert verified["ok"] and verified["events"] > 20
    backup = tmp_path / "backup.tar"
    manifest = cli.json(
        "backup", "--out", str(backup), "--vault", str(cli.vault), "--user", "coord"
    )
    assert manifest["files"]["vault.db"]
    restored = cli.json(
        "restore", str(backup), "--vault", str(tmp_path / "restored"), "--user", "coord"
    )
    assert restored["head"] == manifest["audit_head"]
    code, _, err = cli(
        "restore", str(backup), "--vault", str(tmp_path / "restored"), "--user", "coord"
    )
    assert code != 0 and "not empty" in err
    assert cli.json("cases", "--vault", str(tmp_path / "restored"), "--user", "coord")


def test_audit_log_for_a_case(cli):
    reference = cli.json("demo", "--vault", str(cli.vault), "--user", "coord", "--cases", "1")[0]
    events = cli.json(
        "audit", "log", "--case", reference, "--vault", str(cli.vault), "--user", "coord"
    )
    assert "case.opened" in {e["action"] for e in events}


def test_recover_sets_a_new_passphrase(tmp_path):
    cli = Cli(tmp_path / "v")
    key = cli.json("init", "--vault", str(cli.vault), "--user", "coord")["recovery_key"]
    cli.json(
        "recover",
        "--vault",
        str(cli.vault),
        "--user",
        "coord",
        stdin=f"{key}\nbrand new passphrase\n",
    )
    assert (
        cli.json(
            "cases", "--vault", str(cli.vault), "--user", "coord", stdin="brand new passphrase\n"
        )
        == []
    )


def test_rotate_key_keeps_everything(cli):
    references = cli.json("demo", "--vault", str(cli.vault), "--user", "coord", "--cases", "2")
    cli.json("rotate-key", "--vault", str(cli.vault), "--user", "coord")
    assert {
        c["reference"] for c in cli.json("cases", "--vault", str(cli.vault), "--user", "coord")
    } == set(references)
    assert cli.json("audit", "verify", "--vault", str(cli.vault), "--user", "coord")["ok"]


@pytest.mark.parametrize(
    ("argv", "stdin", "code", "words"),
    [
        (["cases"], "wrong passphrase\n", 4, "not correct"),
        (["cases"], "", 2, "standard input"),
        (["show", "C-NOPE"], PASSPHRASE + "\n", 1, "no case"),
        (
            ["user", "add", "--name", "x y", "--role", "advocate"],
            f"{PASSPHRASE}\nlong enough passphrase\n",
            2,
            "user name",
        ),
        (
            ["user", "add", "--name", "short", "--role", "advocate"],
            f"{PASSPHRASE}\nshort\n",
            2,
            "8 characters",
        ),
        (["demo", "--cases", "0"], PASSPHRASE + "\n", 2, "between"),
        (["search", "***"], PASSPHRASE + "\n", 2, "at least one word"),
    ],
)
def test_every_failure_is_one_sentence_and_changes_nothing(cli, argv, stdin, code, words):
    result, out, err = cli(*argv, "--vault", str(cli.vault), "--user", "coord", stdin=stdin)
    assert result == code, err
    assert err.startswith("intake-app: ") and err.count("\n") == 1 and words in err
    assert "Traceback" not in err + out
    (cli.vault / "unlock.state").unlink(missing_ok=True)
    assert cli.json("cases", "--vault", str(cli.vault), "--user", "coord") == []
    users = cli.json("user", "list", "--vault", str(cli.vault), "--user", "coord")
    assert [u["username"] for u in users] == ["coord"]


def test_missing_vault_is_reported_before_asking_for_a_passphrase(tmp_path):
    code, _, err = Cli(tmp_path / "none")("cases", "--vault", str(tmp_path / "none"), stdin="")
    assert code == 1 and "no vault" in err


def test_selftest_passes_here(tmp_path):
    report = Cli(tmp_path).json("selftest")
    assert report["ok"] and set(report["checks"]) == {
        "sqlcipher",
        "encrypted-file",
        "argon2id",
        "aes-256-gcm",
        "keyring",
    }


def test_the_installed_command_runs_with_the_real_kdf(tmp_path):
    vault = tmp_path / "v"
    run = lambda *argv, stdin: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "intake_app", *argv, "--vault", str(vault)],
        input=stdin,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    made = run("init", "--user", "coord", stdin=PASSPHRASE + "\n")
    assert made.returncode == 0, made.stderr
    slot = json.loads((vault / "vault.keys").read_text())["slots"][0]["kdf"]
    assert slot["t"] >= 3 and slot["m"] >= 65536 and slot["p"] >= 4  # the production floor
    listed = run("cases", "--json", stdin=PASSPHRASE + "\n")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []
    wrong = run("cases", stdin="not it at all\n")
    assert (
        wrong.returncode == 4 and wrong.stderr.count("\n") == 1 and "Traceback" not in wrong.stderr
    )
