"""The committed report fixtures are what tests/fixtures/reports/build.py makes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "reports"


def test_built_fixtures_match_the_script() -> None:
    spec = importlib.util.spec_from_file_location("reports_fixture_build", FIXTURES / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.outputs()
    on_disk = {p.name: p.read_bytes() for p in (FIXTURES / "built").iterdir()}
    assert set(on_disk) == set(expected)
    for name, data in expected.items():
        assert on_disk[name] == data, name
