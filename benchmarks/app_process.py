"""Figures measured in a fresh app process, each against the same work on a baseline where one
makes sense: cold start, memory with the list shown, and the GUI thread while someone types."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from benchmarks.generate import PASSPHRASE, USER
from benchmarks.measure import Figure, figure

# What every child shares: a real window (offscreen), the vault unlocked as the GUI does it.
PRELUDE = """
import json, os, sys, time
start = time.perf_counter()
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QTimer
from intake_app.core.clock import SystemClock
from intake_app.core.vault.kdf import KdfParams, KdfPolicy
from intake_app.core.vault.vault import VaultOptions
from intake_app.ui.main import application
from intake_app.ui.shell import ShellWindow
from intake_app.ui.tasks import ImmediateRunner

def memory_mb():
    fields = dict(l.split(":", 1) for l in Path("/proc/self/status").read_text().splitlines())
    return {k: int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}

app = application()
cheap = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)
kdf = KdfPolicy(floor=cheap, fixed=cheap) if sys.argv[-1] == "cheap" else KdfPolicy()
window = ShellWindow(Path(sys.argv[1]), VaultOptions(kdf=kdf), SystemClock(), ImmediateRunner())
# The page check after unlocking runs in a worker in the app; with this synchronous runner it would
# hold up these figures, so it is timed on its own (figures.unlock) and left out here.
window._check_pages = lambda: None
window.show()
app.processEvents()
shown = time.perf_counter() - start

def unlock():
    window.unlock_page.user.setCurrentText(sys.argv[2])
    window.unlock_page.passphrase.setText(sys.argv[3])
    window.unlock_page.unlock()
    app.processEvents()
"""
# Cold start as a user gets it: `python -m intake_app --vault DIR --no-keyring`, its own entry
# point and import order, run until the first event loop turn has drawn the unlock window. The
# only change is that QApplication.exec (patched on import, without importing anything the app
# does not) draws once, runs ``report`` and returns instead of running.
_ENTRY_POINT = """
import importlib.machinery, json, runpy, sys, time
start = time.perf_counter()
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path

