"""`zhidu serve`: a local web workbench to read, edit and preview a policy without touching YAML.

Library code only: `app.create_app` makes the Starlette application; `zhidu.cli.serve` is the command line.
"""

from __future__ import annotations

from zhidu.serve.app import create_app
from zhidu.serve.guard import Settings

__all__ = ["Settings", "create_app"]
