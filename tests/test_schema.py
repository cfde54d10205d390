"""The published JSON Schema: in sync with the model, and every policy file validates against it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from zhidu.cli import main
from zhidu.schema import json_schemas, schema_text

ROOT = Path(__file__).resolve().parent.parent
POLICY_FILES = sorted((ROOT / "policy").rglob("*.yaml"))


def test_committed_schemas_are_current() -> None:
    for name in json_schemas():
        committed = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(name), (
            f"schemas/{name}.schema.json is stale: run `zhidu schema --write schemas`"
        )


@pytest.mark.parametrize("path", POLICY_FILES, ids=[p.relative_to(ROOT).as_posix() for p in POLICY_FILES])
def test_policy_file_validates_against_published_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    ref = first.split("$schema=", 1)[1]
    schema_file = (path.parent / ref).resolve()
    assert schema_file.is_file(), f"{path}: $schema points at a missing file {ref}"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    # JSON has no dates: dump YAML dates as ISO strings, as editors see them.
    data = json.loads(json.dumps(YAML(typ="safe").load(path.read_text(encoding="utf-8")), default=str))
    jsonschema.validate(data, schema)


def test_schema_rejects_what_the_loader_rejects() -> None:
    schema = json_schemas()["roles"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"roles": [{"id": "R-A", "name": "甲", "kind": "boss"}]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"roles": [{"id": "bad", "name": "甲", "kind": "leader"}]}, schema)


def test_cli_prints_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "regulation"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["$id"] == "regulation.schema.json"
    assert "sections" in data["properties"]


def test_schema_doc_is_current() -> None:
    from zhidu.schema import schema_markdown

    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert doc == schema_markdown(), "docs/schema.md is stale: run `zhidu schema --markdown docs/schema.md`"


_SCALARS = [
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "-3",
    "+4",
    "1.5",
    ".5",
    "1e3",
    ".inf",
    "-.Inf",
    "true",
    "True",
    "FALSE",
    "yes",
    "on",
    "no",
    "~",
    "null",
    "Null",
    "",
    "'1'",
    '"true"',
    "!!str 1",
    "!!int '7'",
    "!!float '1.5'",
    "!!bool 'true'",
    "12:30",
    "0b101",
    "1.0.0",
    "中文 123",
    "[1, 2.0, x, true, null]",
]


@pytest.mark.parametrize("text", _SCALARS)
def test_loader_types_scalars_as_the_yaml_12_core_schema(text: str) -> None:
    from zhidu.diagnostics import Report
    from zhidu.load.source import KEYLOCS_KEY, LOC_KEY, LOCS_KEY, parse, to_plain

    report = Report()
    data = to_plain(parse(f"a: {text}\n", "t.yaml", report), "t.yaml", report)
    assert not report.issues
    expected = YAML(typ="safe", pure=True).load(f"a: {text}\n")["a"]
    got = data["a"]
    assert got == expected and type(got) is type(expected)
    assert {LOC_KEY, LOCS_KEY, KEYLOCS_KEY} <= set(data)


def test_loader_keeps_timestamps_as_text() -> None:
    from zhidu.diagnostics import Report
    from zhidu.load.source import parse, to_plain

    report = Report()
    data = to_plain(parse("a: 2024-06-03\nb: 2024-13-45\n", "t.yaml", report), "t.yaml", report)
    assert (data["a"], data["b"]) == ("2024-06-03", "2024-13-45")
