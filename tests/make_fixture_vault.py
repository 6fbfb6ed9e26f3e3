"""Writes tests/fixtures/vault-v<N>: a small vault at the current schema, kept for upgrade tests.

Run once per released schema: `.venv/bin/python tests/make_fixture_vault.py`. The fixture uses the
test KDF parameters and the passphrase in support.PASSPHRASE; it holds synthetic data only.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from support import cheap_options, create_vault  # noqa: E402

from intake_app.core.demo import generate  # noqa: E402
from intake_app.core.records import PersonRole  # noqa: E402
from intake_app.core.vault import migrations  # noqa: E402

target = Path(__file__).parent / "fixtures" / f"vault-v{migrations.LATEST}"
services, recovery_key = create_vault(target, cheap_options())
generate(services, 3, seed=42)
# Text the search index folds (from schema 10): Arabic marks, tatweel, a Ukrainian apostrophe.
first = services.cases.list()[0].reference
services.cases.add_person(first, role=PersonRole.WITNESS, pseudonym="Мʼята", legal_name="مُحَمَّـد")
services.lock()
(target / "vault.lock").unlink()
(target / "RECOVERY_KEY.txt").write_text(recovery_key + "\n")
print(target)
