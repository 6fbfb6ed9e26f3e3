from intake_app.cli import main

raise SystemExit(main())
