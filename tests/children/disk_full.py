"""Child for S25: a file-size limit makes writes fail; acknowledged saves must survive, nothing corrupt."""

import json
import resource
import signal
import sys
from pathlib import Path

from support import cheap_options, unlock

from intake_app.core.errors import StorageError

vault_dir, version_id = Path(sys.argv[1]), sys.argv[2]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
services = unlock(vault_dir, cheap_options())
services.statements.save_draft(version_id, text="acknowledged before the disk filled")
size = max(p.stat().st_size for p in vault_dir.iterdir() if p.is_file())
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64 * 1024, size + 64 * 1024))
outcome = {"acknowledged": ["acknowledged before the disk filled"], "errors": []}
for n in range(9):  # up to 1.8 MB: below the statement size cap
    text = f"attempt {n} " + "x" * (200_000 * (n + 1))
    try:
        services.statements.save_draft(version_id, text=text)
        outcome["acknowledged"].append(text[:20])
    except StorageError as exc:
        outcome["errors"].append(exc.message)
print(json.dumps(outcome), flush=True)
