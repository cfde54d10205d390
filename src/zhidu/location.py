"""Source locations: where a value came from in policy/."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """A 1-based position in a source file; `line == 0` means the whole file."""

    path: str
    line: int = 0
    col: int = 0
    #: True when the value is a single-line scalar, so `shift()` can point inside it.
    inline: bool = False

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"

    def shift(self, chars: int) -> Location:
        """Point `chars` characters further into a single-line scalar; otherwise stay put."""
        if not self.inline or chars <= 0:
            return self
        return Location(self.path, self.line, self.col + chars, False)


UNKNOWN = Location("<unknown>")
