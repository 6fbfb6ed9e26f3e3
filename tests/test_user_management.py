"""Issue 16 item 9: a removed name can be given again, a coordinator changes roles (audited, and
signed events still verify), the last coordinator stays one."""

from __future__ import annotations

import pytest
from support import PASSPHRASE, Cli, unlock

from intake_app.core.errors import InvalidInput, PermissionDenied, WrongPassphrase
from intake_app.core.records import Role
from intake_app.core.vault import audit

NEW = "a brand new passphrase for the second amira"


def test_a_removed_users_name_can_be_given_to_someone_new(team, vault_dir, options):
    coordinator = team.as_(Role.COORDINATOR)
    coordinator.users.remove("advocate")
    with pytest.raises(InvalidInput):  # a current user's name stays taken
        coordinator.users.add("liaison", "Another", Role.LIAISON, NEW)
    user, _bound = coordinator.users.add("advocate", "Second advocate", Role.INVESTIGATOR, NEW)
    listed = {u.username: u for u in coordinator.users.list()}
    assert listed["advocate"].id == user.id and not listed["advocate"].removed_at
    retired = [u for u in listed.values() if u.username.startswith("advocate~")]
    assert len(retired) == 1 and retired[0].removed_at
    problems, _head = audit.verify_chain(coordinator.ctx.db)
    assert problems == [] and audit.verify_rows(coordinator.ctx.db) == []
    coordinator.lock()
    with pytest.raises(WrongPassphrase):  # the old passphrase opens nothing
        unlock(vault_dir, options, "advocate", PASSPHRASE + "advocate")
    again = unlock(vault_dir, options, "advocate", NEW)
    assert again.ctx.actor.role is Role.INVESTIGATOR
    again.lock()


def test_a_coordinator_changes_a_role_and_the_log_still_verifies(team, vault_dir, options):
    coordinator = team.as_(Role.COORDINATOR)
    changed = coordinator.users.set_role("advocate", Role.COORDINATOR)
    assert changed.role is Role.COORDINATOR
    event = audit.events(coordinator.ctx.db, limit=1)[-1]
    assert event.action == "user.role_changed"
    assert event.details["from"] == "advocate" and event.details["role"] == "coordinator"
    coordinator.lock()
    promoted = unlock(vault_dir, options, "advocate", PASSPHRASE + "advocate")
    # the new coordinator's own key-introducing event must verify: the roster learnt the role
    promoted.users.add("newcomer", "Newcomer", Role.LIAISON, NEW)
    promoted.users.set_role("coord", Role.ADVOCATE)
    problems, _head = audit.verify_chain(promoted.ctx.db)
    assert problems == []
    promoted.lock()


