"""zhidu (制度即代码): responsibility regulations as YAML, rendered to official documents."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
