"""`python -m zhidu` runs the command line."""

from zhidu.cli import main

raise SystemExit(main())
