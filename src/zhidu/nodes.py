"""The base of every model shape: the Node struct with its source locations, ids, and plain-data helpers."""

from typing import Annotated, Any

import msgspec
from msgspec import Meta, Struct

from zhidu.location import UNKNOWN, Location

#: The end of the text: `$` alone also matches before a final newline ("R-DZB\n" passed and made a second
#: file name); the lookahead holds in Python and in the JSON Schema's ECMA-262 dialect alike.
END = r"$(?!\n)"
#: Stable ids: a capital prefix, a dash, then capitals, digits and dashes (I-0031, D-0101, R-SJ).
ID_PATTERN = r"^[A-Z][A-Z0-9]*-[A-Z0-9][A-Z0-9-]*" + END
Id = Annotated[str, Meta(pattern=ID_PATTERN)]
Text = Annotated[str, Meta(min_length=1)]


def desc(zh: str, en: str) -> Meta:
    """A field's bilingual description, shown in the JSON Schema and docs/schema.md."""
    return Meta(description=f"{zh} / {en}")


#: Loader keys that carry source positions; never part of the published schema.
LOC_FIELDS = ("__loc__", "__locs__", "__keylocs__")


def yaml_keys(kind: type[Struct]) -> tuple[str, ...]:
    """The YAML keys of one model shape in declared order: where an editor inserts a key it adds to a mapping."""
    return tuple(f.encode_name for f in msgspec.structs.fields(kind) if f.encode_name not in LOC_FIELDS)


class Node(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of every YAML mapping: strict keys, frozen, with the source location attached by the loader."""

    loc: Location = msgspec.field(default=UNKNOWN, name="__loc__")
    #: Location of each key's value, for messages that point into a field.
    field_locs: dict[str, Location] = msgspec.field(default_factory=dict, name="__locs__")
    #: Location of each key itself, for "unknown key" messages.
    key_locs: dict[str, Location] = msgspec.field(default_factory=dict, name="__keylocs__")

    def loc_of(self, key: str) -> Location:
        """Where the value of `key` was written, or the node itself."""
        return self.field_locs.get(key, self.loc)


def without_locs(v: Any, drop_none: bool = False) -> Any:
    """Plain data (dicts, lists, scalars) without the location keys, and without None values if asked."""
    if isinstance(v, dict):
        return {
            k: without_locs(x, drop_none)
            for k, x in v.items()
            if k not in LOC_FIELDS and not (drop_none and x is None)
        }
    if isinstance(v, list):
        return [without_locs(x, drop_none) for x in v]
    return v


def to_data(node: Any) -> Any:
    """A node as plain JSON-like data by YAML key, without locations or empty optionals (for comparisons)."""
    return without_locs(msgspec.to_builtins(node), drop_none=True) if node is not None else None
