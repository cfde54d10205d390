"""The one ruamel.yaml round-trip configuration, shared by `zhidu fmt` and `zhidu import`.

Both write the project's canonical layout (two-space maps, sequences indented four with the dash at
two, no line folding), so a file `zhidu import` wrote is already what `zhidu fmt` would produce.
ruamel is imported on first use so that `zhidu --help` does not pay for it.
"""

from __future__ import annotations

from typing import Any


def round_trip_yaml(*, aliases: bool = True) -> Any:
    """A round-trip YAML object in the canonical layout.

    `aliases=False` writes an object met twice (the same date as issued and effective) twice in
    full, never as `&anchor`/`*alias`; `fmt` keeps the default so anchors a clerk wrote survive.
    """
    from ruamel.yaml import YAML

    y = YAML(typ="rt", pure=True)
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    # ruamel writes `[{law: X}]` as `[law: X]` by default, which reads like a list of strings.
    y.brace_single_entry_mapping_in_flow_sequence = True
    if not aliases:
        y.representer.ignore_aliases = lambda *_a: True
    return y
