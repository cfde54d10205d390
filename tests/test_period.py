"""--period parsing: ISO weeks, months, quarters, halves, years, and the errors users see."""

from __future__ import annotations

import datetime as dt

import pytest

from zhidu.errors import UsageError
from zhidu.period import containing, for_kind, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "label", "range_text"),
    [
        ("2024-W23", "week", D(2024, 6, 3), D(2024, 6, 9), "2024年第23周", "2024年6月3日—6月9日"),
        # 2024-01-01 is a Monday: week 1 starts on New Year's Day.
        ("2024-W01", "week", D(2024, 1, 1), D(2024, 1, 7), "2024年第1周", "2024年1月1日—1月7日"),
        # 2020 has 53 ISO weeks; the last one ends in 2021, so the end repeats the year.
        ("2020-W53", "week", D(2020, 12, 28), D(2021, 1, 3), "2020年第53周", "2020年12月28日—2021年1月3日"),
        # ISO week 1 of 2025 starts in 2024.
        ("2025-W01", "week", D(2024, 12, 30), D(2025, 1, 5), "2025年第1周", "2024年12月30日—2025年1月5日"),
        ("2024-w5", "week", D(2024, 1, 29), D(2024, 2, 4), "2024年第5周", "2024年1月29日—2月4日"),
        ("2024-06", "month", D(2024, 6, 1), D(2024, 6, 30), "2024年6月", "2024年6月1日—6月30日"),
        ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29), "2024年2月", "2024年2月1日—2月29日"),
        ("2023-12", "month", D(2023, 12, 1), D(2023, 12, 31), "2023年12月", "2023年12月1日—12月31日"),
        ("2024-Q2", "quarter", D(2024, 4, 1), D(2024, 6, 30), "2024年第二季度", "2024年4月1日—6月30日"),
        ("2024-q4", "quarter", D(2024, 10, 1), D(2024, 12, 31), "2024年第四季度", "2024年10月1日—12月31日"),
        ("2024-H1", "half_year", D(2024, 1, 1), D(2024, 6, 30), "2024年上半年", "2024年1月1日—6月30日"),
        ("2024-H2", "half_year", D(2024, 7, 1), D(2024, 12, 31), "2024年下半年", "2024年7月1日—12月31日"),
        (" 2024 ", "year", D(2024, 1, 1), D(2024, 12, 31), "2024年", "2024年1月1日—12月31日"),
    ],
)
def test_parse(text: str, kind: str, start: dt.date, end: dt.date, label: str, range_text: str) -> None:
    p = parse_period(text)
    assert (p.kind, p.start, p.end, p.label, p.range_text) == (kind, start, end, label, range_text)
    assert parse_period(p.code) == p


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2021-W53", "2021年共有52个ISO周，周序号应为1—52"),
        ("2020-W54", "2020年共有53个ISO周，周序号应为1—53"),
        ("2024-W00", "2024年共有52个ISO周，周序号应为1—52"),
        ("2024-13", "月份应为01—12"),
        ("2024-00", "月份应为01—12"),
        ("2024-Q5", "季度应为Q1—Q4"),
        ("2024-Q0", "季度应为Q1—Q4"),
        ("2024-H3", "半年应为H1或H2"),
        ("1850", "年份应不早于1900年"),
        ("24-06", "格式不可识别"),
        ("2024/06", "格式不可识别"),
        ("2024-06-03", "格式不可识别"),
        ("六月", "格式不可识别"),
        ("", "格式不可识别"),
    ],
)
def test_invalid_periods_say_why_in_chinese(text: str, why: str) -> None:
    with pytest.raises(UsageError) as e:
        parse_period(text)
    forms = "2024-W23（ISO周）、2024-06（月）、2024-Q2（季度）、2024-H1（半年）或 2024（年）"
    assert str(e.value) == f"--period “{text}” 无效：{why}；应为 {forms}"


def test_longer_kinds_contain_the_given_period_shorter_ones_stay_blank() -> None:
    week = parse_period("2024-W23")
    assert for_kind(week, "week") == week
    assert for_kind(week, "month") == parse_period("2024-06")
    assert for_kind(week, "quarter") == parse_period("2024-Q2")
    assert for_kind(week, "half_year") == parse_period("2024-H1")
    assert for_kind(week, "year") == parse_period("2024")
    month = parse_period("2024-06")
    assert for_kind(month, "week") is None
    assert for_kind(month, "quarter") == parse_period("2024-Q2")
    assert for_kind(parse_period("2024"), "month") is None


def test_a_week_belongs_to_the_month_and_year_of_its_thursday() -> None:
    # 2025-W01 runs 2024-12-30 … 2025-01-05; ISO 8601 counts it in 2025.
    w = parse_period("2025-W01")
    assert for_kind(w, "year") == parse_period("2025")
    assert for_kind(w, "month") == parse_period("2025-01")
    # 2020-W53 runs 2020-12-28 … 2021-01-03; its Thursday is 2020-12-31.
    assert for_kind(parse_period("2020-W53"), "year") == parse_period("2020")
    # 2024-W22 runs 2024-05-27 … 06-02: Thursday 05-30 puts it in May.
    assert for_kind(parse_period("2024-W22"), "month") == parse_period("2024-05")


def test_containing_covers_every_day_of_a_leap_year() -> None:
    day = D(2024, 1, 1)
    while day.year == 2024:
        for kind in ("week", "month", "quarter", "half_year", "year"):
            p = containing(kind, day)  # type: ignore[arg-type]
            assert p.start <= day <= p.end
            assert parse_period(p.code) == p
        day += dt.timedelta(days=1)


def test_lists_and_ranges() -> None:
    from zhidu.period import parse_periods

    assert [p.code for p in parse_periods("2024-W23..2024-W26")] == [
        "2024-W23",
        "2024-W24",
        "2024-W25",
        "2024-W26",
    ]
    assert [p.code for p in parse_periods("2024-06, 2024-07,2024-06")] == ["2024-06", "2024-07"]
    assert [p.code for p in parse_periods("2024-Q4..2025-Q1")] == ["2024-Q4", "2025-Q1"]
    # Across a 53-week year.
    assert [p.code for p in parse_periods("2020-W52..2021-W01")] == ["2020-W52", "2020-W53", "2021-W01"]
    for bad, why in (
        ("2024-W23..2024-07", "同一种周期"),
        ("2024-W26..2024-W23", "结束早于开始"),
        ("2024-06,,2024-07", "缺少周期"),
        ("2000-W01..2030-W01", "最多"),
    ):
        with pytest.raises(UsageError, match=why):
            parse_periods(bad)


def test_subperiods_follow_iso_thursdays() -> None:
    from zhidu.period import subperiods

    weeks = [p.code for p in subperiods(parse_period("2024-12"), "week")]
    assert weeks == ["2024-W49", "2024-W50", "2024-W51", "2024-W52"]
    assert next(p.code for p in subperiods(parse_period("2025-01"), "week")) == "2025-W01"
    assert [p.code for p in subperiods(parse_period("2024-H2"), "month")] == [
        f"2024-{m:02d}" for m in range(7, 13)
    ]
