"""Organizational domains: the PSL vectors as data, and the RFC 9989 tree walk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from maildoctor.context import Context
from maildoctor.dns.orgdomain import (
    MAX_WALK_QUERIES,
    interpret_walk,
    psl_org_domain,
    tree_walk,
    walk_targets,
)
from maildoctor.dns.resolver import DnsAnswer, Outcome

VECTOR = re.compile(r"^(//)?\s*checkPublicSuffix\((null|'[^']*'),\s*(null|'[^']*')\);\s*$")

#: Vector lines the upstream file itself comments out, and why they are not run.
EXPECTED_SKIPS = {
    # Upstream comments these out: "local" is no longer on the list (it is a
    # special-use name, RFC 6762), so the expected nulls no longer hold.
    "checkPublicSuffix('local', null);",
    "checkPublicSuffix('example.local', null);",
    "checkPublicSuffix('b.example.local', null);",
    "checkPublicSuffix('a.b.example.local', null);",
}


def _arg(text: str) -> str | None:
    return None if text == "null" else text[1:-1]


def _vectors(path: Path) -> tuple[list[tuple[str | None, str | None]], list[str]]:
    """``(input, expected)`` pairs from the file, and the commented-out lines."""
    active: list[tuple[str | None, str | None]] = []
    skipped: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = VECTOR.match(line.strip())
        if match is None:
            continue
        if match.group(1):
            skipped.append(line.strip().lstrip("/").strip())
        else:
            active.append((_arg(match.group(2)), _arg(match.group(3))))
    return active, skipped


def test_every_psl_vector_passes(test_data: Path) -> None:
    path = test_data / "vectors" / "psl" / "test_psl.txt"
    active, skipped = _vectors(path)
    # every vector line was understood (none silently dropped by the regex)
    assert len(active) + len(skipped) == path.read_text(encoding="utf-8").count("checkPublicSuffix")
    failures = [
        (given, expected, psl_org_domain(given))
        for given, expected in active
        if psl_org_domain(given) != expected
    ]
    assert len(active) == 78
    assert failures == []


def test_psl_skips_are_only_the_upstream_commented_lines(test_data: Path) -> None:
    _, skipped = _vectors(test_data / "vectors" / "psl" / "test_psl.txt")
    assert set(skipped) == EXPECTED_SKIPS


def test_psl_private_section_and_unknown_tld() -> None:
    assert psl_org_domain("a.b.example.uk.com") == "example.uk.com"  # private section
    assert psl_org_domain("mail.shop.example") == "shop.example"  # implicit "*" rule
    assert psl_org_domain("example.com.") == "example.com"


# -- walk targets -------------------------------------------------------------------


def test_walk_targets_removes_one_label_at_a_time() -> None:
    assert walk_targets("a.mail.example.com") == (
        "a.mail.example.com",
        "mail.example.com",
        "example.com",
        "com",
    )


def test_walk_targets_jumps_to_seven_labels_and_never_exceeds_eight() -> None:
    domain = "a.b.c.d.e.f.g.h.i.example.com"  # 11 labels
    targets = walk_targets(domain)
    assert targets[0] == domain
    assert targets[1] == "e.f.g.h.i.example.com"  # the seven rightmost labels
    assert len(targets) == MAX_WALK_QUERIES
    assert targets[-1] == "com"


def test_walk_targets_with_exactly_eight_labels() -> None:
    targets = walk_targets("a.b.c.d.e.f.example.com")
    assert [len(t.split(".")) for t in targets] == [8, 7, 6, 5, 4, 3, 2, 1]


# -- interpretation (pure) ----------------------------------------------------------


def _answers(records: dict[str, list[str]], domain: str) -> dict[str, DnsAnswer]:
    out = {}
    names = set(walk_targets(domain)) | {psl_org_domain(domain) or domain}
    for name in names:
        values = records.get(name)
        outcome = Outcome.ANSWER if values else Outcome.NXDOMAIN
        out[name] = DnsAnswer(
            name=f"_dmarc.{name}", rdtype="TXT", outcome=outcome, records=tuple(values or ())
        )
    return out


def test_record_at_author_and_parent_org_is_fewest_labels() -> None:
    domain = "mail.example.com"
    walk = interpret_walk(
        domain,
        _answers(
            {"mail.example.com": ["v=DMARC1; p=reject"], "example.com": ["v=DMARC1; p=none"]},
            domain,
        ),
    )
    assert walk.policy is not None and walk.policy.name == "mail.example.com"
    assert walk.org_domain == "example.com"
    assert not walk.readings_differ


def test_psd_n_stops_the_walk_and_marks_the_org_domain() -> None:
    domain = "a.b.example.com"
    records = {"b.example.com": ["v=DMARC1; p=reject; psd=n"], "example.com": ["v=DMARC1; p=none"]}
    walk = interpret_walk(domain, _answers(records, domain))
    assert [s.name for s in walk.steps] == ["a.b.example.com", "b.example.com"]
    assert walk.org_domain == "b.example.com"
    assert walk.policy is not None and walk.policy.name == "b.example.com"
    # RFC 7489 (PSL) applies example.com's record instead: the readings differ.
    assert walk.psl_org == "example.com"
    assert walk.psl_policy is not None and walk.psl_policy.name == "example.com"
    assert walk.readings_differ


def test_psd_y_makes_the_name_below_it_the_org_domain() -> None:
    domain = "shop.brand.example"
    records = {"example": ["v=DMARC1; p=reject; psd=y"]}
    walk = interpret_walk(domain, _answers(records, domain))
    assert walk.org_domain == "brand.example"
    assert walk.policy is not None and walk.policy.name == "example"  # the PSD's policy
    assert walk.psl_policy is None  # RFC 7489 never asks the TLD
    assert walk.readings_differ


def test_no_record_anywhere_author_is_its_own_org_domain() -> None:
    domain = "sub.example.com"
    walk = interpret_walk(domain, _answers({}, domain))
    assert walk.policy is None
    assert walk.org_domain == "sub.example.com"
    assert walk.psl_org == "example.com"
    assert walk.readings_differ


def test_multiple_records_at_author_are_discarded_and_walk_continues() -> None:
    domain = "mail.example.com"
    records = {
        "mail.example.com": ["v=DMARC1; p=reject", "v=DMARC1; p=none"],
        "example.com": ["v=DMARC1; p=quarantine"],
    }
    walk = interpret_walk(domain, _answers(records, domain))
    assert walk.steps[0].multiple
    assert walk.policy is not None and walk.policy.name == "example.com"
    # RFC 7489 6.6.3: several records at the author domain end discovery.
    assert walk.psl_policy is None


def test_failed_lookup_stops_the_walk() -> None:
    domain = "mail.example.com"
    answers = _answers({"mail.example.com": ["v=DMARC1; p=reject"]}, domain)
    answers["example.com"] = DnsAnswer(
        name="_dmarc.example.com", rdtype="TXT", outcome=Outcome.TIMEOUT
    )
    walk = interpret_walk(domain, answers)
    assert not walk.complete
    assert walk.failed is not None and walk.failed.name == "example.com"
    assert walk.policy is not None and walk.policy.name == "mail.example.com"


# -- over real DNS ------------------------------------------------------------------


async def test_tree_walk_over_dns_asks_each_name_once(dns_server, resolver_for) -> None:
    dns_server.load({"_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject"}]})
    ctx = Context(resolver=resolver_for(dns_server, timeout=2.0))
    walk = await tree_walk("a.b.example.com", ctx=ctx)
    assert walk.policy is not None and walk.policy.name == "example.com"
    assert walk.org_domain == "example.com"
    asked = [e.name for e in dns_server.log]
    assert sorted(asked) == sorted(
        ["_dmarc.a.b.example.com", "_dmarc.b.example.com", "_dmarc.example.com", "_dmarc.com"]
    )


@pytest.mark.parametrize("failure", ["timeout_names", "servfail_names", "garbage_names"])
async def test_tree_walk_records_dns_failure(resolver_for, failure: str) -> None:
    from maildoctor.testing.dnsserver import DnsServer

    zone = {"_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject"}]}
    with DnsServer(zone, **{failure: ["_dmarc.example.com"]}) as server:
        walk = await tree_walk(
            "example.com", ctx=Context(resolver=resolver_for(server, timeout=0.3))
        )
    assert walk.author is None
    assert walk.failed is not None and walk.failed.name == "example.com"
    assert walk.policy is None
