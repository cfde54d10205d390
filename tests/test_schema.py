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
