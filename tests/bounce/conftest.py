"""Paths shared by the bounce tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bounces"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """``tests/fixtures/bounces``: samples written for these tests (reserved names only)."""
    return FIXTURES


@pytest.fixture(scope="session")
def corpus(test_data: Path) -> Path:
    """The development half of the bounce corpus."""
    return test_data / "corpus" / "bounces" / "dev"
