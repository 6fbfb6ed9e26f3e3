"""S43: what the strength meter calls weak cannot protect a vault or a slot, from the CLI or the
GUI; the refusal gives the reason and changes nothing."""

from __future__ import annotations

import json

import pytest
from support import PASSPHRASE, Cli

from intake_app.core.errors import InvalidInput
from intake_app.core.passphrase import Strength, check_passphrase, strength

WEAK = {
    "password123": "common word",
    "aaaaaaaaaaaaaaaa": "repeats",
    "abcdefgh": "too easy",
    "short": "8 characters",
}
ACCEPTED = [PASSPHRASE, "long enough passphrase", "Tr0ub4dor&3", "جملة سرية طويلة جدا"]


@pytest.mark.parametrize("passphrase", sorted(WEAK))
def test_the_rule_is_the_meter(passphrase):
    assert strength(passphrase) in (Strength.TOO_SHORT, Strength.WEAK)
    with pytest.raises(InvalidInput, match=WEAK[passphrase]):
        check_passphrase(passphrase)


@pytest.mark.parametrize("passphrase", ACCEPTED)
def test_what_the_meter_calls_fair_or_better_is_accepted(passphrase):
    assert strength(passphrase) not in (Strength.TOO_SHORT, Strength.WEAK)
    check_passphrase(passphrase)


@pytest.fixture
def cli(tmp_path) -> Cli:
    cli = Cli(tmp_path / "vault")
    code, _out, err = cli("init", "--vault", str(cli.vault), "--user", "coord")
    assert code == 0, err
    return cli


def _refused(result, words):
    code, out, err = result
    assert code == 2 and err.startswith("intake-app: ") and err.count("\n") == 1, err
    assert words in err and "Traceback" not in err + out


def test_init_refuses_a_weak_passphrase_and_makes_no_vault(tmp_path):
    cli = Cli(tmp_path / "new")
    _refused(
        cli("init", "--vault", str(cli.vault), "--user", "coord", stdin="password123\n"), "common"
    )
    assert not (tmp_path / "new" / "vault.keys").exists()


def test_user_add_and_passwd_refuse_a_weak_passphrase(cli):
    vault = ["--vault", str(cli.vault), "--user", "coord"]
    add = ["user", "add", "--name", "amal", "--role", "advocate"]
    _refused(cli(*add, *vault, stdin=f"{PASSPHRASE}\naaaaaaaaaaaaaaaa\n"), "repeats")
    assert [u["username"] for u in cli.json("user", "list", *vault)] == ["coord"]
    _refused(
        cli("user", "passwd", *vault, stdin=f"{PASSPHRASE}\n{PASSPHRASE}\nabcdefgh\n"), "too easy"
    )
    assert cli.json("cases", *vault) == []  # the old passphrase still opens it


def test_recover_refuses_a_weak_passphrase(tmp_path):
    cli = Cli(tmp_path / "vault")
    code, out, err = cli("init", "--vault", str(cli.vault), "--user", "coord", "--json")
    assert code == 0, err
    key = json.loads(out)["recovery_key"]
    vault = ["--vault", str(cli.vault), "--user", "coord"]
    _refused(cli("recover", *vault, stdin=f"{key}\npassword123\n"), "common")
    assert cli.json("cases", *vault) == []  # the old passphrase still opens it
