"""Submitted forms read into edits, and model values shown in forms (no I/O, no web framework state)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

import zhidu.serve.edits as edits
from zhidu.serve.tree import PERIODS


def clean(s: str) -> str:
    """A submitted text field with LF line ends and no spaces at its ends."""
    # A browser sends CR LF; a pasted line keeps no stray spaces at its ends.
    return s.replace("\r\n", "\n").strip()


def lines(s: str) -> list[str]:
    """The non-empty lines of a text area, each stripped."""
    return [x.strip() for x in clean(s).split("\n") if x.strip()]


def signature(f: Any) -> str:
    """A frequency choice as one string, to see whether the clerk changed it."""
    if f is None:
        return ""
    return f"{f.per or ''}|{f.min or ''}|{','.join(f.events)}|{int(bool(f.on_occurrence))}"


def duty_values(duty: Any, text: str) -> dict[str, Any]:
    """A duty of the model as the values of its form."""
    f = duty.frequency
    return {
        "frequency_was": signature(f),
        "display_was": f.display if f else "",
        "text": text,
        "summary": duty.summary or "",
        "owners": list(duty.owners),
        "per": (f.per or "") if f else "",
        "min": str(f.min) if f and f.min else "",
        "events": list(f.events) if f else [],
        "on_occurrence": bool(f and f.on_occurrence),
        "display": f.display if f else "",
        "evidence": "\n".join(duty.evidence),
        "basis": {b.law: b.art or "" for b in duty.basis},
        "checklist": duty.checklist,
    }


def submitted(data: FormData) -> dict[str, Any]:
    """A submitted duty form as the values to show again (after a refusal)."""
    return {
        "frequency_was": str(data.get("frequency_was", "")),
        "display_was": str(data.get("display_was", "")),
        "text": str(data.get("text", "")),
        "summary": str(data.get("summary", "")),
        "owners": [str(x) for x in data.getlist("owners")],
        "per": str(data.get("per", "")),
        "min": str(data.get("min", "")),
        "events": [str(x) for x in data.getlist("events")],
        "on_occurrence": bool(data.get("on_occurrence")),
        "display": str(data.get("display", "")),
        "evidence": str(data.get("evidence", "")),
        "basis": {str(x): str(data.get(f"art-{x}", "")) for x in data.getlist("basis")},
        "checklist": bool(data.get("checklist")),
    }


def duty_form(data: FormData) -> tuple[edits.DutyForm, dict[str, list[str]]]:
    """The submitted duty form as an edit, with the errors only the form itself can see (a count not a number)."""
    errors: dict[str, list[str]] = {}
    per = str(data.get("per", "")) or None
    if per not in (None, *(p for p, _ in PERIODS)):
        errors.setdefault("frequency", []).append("请从列表中选择周期")
        per = None
    raw_min = str(data.get("min", "")).strip()
    count: int | None = None
    if per and raw_min:
        if raw_min.lstrip("-").isdigit():
            count = int(raw_min)
        else:
            errors.setdefault("frequency", []).append(f"次数“{raw_min}”不是整数：请填写 1、2、3 这样的数字")
    elif per:
        count = 1
    freq = edits.FrequencyChoice(
        per=per,
        min=count,
        events=list(dict.fromkeys(clean(str(x)) for x in data.getlist("events") if clean(str(x)))),
        on_occurrence=bool(data.get("on_occurrence")),
        display=clean(str(data.get("display", ""))),
    )
    # The wording shown was the old frequency's: a new choice with the wording left alone gets new wording.
    if freq.display == str(data.get("display_was", "")) and signature(freq) != str(
        data.get("frequency_was", "")
    ):
        freq.display = ""
    form = edits.DutyForm(
        text=clean(str(data.get("text", ""))),
        summary=clean(str(data.get("summary", ""))),
        owners=[str(x) for x in data.getlist("owners")],
        frequency=freq,
        evidence=lines(str(data.get("evidence", ""))),
        basis=[(str(x), clean(str(data.get(f"art-{x}", "")))) for x in data.getlist("basis")],
        checklist=bool(data.get("checklist")),
    )
    return form, errors
