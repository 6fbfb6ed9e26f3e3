"""S44 under a real X server, which offscreen tests cannot show: text selected with the mouse is
held in the X11 PRIMARY selection and served to any other program (a middle click pastes it); the
lock must let go of it. The test starts Xvfb itself, selects the text with xdotool as a person
would (a triple click), and reads PRIMARY with xclip from another process, before and after."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
TOOLS = ("Xvfb", "xdotool", "xclip")
pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in TOOLS), reason="Xvfb, xdotool and xclip needed"
)


def _primary(env: dict[str, str]) -> str:
    read = subprocess.run(["xclip", "-o", "-selection", "primary"], env=env,
                          capture_output=True, text=True, timeout=10)  # fmt: skip
    return read.stdout if read.returncode == 0 else ""


def test_the_lock_lets_go_of_the_x11_primary_selection(tmp_path):
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    child = None
    try:
        display = server.stdout.readline().strip()
        env = {**os.environ, "DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb",
               "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
               "XDG_DATA_HOME": str(tmp_path / "data")}  # fmt: skip
        child = subprocess.Popen(
            [sys.executable, str(HERE / "selection_child.py"), str(tmp_path / "vault")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, text=True,
        )  # fmt: skip
        line = child.stdout.readline().split()
        assert line[:1] == ["field"], child.stderr.read()[-2000:]
        x, y = line[1], line[2]
        subprocess.run(["xdotool", "mousemove", "--sync", x, y, "click", "--repeat", "3",
                        "--delay", "80", "1"], env=env, check=True, timeout=20)  # fmt: skip
        deadline = time.monotonic() + 10
        while _primary(env) != "Amal-Haddad-witness" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _primary(env) == "Amal-Haddad-witness"  # what any program can read today
        child.stdin.write("lock\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "locked"
        time.sleep(0.3)
        assert _primary(env) == "", child.kill() or child.stderr.read()[-3000:]  # nobody serves it
    finally:
        if child is not None:
            child.kill()
            child.wait(timeout=30)
        server.terminate()
        server.wait(timeout=30)
