"""One loopback stage (DNS, moto and the sesv2 fake, a private CA) for the whole suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from maildoctor.demo.stage import Stage


@pytest.fixture(scope="package")
def stage() -> Iterator[Stage]:
    with Stage() as running:
        yield running
