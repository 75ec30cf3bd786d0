"""Exchange Online NDRs: code, text, generating and remote servers, outbound-ban flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from maildoctor.bounce import classify_path
from maildoctor.bounce.sources.office365 import ndr_details
from maildoctor.model import Layer
from maildoctor.replies import classify

GENERATING = "bn8pr01mb0001.namprd01.prod.outlook.com"

CASES = [
    # file, reason, status, cause, outbound ban
    ("exo-5.7.509-dmarc.eml", "authfailure", "5.7.509", "recipient.rejected.dmarc", False),
    ("exo-5.7.23-spf.eml", "authfailure", "5.7.23", "recipient.rejected.spf", False),
    ("exo-5.7.515-auth-level.eml", "authfailure", "5.7.515",
     "recipient.rejected.authentication_level", False),
    ("exo-5.7.606-banned-ip.eml", "blocked", "5.7.606", "recipient.blocked_ip", False),
    ("exo-5.7.708-outbound-ban.eml", "ratelimited", "5.7.708",
     "provider.microsoft365.outbound_ban", True),
    ("exo-5.7.750-outbound-ban.eml", "rejected", "5.7.750",
     "provider.microsoft365.outbound_ban", True),
    ("exo-5.1.8-outbound-ban.eml", "rejected", "5.1.8", "provider.microsoft365.outbound_ban", True),
    ("exo-5.1.8-remote-sender-rejected.eml", "rejected", "5.1.8", "recipient.rejected.sender",
     False),
    ("exo-5.1.1-relayed.eml", "userunknown", "5.1.1", "recipient.user_unknown", False),
]  # fmt: skip


@pytest.mark.parametrize(("name", "reason", "status", "cause", "ban"), CASES)
def test_exchange_online_ndr(
    fixtures: Path, name: str, reason: str, status: str, cause: str, ban: bool
) -> None:
    (record,) = classify_path(fixtures / name)
    assert record.source == "office365"
    assert (record.reason, record.status, record.cause) == (reason, status, cause)
    assert record.outbound_ban is ban
    assert record.generating_server == GENERATING
    assert record.recipient == "friend@example.net"
    assert record.diagnostic.startswith(("550 ", "501 "))


def test_remote_server_is_read_from_the_ndr(fixtures: Path) -> None:
    (record,) = classify_path(fixtures / "exo-5.1.1-relayed.eml")
    assert record.remote_mta == "mx1.example.net"
    assert record.hard_bounce and record.layer is Layer.RECIPIENT


def test_microsoft_refusal_names_a_microsoft_host(fixtures: Path) -> None:
    (record,) = classify_path(fixtures / "exo-5.7.509-dmarc.eml")
    assert record.remote_mta.endswith(".outlook.com")
    assert "does not pass DMARC verification" in record.diagnostic


def _ban(status: str, text: str, host: str, reporting: str = "") -> bool:
    verdict = classify(f"550 {status} {text}", host=host, reporting_host=reporting,
                       context="bounce")  # fmt: skip
    return verdict.cause == "provider.microsoft365.outbound_ban"


def test_outbound_ban_needs_microsoft_as_the_refusing_side() -> None:
    for status in ("5.7.705", "5.7.708", "5.7.750", "5.1.8"):
        assert _ban(status, "", "", "x.prod.outlook.com"), status
    assert _ban("5.1.8", "Access denied, bad outbound sender", "mx.example.net")
    assert not _ban("5.1.8", "Sender address rejected", "mx.example.net", "x.prod.outlook.com")
    assert not _ban("5.7.509", "DMARC", "x.prod.outlook.com")
    assert not _ban("5.7.1", "", "x.prod.outlook.com")


def test_ndr_details_pairs_recipient_and_host() -> None:
    report = ("Generating server: GEN.example.com\n\nfriend@example.net\nmx1.example.net\n"
              "Remote Server returned '550 5.1.1 no'\n\nother@example.net\n"
              "Remote Server returned '550 5.7.1 no'\n")  # fmt: skip
    generating, remote = ndr_details(report)
    assert generating == "gen.example.com"
    assert remote == {"friend@example.net": "mx1.example.net"}
    assert ndr_details("nothing here") == ("", {})


def test_corpus_office365_ndrs_carry_the_generating_server(corpus: Path) -> None:
    records = [r for p in sorted(corpus.glob("lhost-office365-*")) for r in classify_path(p)]
    assert records and sum(bool(r.generating_server) for r in records) >= len(records) - 2
