"""Child for S26: die (SIGKILL) at one step of an atomic write."""

import os
import signal
import sys
from pathlib import Path

from intake_app.core.vault.files import atomic_write

path, step = Path(sys.argv[1]), sys.argv[2]


def hook(name: str) -> None:
    if name == step:
        os.kill(os.getpid(), signal.SIGKILL)


atomic_write(path, b"NEW" * 10000, hook=hook)
