"""Comparing two versions of a regulation: the data of the 修订对照表 (`model`), the character diff of two texts
(`chars`) and the matching of two policies (`compare`)."""

from __future__ import annotations

from zhidu.diff.chars import char_diff, width_only
from zhidu.diff.compare import compare
from zhidu.diff.model import (
    GlobalRename,
    MetaChange,
    Part,
    Renumbered,
    RevisionDiff,
    Row,
    Segment,
    Side,
)

__all__ = [
    "GlobalRename",
    "MetaChange",
    "Part",
    "Renumbered",
    "RevisionDiff",
    "Row",
    "Segment",
    "Side",
    "char_diff",
    "compare",
    "width_only",
]