def test_the_role_change_is_refused_to_oneself_to_others_and_for_the_last_coordinator(team):
    coordinator = team.as_(Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        coordinator.users.set_role("coord", Role.ADVOCATE)
    with pytest.raises(InvalidInput):
        coordinator.users.set_role("liaison", Role.LIAISON)  # nothing to change
    advocate = team.as_(Role.ADVOCATE)
    with pytest.raises(PermissionDenied):
        advocate.users.set_role("liaison", Role.COORDINATOR)
    coordinator = team.as_(Role.COORDINATOR)
    coordinator.users.set_role("investigator", Role.COORDINATOR)
    investigator = team.as_(Role.INVESTIGATOR)
    investigator.users.set_role("coord", Role.ADVOCATE)
    with pytest.raises(PermissionDenied):
        investigator.users.set_role("investigator", Role.ADVOCATE)
    roles = {u.username: u.role for u in investigator.users.list()}
    assert roles["coord"] is Role.ADVOCATE and roles["investigator"] is Role.COORDINATOR


def test_the_command_line_changes_a_role_and_names_the_valid_ones(tmp_path):
    cli = Cli(tmp_path / "vault")
    assert cli("init", "--vault", str(cli.vault), "--user", "coord")[0] == 0
    base = ("--vault", str(cli.vault), "--user", "coord")
    cli.json("user", "add", *base, "--name", "amira", "--role", "liaison",
             stdin=f"{PASSPHRASE}\n{NEW}\n")  # fmt: skip
    changed = cli.json("user", "role", *base, "amira", "investigator")
    assert changed == {"user": "amira", "role": "investigator"}
    code, out, err = cli("user", "role", *base, "amira", "boss")
    assert code == 2 and "coordinator" in err and "advocate" in err and "Traceback" not in err
    code, out, err = cli("user", "role", *base, "coord", "advocate")
    assert code != 0 and "own role" in err


def test_the_idle_lock_is_a_coordinators_audited_choice_from_1_to_30_minutes(team):
    coordinator = team.as_(Role.COORDINATOR)
    assert coordinator.admin.idle_lock_minutes() == 5
    for wrong in (0, -3, 31, 10**30):
        with pytest.raises(InvalidInput):
            coordinator.admin.set_idle_lock_minutes(wrong)
    assert coordinator.admin.idle_lock_minutes() == 5
    coordinator.admin.set_idle_lock_minutes(2)
    coordinator.admin.set_idle_lock_minutes(12)
    event = audit.events(coordinator.ctx.db, limit=1)[-1]
    assert event.action == "vault.setting_changed"
    assert event.details == {"setting": "idle_lock_minutes", "from": 2, "to": 12}
    assert audit.verify_rows(coordinator.ctx.db) == []
    advocate = team.as_(Role.ADVOCATE)
    assert advocate.admin.idle_lock_minutes() == 12  # it applies to everyone
    with pytest.raises(PermissionDenied):
        advocate.admin.set_idle_lock_minutes(30)


def test_the_command_line_shows_and_sets_the_idle_lock(tmp_path):
    cli = Cli(tmp_path / "vault")
    assert cli("init", "--vault", str(cli.vault), "--user", "coord")[0] == 0
    base = ("--vault", str(cli.vault), "--user", "coord")
    assert cli.json("idle-lock", *base) == {"idle_lock_minutes": 5}
    assert cli.json("idle-lock", *base, "15") == {"idle_lock_minutes": 15}
    for wrong in ("0", "31", "99999999999999999999", "-1", "five"):
        code, out, err = cli("idle-lock", *base, wrong)
        assert code == 2 and "1 and 30" in err and "Traceback" not in err, (wrong, err)
    assert cli.json("idle-lock", *base) == {"idle_lock_minutes": 15}


def test_a_user_name_that_is_not_utf8_is_one_sentence_and_changes_nothing(tmp_path):
    cli = Cli(tmp_path / "vault")
    assert cli("init", "--vault", str(cli.vault), "--user", "coord")[0] == 0
    base = ("--vault", str(cli.vault), "--user", "coord")
    odd = b"ab\xff\x1b[2J".decode("utf-8", "surrogateescape")  # as Python gives such an argv
    for command in (("user", "role", *base, odd, "advocate"), ("user", "remove", *base, odd)):
        code, out, err = cli(*command)
        assert code != 70 and code != 0 and "Traceback" not in err and "\x1b" not in err, err
        assert len(err.strip().splitlines()) == 1
    assert cli.json("user", "list", *base)[0]["username"] == "coord"


def test_words_that_are_not_utf8_are_refused_before_anything_runs(tmp_path):
    """A reason, a query or a name given as bytes that are not UTF-8 (an ordinary Linux argv)
    could be neither stored nor shown: one sentence, exit 2, the case untouched."""
    cli = Cli(tmp_path / "vault")
    assert cli("init", "--vault", str(cli.vault), "--user", "coord")[0] == 0
    base = ("--vault", str(cli.vault), "--user", "coord")
    cli("demo", *base, "--cases", "1")
    ref = cli.json("cases", *base)[0]["reference"]
    odd = b"\xff bad".decode("utf-8", "surrogateescape")
    for command in (("close", *base, ref, "--reason", odd), ("search", *base, odd)):
        code, out, err = cli(*command)
        assert code == 2 and "not valid text" in err and len(err.strip().splitlines()) == 1, err
    assert cli.json("cases", *base)[0]["status"] != "closed"
