"""Published JSON schemas of ``bounce --format json`` lines and ``explain --format json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from maildoctor import catalogue
from maildoctor.cli import main
from maildoctor.report.json_schema import PUBLISHED, schema_json

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_schemas_are_in_sync(name):
    published = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert published == schema_json(name), (
        f"docs/{name} is stale: run `python -m maildoctor.report.json_schema {name} > docs/{name}`"
    )
    Draft202012Validator.check_schema(PUBLISHED[name])


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((ROOT / "docs" / name).read_text(encoding="utf-8")))


def test_every_bounce_json_line_validates(capsys):
    paths = [str(FIXTURES / "bounces"), str(FIXTURES / "corpus" / "bounces" / "dev")]
    main(["bounce", *paths, "--format", "json"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 300
    validator = _validator("bounce.schema.json")
    for line in lines:
        validator.validate(json.loads(line))


def test_a_bounce_line_missing_a_key_is_rejected(capsys):
    main(["bounce", str(FIXTURES / "bounces" / "exo-5.7.509-dmarc.eml"), "--format", "json"])
    record = json.loads(capsys.readouterr().out.splitlines()[0])
    del record["reason"]
    assert not _validator("bounce.schema.json").is_valid(record)


def test_every_explain_entry_validates(capsys):
    validator = _validator("explain-entry.schema.json")
    for entry in catalogue.entries():
        assert main(["explain", entry.id, "--format", "json"]) == 0
        validator.validate(json.loads(capsys.readouterr().out))
