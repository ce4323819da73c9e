"""``python -m themes.cli`` runs the command line."""

from themes.cli.main import main

raise SystemExit(main())
