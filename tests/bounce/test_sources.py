"""The source registry: every module registered once, every source parses a sample."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import pytest

from maildoctor.bounce import classify_path, read_mail
from maildoctor.bounce import sources as sources_pkg
from maildoctor.bounce.sources import MODULES, SOURCES


def _samples(corpus: Path, fixtures: Path) -> list[Path]:
    return sorted(corpus.iterdir()) + sorted(fixtures.iterdir())


@pytest.fixture(scope="module")
def parsed_by(corpus: Path, fixtures: Path) -> dict[str, list[str]]:
    """Source name -> samples whose records it produced."""
    found: dict[str, list[str]] = {}
    for path in _samples(corpus, fixtures):
        for record in classify_path(path):
            found.setdefault(record.source, []).append(path.name)
    return found


def test_every_module_is_registered_once() -> None:
    on_disk = {m.name for m in pkgutil.iter_modules(sources_pkg.__path__)}
    assert on_disk == set(MODULES), on_disk ^ set(MODULES)
    assert len(MODULES) == len(set(MODULES))
    assert [name for name, _ in SOURCES] == list(MODULES)


def test_every_source_parses_a_sample(parsed_by: dict[str, list[str]]) -> None:
    missing = [name for name, _ in SOURCES if not parsed_by.get(name)]
    assert not missing, f"sources without a sample they parse: {missing}"


def test_sources_say_not_mine_to_a_plain_message() -> None:
    mail = read_mail(b"From: a@example.com\nTo: b@example.net\nSubject: hello\n\nHi there.\n")
    for name, parse in SOURCES:
        assert not parse(mail), name


def test_generic_readers_come_last() -> None:
    order = list(MODULES)
    assert order.index("rfc3464") > max(
        order.index(n) for n in ("postfix", "office365", "amazonses")
    )
    assert order[-1] == "fallback"
