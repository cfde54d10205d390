"""The hand-off from render to writer: one rendered file, a path relative to the output folder and its bytes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Artifact:
    """One rendered file: a path relative to build/ and its bytes."""

    path: str
    data: bytes
    product: str
    format: str
