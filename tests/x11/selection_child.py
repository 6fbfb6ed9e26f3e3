"""The app's window on a real X server, driven from outside (tests/x11/test_primary_selection.py):
it opens a vault, shows the case list, prints where the search field is, then obeys commands
read from standard input ("lock", "quit")."""

from __future__ import annotations

import queue
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]  # this checkout's code, whatever is installed

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from support import PASSPHRASE, cheap_options, create_vault  # noqa: E402

from intake_app.ui.shell import ShellWindow  # noqa: E402
from intake_app.ui.tasks import ImmediateRunner  # noqa: E402

SECRET = "Amal-Haddad-witness"


def main() -> None:
    folder = Path(sys.argv[1])
    options = cheap_options()
    services, _key = create_vault(folder, options)
    services.lock()
    app = QApplication(sys.argv)
    window = ShellWindow(folder, options, options.clock, ImmediateRunner())
    window.resize(1000, 700)
    window.show()
    page = window.unlock_page
    page.user.setCurrentText("coord")
    page.passphrase.setText(PASSPHRASE)
    page.unlock()
    field = window.cases.search
    field.setText(SECRET)
    commands: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [commands.put(line.strip()) for line in sys.stdin],
                     daemon=True).start()  # fmt: skip

    def report_position() -> None:
        centre = field.mapToGlobal(field.rect().center())
        print(f"field {centre.x()} {centre.y()}", flush=True)

    def obey() -> None:
        while not commands.empty():
            command = commands.get()
            if command == "lock":
                window.lock()
                print("locked", flush=True)
            elif command == "quit":
                app.quit()

    QTimer.singleShot(1500, report_position)
    poll = QTimer()
    poll.timeout.connect(obey)
    poll.start(50)
    app.exec()


if __name__ == "__main__":
    main()
