"""Child for S28: hold a vault open until told to stop."""

import sys
from pathlib import Path

from support import cheap_options, unlock

services = unlock(Path(sys.argv[1]), cheap_options())
print("OPEN", flush=True)
sys.stdin.readline()
services.lock()
