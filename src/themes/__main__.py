"""``python -m themes`` runs the command line."""

from themes.cli import main

raise SystemExit(main())
