"""`python -m zhidu` runs the command line."""

from zhidu.cli import run

run()
