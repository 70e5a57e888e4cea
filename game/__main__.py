"""`python -m game` does exactly what the `longarm` command does."""

from game.cli import main

raise SystemExit(main())
