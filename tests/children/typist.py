"""Child for S24: type numbered words into a draft with the real autosave timer; the parent kills -9."""

import sys
import time
from pathlib import Path

from support import cheap_options, unlock

from intake_app.core.testimony import AutosaveTimer

vault_dir, version_id = Path(sys.argv[1]), sys.argv[2]
services = unlock(vault_dir, cheap_options())
timer = AutosaveTimer()
text = ""
print("READY", flush=True)
for i in range(1_000_000):
    text += f" w{i}"
    now = time.monotonic()
    timer.changed(now)
    print(f"typed {i} {now:.4f}", flush=True)
    if timer.due(now):
        services.statements.save_draft(version_id, text=text)
        timer.saved()
        print(f"saved {i}", flush=True)
    time.sleep(0.02)
