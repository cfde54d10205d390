"""Chinese numerals and dates, both ways, and display numbers computed from position (一、 → （一） → 1. → （1）).

The one home of the numeral tables: the importer, frequency wording and every view use these functions.
"""

from __future__ import annotations

import datetime as dt

_DIGITS = "零一二三四五六七八九"
#: Digit values as written in documents: 〇 and the letter O (a common typing slip in 二OO九年) are zero.
DIGIT_VALUES: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "O": 0,
    "o": 0,
    "Ｏ": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
#: Characters a Chinese numeral may be written with (for building patterns).
NUMERAL_CHARS = "〇零一二两三四五六七八九十百"


def numeral_value(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 两 → 2; Arabic digits pass through; unknown characters count 0."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch == "百":
            total += (cur or 1) * 100
            cur = 0
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = DIGIT_VALUES.get(ch, 0)
    return total + cur


def year_value(s: str) -> int:
    """A year as written: 2024, 二〇二四, 二OO九 (digit by digit) → int."""
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in DIGIT_VALUES for c in s):
        return int("".join(str(DIGIT_VALUES[c]) for c in s))
    return numeral_value(s)


def cn_date(d: dt.date | str | None) -> str:
    """2024-06-03 → 2024年6月3日 (GB/T 9704 7.3.5.4: no leading zeros); a placeholder stays as written."""
    if d is None:
        return ""
    if isinstance(d, str):
        return d
    return f"{d.year}年{d.month}月{d.day}日"


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
