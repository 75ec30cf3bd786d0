"""A zone of many small domains with known defects, and the bounce fixtures' path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

BOUNCES = Path(__file__).resolve().parent.parent / "fixtures" / "bounces"


def zone(count: int = 40) -> dict[str, list[Any]]:
    """``dN.example``: every third has two SPF records (permerror), every fourth no DMARC."""
    data: dict[str, list[Any]] = {}
    for i in range(count):
        name = f"d{i}.example"
        spf = [{"TXT": "v=spf1 ip4:192.0.2.0/24 -all"}]
        if i % 3 == 0 and i:
            spf.append({"TXT": "v=spf1 ip4:198.51.100.0/24 -all"})
        data[name] = [{"MX": [10, f"mx.{name}"]}, *spf]
        data[f"mx.{name}"] = [{"A": "192.0.2.10"}]
        if i % 4:
            data[f"_dmarc.{name}"] = [{"TXT": "v=DMARC1; p=reject; rua=mailto:r@" + name}]
    return data


def domain_list(count: int) -> list[str]:
    """The first ``count`` domains of :func:`zone`, as lines of a list file."""
    return [f"d{i}.example\n" for i in range(count)]
