"""S24: a crash while typing loses at most about one second of testimony."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

import pytest
from support import TESTS, cheap_options, child_env, create_vault, unlock

from intake_app.core.testimony import AUTOSAVE_IDLE, AUTOSAVE_MAX_DELAY, AutosaveTimer

SCHEDULING_SLACK = 0.35  # seconds: a loaded CI machine may delay the child's loop this much


def test_timer_saves_after_a_pause_and_at_least_every_second():
    timer = AutosaveTimer()
    assert not timer.due(0.0)
    timer.changed(0.0)
    assert not timer.due(AUTOSAVE_IDLE / 2)
    assert timer.due(AUTOSAVE_IDLE + 0.01)  # the typist paused
    timer.saved()
    for step in range(100):  # continuous typing never postpones a save beyond the maximum
        now = 10 + step * 0.05
        timer.changed(now)
        if timer.due(now):
            assert now - 10 <= AUTOSAVE_MAX_DELAY + 1e-9
            break
    else:
        pytest.fail("continuous typing was never saved")


@pytest.mark.slow
def test_s24_kill_9_while_typing_loses_at_most_a_second(tmp_path):
    rng = random.Random(2406)
    vault_dir = tmp_path / "vault"
    services, _ = create_vault(vault_dir, cheap_options())
    reference = services.cases.open().reference
    statement = services.statements.create(reference, title="t", language="en")
    services.lock()
    for _round in range(8):
        child = subprocess.Popen(
            [
                sys.executable,
                str(TESTS / "children" / "typist.py"),
                str(vault_dir),
                statement.current.id,
            ],
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.3, 2.5))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate()
        complete_lines = out.split("\n")[:-1]  # kill -9 may cut the last line mid-write: drop it
        typed = {
            int(p[1]): float(p[2])
            for p in (line.split() for line in complete_lines)
            if len(p) == 3 and p[0] == "typed"
        }
        saved = [int(line.split()[1]) for line in complete_lines if line.startswith("saved ")]
        last_time = max(typed.values())
        services = unlock(vault_dir, cheap_options())
        stored = services.statements.get(statement.id).current.text
        services.lock()
        words = stored.split()
        assert words == [f"w{i}" for i in range(len(words))], (
            "stored text is not a prefix of what was typed"
        )
        stored_count = len(words)
        if saved:
            assert stored_count >= saved[-1] + 1, "an acknowledged save was lost"
        lost = [i for i, at in typed.items() if i >= stored_count]
        assert all(last_time - typed[i] <= AUTOSAVE_MAX_DELAY + SCHEDULING_SLACK for i in lost), (
            f"lost words typed more than a second before the crash: {lost[:5]}"
        )


@pytest.mark.slow
def test_s24_the_app_itself_killed_while_typing_loses_at_most_a_second(tmp_path):
    rng = random.Random(4242)
    vault_dir = tmp_path / "vault"
    services, _ = create_vault(vault_dir, cheap_options())
    reference = services.cases.open().reference
    statement = services.statements.create(reference, title="t", language="en")
    services.lock()
    for _round in range(4):
        child = subprocess.Popen(
            [sys.executable, str(TESTS / "children" / "gui_typist.py"), str(vault_dir)],
            env=child_env(QT_QPA_PLATFORM="offscreen"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "READY", child.stderr.read()
        time.sleep(rng.uniform(0.5, 2.5))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate()
        complete_lines = out.split("\n")[:-1]
        typed = {
            int(p[1]): float(p[2])
            for p in (line.split() for line in complete_lines)
            if len(p) == 3 and p[0] == "typed"
        }
        assert typed, "the app typed nothing"
        last_time = max(typed.values())
        services = unlock(vault_dir, cheap_options())
        stored = services.statements.get(statement.id).current.text
        services.lock()
        words = stored.split()
        assert words == [f"w{i}" for i in range(len(words))]
        lost = [i for i, at in typed.items() if i >= len(words)]
        assert all(last_time - typed[i] <= AUTOSAVE_MAX_DELAY + SCHEDULING_SLACK for i in lost), (
            lost[:5]
        )
