"""Child for S2: type a canary as testimony, autosave, search, lock, reopen, keep typing; parent kills -9."""

import sys
import time
from pathlib import Path

from support import cheap_options, create_vault, unlock

from intake_app.core.records import PersonRole

vault_dir, canary = Path(sys.argv[1]), sys.argv[2]
options = cheap_options()
services, _ = create_vault(vault_dir, options)
case = services.cases.open(languages=["uk"])
services.cases.add_person(
    case.reference, role=PersonRole.SURVIVOR, pseudonym="Віра 3", legal_name=canary + "name"
)
statement = services.statements.create(case.reference, title="t", language="uk")
services.statements.save_draft(statement.current.id, text=f"Вони прийшли {canary} вночі")
assert services.search.search(canary)
services.lock()
services = unlock(vault_dir, options)
text = ""
for i in range(100000):
    text += f" {canary}{i}"
    services.statements.save_draft(statement.current.id, text=text)
    if i == 20:
        print("READY", flush=True)
    time.sleep(0.005)
