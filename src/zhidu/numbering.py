"""Display numbers computed from position: 一、 → （一） → 1. → （1） (GB/T 9704 7.3.3)."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五."""
    if n <= 0:
        raise ValueError(f"numbering starts at 1, got {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _DIGITS[rest]
        tens = chinese_numeral(rest)
        return head + ("一" + tens if rest < 20 else tens)
    raise ValueError(f"numbering beyond 999 is not supported: {n}")


def display_number(depth: int, index: int) -> str:
    """The printed number of the `index`-th (1-based) provision at `depth` (0-based)."""
    if depth == 0:
        return f"{chinese_numeral(index)}、"
    if depth == 1:
        return f"（{chinese_numeral(index)}）"
    if depth == 2:
        return f"{index}."
    if depth == 3:
        return f"（{index}）"
    raise ValueError(f"provisions nest at most four levels, got depth {depth + 1}")


def number_path(path: tuple[int, ...]) -> list[str]:
    """Display numbers along an index path: (3, 0, 1) → ["四、", "（一）", "2."]."""
    return [display_number(d, i + 1) for d, i in enumerate(path)]


def citation(path: tuple[int, ...]) -> str:
    """How a provision is cited: 第一条第（六）项, 第四条第（一）项第2目."""
    parts = [f"第{chinese_numeral(path[0] + 1)}条"]
    if len(path) > 1:
        parts.append(f"第（{chinese_numeral(path[1] + 1)}）项")
    if len(path) > 2:
        parts.append(f"第{path[2] + 1}目")
    if len(path) > 3:
        parts.append(f"第（{path[3] + 1}）点")
    return "".join(parts)
