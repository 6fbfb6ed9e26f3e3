"""The real CLI on real stdin/stdout/stderr, with the tests' cheap KDF (test vaults use it)."""

from __future__ import annotations

import sys

from support import cheap_options

from intake_app.cli import CliEnvironment, main

raise SystemExit(main(sys.argv[1:], CliEnvironment(options=cheap_options())))
