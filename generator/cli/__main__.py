"""`python -m generator.cli`: the same as the `confgen` command."""

from .main import main

raise SystemExit(main())