class ShownThenStop:
    def find_spec(self, name, path, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            def shown(app):
                app.processEvents()
{report}
                return 0
            module.QApplication.exec = shown
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, ShownThenStop())
sys.argv = ["intake_app", "--vault", sys.argv[1], "--no-keyring", "--language", "{language}"]
try:
    runpy.run_module("intake_app", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
"""


def entry_point(report: str, *, language: str = "en") -> str:
    """The app by its own entry point, ``report`` run once the unlock window is drawn (the
    vault folder is the script's first argument); tests/test_cold_start.py uses it too."""
    body = textwrap.indent(textwrap.dedent(report).strip(), " " * 16)
    return _ENTRY_POINT.replace("{report}", body).replace("{language}", language)


START = entry_point(
    """
    status = Path("/proc/self/status").read_text().splitlines()
    fields = dict(line.split(":", 1) for line in status)
    memory = {k: int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}
    print(json.dumps({"shown_ms": (time.perf_counter() - start) * 1000, **memory}))
    """
)
OPEN = (
    PRELUDE
    + """
unlock()
shown, shown_rows = memory_mb(), window.cases.model.rowCount()
model = window.cases.model
while model.canFetchMore():  # scrolled to the very end: every case loaded
    model.fetchMore()
app.processEvents()
everything = memory_mb()
rows = model.rowCount()
window.lock()
print(json.dumps({"shown_mb": shown["VmRSS"], "shown_rows": shown_rows,
                  "all_mb": everything["VmRSS"], "peak_mb": everything["VmHWM"], "rows": rows}))
"""
)
# Typing into a long draft: a word every 80 ms (a fast typist) for 3.5 s, a pause of 2.5 s (the
# search entry catches up), 2 s more, autosaving as the app does; a 5 ms heartbeat timer's
# lateness is how long the GUI thread was blocked.
TYPING = (
    PRELUDE
    + """
unlock()
services = window.services
reference = services.cases.open(languages=["en"]).reference
draft = services.statements.create(reference, title="Typing", language="en",
                                   text="An account given at length. " * 540)  # ~15 KB
window.open_case(reference)
tab = window.case_view.testimony
saves, settles, gaps, last = [], [], [], [time.perf_counter()]
def timed(work, sink):
    def run(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return work(*args, **kwargs)
        finally:
            sink.append((time.perf_counter() - begun) * 1000)
    return run
services.statements.save_draft = timed(services.statements.save_draft, saves)
services.statements.settle_search = timed(services.statements.settle_search, settles)
def beat():
    now = time.perf_counter()
    gaps.append((now - last[0]) * 1000 - 5)
    last[0] = now
words = iter(range(10**6))
def type_word():
    cursor = tab.text.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText(f"word{next(words)} ")
heartbeat, typist = QTimer(), QTimer()
heartbeat.setInterval(5); heartbeat.timeout.connect(beat)
typist.setInterval(80); typist.timeout.connect(type_word)
heartbeat.start(); typist.start()
QTimer.singleShot(3500, typist.stop)  # a pause: after 2 s the search entry catches up
QTimer.singleShot(6000, typist.start)
typed = {}
def finish():  # taken before quitting: the app then saves and settles, as a lock does
    typed.update(saves=list(saves), gaps=list(gaps), settles=list(settles))
    app.quit()
QTimer.singleShot(8000, finish)
app.exec()
window.lock()
print(json.dumps(typed))
"""
)
BARE = """
import json, os, time
start = time.perf_counter()
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("hello")
label.show()
app.processEvents()
rss = int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) / 1024
print(json.dumps({"shown_ms": (time.perf_counter() - start) * 1000, "VmRSS": rss}))
"""


def _child(script: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _once(name: str, value: float, *, budget: float | None = None, note: str = "") -> Figure:
    return Figure(name, round(value, 1), round(value, 1), 1, budget_ms=budget, note=note)


def process(directory: Path, runs: int, kdf: str) -> list[Figure]:
    """Cold start to the unlock window (against a bare PySide6 window), and memory: the window,
    the vault open with the list shown, every case loaded, the peak; each in a fresh process."""
    vault = str(directory)
    starts = [_child(START, vault) for _ in range(runs)]
    bare = [_child(BARE) for _ in range(runs)]
    opened = _child(OPEN, vault, USER, PASSPHRASE, kdf)
    return [
        figure(
            "cold start to the unlock window",
            [float(s["shown_ms"]) for s in starts],
            baseline="bare PySide6 window",
            baseline_values=[float(b["shown_ms"]) for b in bare],
        ),
        _once(
            "memory: the unlock window (MB)",
            float(starts[0]["VmRSS"]),
            note=f"a bare PySide6 window: {float(bare[0]['VmRSS']):.0f} MB",
        ),
        _once(
            "memory: vault open, the list shown (MB)",
            float(opened["shown_mb"]),
            budget=300,
            note=f"{int(opened['shown_rows'])} rows loaded; the budget is in MB",
        ),
        _once(
            "memory: scrolled to the end, every case loaded (MB)",
            float(opened["all_mb"]),
            budget=300,
            note=f"{int(opened['rows'])} rows",
        ),
        _once(
            "memory: peak, Argon2id's deliberate memory included (MB)",
            float(opened["peak_mb"]),
            note="the key derivation's memory cost is freed once the vault is open",
        ),
    ]


def typing(directory: Path, kdf: str) -> list[Figure]:
    """Autosave while someone types in the real window: each commit, and the GUI thread."""
    typed = _child(TYPING, str(directory), USER, PASSPHRASE, kdf)
    saves = [float(v) for v in typed["saves"]]
    gaps = [float(v) for v in typed["gaps"]]
    settles = ", ".join(f"{float(v):.0f}" for v in typed["settles"])
    return [
        figure(
            "autosave in the window (15 KB draft)",
            saves,
            budget_ms=20,
            note=f"{len(saves)} autosaves in 5.5 s of typing and a pause",
        ),
        _once(
            "longest GUI-thread stall, typing and pausing",
            max(gaps),
            budget=50,
            note=f"p95 {sorted(gaps)[int(len(gaps) * 0.95)]:.1f} ms over {len(gaps)} heartbeats;"
            f" search caught up at the pause in {settles} ms",
        ),
    ]
