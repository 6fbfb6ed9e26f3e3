"""The frozen build's entry point (packaging/intake_app.spec): the same program as ``intake-app``.
With no command it opens the desktop app; with one it runs it in the terminal."""

from intake_app.cli import main

raise SystemExit(main())
