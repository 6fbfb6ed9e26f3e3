"""Child for the GUI crash test: the real app types into the real testimony editor until killed."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from support import PASSPHRASE, cheap_options  # noqa: E402

from intake_app.core.clock import SystemClock  # noqa: E402
from intake_app.ui.main import application  # noqa: E402
from intake_app.ui.shell import ShellWindow  # noqa: E402
from intake_app.ui.tasks import ImmediateRunner  # noqa: E402

vault_dir = Path(sys.argv[1])
app = application()
options = cheap_options()
clock = SystemClock()  # the real time: the autosave runs as in the app, and the parent kills it
window = ShellWindow(vault_dir, options, clock, ImmediateRunner())
window.show()
window.unlock_page.user.setCurrentText("coord")
window.unlock_page.passphrase.setText(PASSPHRASE)
window.unlock_page.unlock()
window.open_case(window.cases.model.record(0).reference)
editor = window.case_view.testimony.text
editor.setPlainText("")
count = 0


def type_word() -> None:
    global count
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.insertPlainText(f" w{count}")
    print(f"typed {count} {clock.monotonic():.4f}", flush=True)
    count += 1


timer = QTimer()
timer.timeout.connect(type_word)
timer.start(20)
print("READY", flush=True)
app.exec()
