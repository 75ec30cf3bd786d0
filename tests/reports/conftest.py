"""Shared paths for the reports tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "reports"


@pytest.fixture
def built() -> Path:
    """The built fixtures (tests/fixtures/reports/built)."""
    return FIXTURES / "built"


@pytest.fixture
def sources() -> Path:
    """The XML/JSON/e-mail sources the built fixtures are made from."""
    return FIXTURES / "src"
