"""`zhidu serve`: a local web workbench to read, edit and preview a policy without touching YAML.

Library code only: `app.create_app` makes the Starlette application; `zhidu.cli_serve` is the command line.
"""

from __future__ import annotations

from zhidu.serve.app import Settings, create_app

__all__ = ["Settings", "create_app"]
