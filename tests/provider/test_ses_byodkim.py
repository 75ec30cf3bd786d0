"""DKIM signing origin (Easy DKIM or BYODKIM) and key length: hand-built facts, no sockets."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from maildoctor import catalogue
from maildoctor.dns.resolver import DnsAnswer, Outcome
from maildoctor.model import Evidence, Finding, Status
from maildoctor.provider.base import (
    CallFailure,
    DkimOrigin,
    DkimSetup,
    FailureKind,
    Fetched,
    Identity,
    IdentityKind,
    Verification,
    parse_dkim_origin,
    parse_key_length,
)
from maildoctor.provider.ses.causes import CAUSES
from maildoctor.provider.ses.client import _email_identity_dkim_parser
from maildoctor.provider.ses.dkim import dkim_findings
from maildoctor.provider.ses.facts import SesFacts, SesQuery, dkim_setups, merge_dkim

EV = Evidence(id="aws:test", source="aws", query="test")
SELECTOR = "byo2025"
KEY_NAME = f"{SELECTOR}._domainkey.example.com"
BYODKIM_MISSING = "provider.ses.byodkim_key_missing"
BYODKIM_UNVERIFIED = "provider.ses.byodkim_unverified"


def _rsa_p(bits: int) -> str:
    """A base64 SubjectPublicKeyInfo of an RSA key with a modulus of ``bits`` bits."""
    modulus = (1 << (bits - 1)) | (1 << (bits // 2)) | 1
    key = rsa.RSAPublicNumbers(65537, modulus).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


KEY_2048 = f"v=DKIM1; k=rsa; p={_rsa_p(2048)}"
KEY_1024 = f"v=DKIM1; k=rsa; p={_rsa_p(1024)}"


R = "us-east-1"
TOKENS = ("aaa111", "bbb222", "ccc333")


def ok(value: Any) -> Fetched[Any]:
    return Fetched(evidence=EV, value=value)


def answer(name: str, rdtype: str, *records: str, outcome: Outcome | None = None) -> DnsAnswer:
    chosen = outcome or (Outcome.ANSWER if records else Outcome.NXDOMAIN)
    return DnsAnswer(name=name, rdtype=rdtype, outcome=chosen, records=records, server="test")


def dkim_dns(skip: Sequence[int] = ()) -> dict[str, DnsAnswer]:
    """Easy DKIM CNAMEs for TOKENS at example.com, but those whose index is in ``skip``."""
    out = {}
    for i, t in enumerate(TOKENS):
        name = f"{t}._domainkey.example.com"
        out[name] = answer(name, "CNAME", *(() if i in skip else (f"{t}.dkim.amazonses.com",)))
    return out


def _v1(**kw: Any) -> DkimSetup:
    """What SES v1 says (and moto's v1 says for every domain): Easy DKIM-like tokens."""
    base: dict[str, Any] = dict(
        identity="example.com", region=R, enabled=True, status=Verification.SUCCESS, tokens=TOKENS
    )
    return DkimSetup(**{**base, **kw})


def healthy(**over: Any) -> SesFacts:
    """admin@example.com, covered by the verified domain identity example.com (v1 only)."""
    domain = Identity(
        name="example.com", kind=IdentityKind.DOMAIN, region=R, verification=Verification.SUCCESS
    )
    facts = SesFacts(
        query=SesQuery(region=R, sender="admin@example.com"),
        here=ok({"example.com": domain}),
        dkim=ok({"example.com": _v1()}),
        dkim_dns=dkim_dns(),
    )
    return replace(facts, **over)


def evaluate(facts: SesFacts) -> tuple[Finding, ...]:
    """The DKIM topic alone, given only the facts it reads."""
    return dkim_findings(
        sender=facts.query.sender,
        region=facts.query.region,
        here=facts.here,
        v1=facts.dkim,
        v2=facts.dkim_v2,
        cnames=facts.dkim_dns,
        keys=facts.dkim_keys,
    )


def failed(kind: FailureKind) -> Fetched[Any]:
    failure = CallFailure(
        kind=kind,
        operation="sesv2.GetEmailIdentity",
        permission="ses:GetEmailIdentity",
        code=str(kind),
        message="m",
    )
    return Fetched(evidence=EV, failure=failure)


def v2(**kw: Any) -> DkimSetup:
    base: dict[str, Any] = dict(
        identity="example.com",
        region=R,
        enabled=True,
        status=Verification.SUCCESS,
        tokens=(SELECTOR,),
        origin=DkimOrigin.EXTERNAL,
    )
    return DkimSetup(**{**base, **kw})


def byodkim(key_answer: DnsAnswer | None, **kw: Any) -> SesFacts:
    """The healthy account, its domain on BYODKIM; v1 still lists (Easy DKIM-like) tokens."""
    keys = {KEY_NAME: key_answer} if key_answer is not None else {}
    return healthy(dkim_v2={"example.com": ok(v2(**kw))}, dkim_dns={}, dkim_keys=keys)


def causes(findings: Sequence[Finding]) -> set[str]:
    return {f.cause for f in findings if f.cause}


def checks(findings: Sequence[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


def one(findings: Sequence[Finding], check: str) -> Finding:
    found = checks(findings, check)
    assert len(found) == 1, (check, found)
    return found[0]


# -- normalising SES v2 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "origin", "parent"),
    [
        ("AWS_SES", DkimOrigin.AWS_SES, ""),
        ("EXTERNAL", DkimOrigin.EXTERNAL, ""),
        ("External", DkimOrigin.EXTERNAL, ""),
        ("AWS_SES_AF_SOUTH_1", DkimOrigin.AWS_SES, "af-south-1"),
        ("AWS_SES_US_GOV_WEST_1", DkimOrigin.AWS_SES, "us-gov-west-1"),
        ("AWS_SES_AP_SOUTHEAST_5", DkimOrigin.AWS_SES, "ap-southeast-5"),
        ("SOMETHING_NEW", DkimOrigin.UNKNOWN, ""),
        (None, DkimOrigin.UNKNOWN, ""),
    ],
)
def test_signing_origin_spellings(text, origin, parent):
    assert parse_dkim_origin(text) == (origin, parent)


@pytest.mark.parametrize(
    ("text", "bits"),
    [("RSA_1024_BIT", 1024), ("RSA_2048_BIT", 2048), ("rsa_2048_bit", 2048), ("", None), (7, None)],
)
def test_key_length_spellings(text, bits):
    assert parse_key_length(text) == bits


def test_get_email_identity_is_read_into_a_setup():
    stamp = datetime(2025, 3, 4, 5, 6, tzinfo=UTC)
    parse = _email_identity_dkim_parser("Example.COM", "eu-west-1")
    setup = parse(
        {
            "DkimAttributes": {
                "SigningEnabled": True,
                "Status": "PENDING",
                "Tokens": ["Sel1"],
                "SigningAttributesOrigin": "EXTERNAL",
            }
        }
    )
    assert setup == DkimSetup(
        identity="example.com",
        region="eu-west-1",
        enabled=True,
        status=Verification.PENDING,
        tokens=("sel1",),
        origin=DkimOrigin.EXTERNAL,
    )
    easy = parse(
        {
            "DkimAttributes": {
                "SigningEnabled": True,
                "Status": "SUCCESS",
                "SigningAttributesOrigin": "AWS_SES_EU_CENTRAL_1",
                "CurrentSigningKeyLength": "RSA_1024_BIT",
                "NextSigningKeyLength": "RSA_2048_BIT",
                "LastKeyGenerationTimestamp": stamp,
            }
        }
    )
    assert easy is not None
    assert (easy.origin, easy.replicated_from) == (DkimOrigin.AWS_SES, "eu-central-1")
    assert (easy.current_key_bits, easy.next_key_bits, easy.key_generated) == (1024, 2048, stamp)
    assert parse({"IdentityType": "EMAIL_ADDRESS"}) is None


# -- merging v1 and v2 -------------------------------------------------------------------------


def test_v2_with_tokens_wins():
    merged = merge_dkim(_v1(), v2(status=Verification.PENDING))
    assert merged == v2(status=Verification.PENDING)


def test_v2_without_tokens_only_adds_origin_and_key_facts_to_v1():
    """moto's v2: no tokens, signing reported off; v1 keeps the state and the tokens."""
    moto_v2 = v2(
        enabled=False,
        status=Verification.NOT_STARTED,
        tokens=(),
        origin=DkimOrigin.AWS_SES,
        next_key_bits=1024,
    )
    merged = merge_dkim(_v1(), moto_v2)
    assert merged == _v1(origin=DkimOrigin.AWS_SES, next_key_bits=1024)


def test_v1_tokens_are_never_taken_for_a_byodkim_selector():
    merged = merge_dkim(_v1(), v2(tokens=()))
    assert merged is not None and merged.origin is DkimOrigin.EXTERNAL and merged.tokens == ()


def test_either_side_alone_and_failures():
    assert merge_dkim(_v1(), None) == _v1()
    assert merge_dkim(None, v2()) == v2()
    assert merge_dkim(None, None) is None
    v1_failed = failed(FailureKind.ACCESS_DENIED)
    assert dkim_setups(v1_failed, {"example.com": ok(v2())}) == {"example.com": v2()}
    assert dkim_setups(ok({"example.com": _v1()}), {"example.com": v1_failed}) == {
        "example.com": _v1()
    }


# -- BYODKIM -----------------------------------------------------------------------------------


def test_byodkim_key_present_passes_and_no_cname_is_asked_for():
    found = evaluate(byodkim(answer(KEY_NAME, "TXT", KEY_2048)))
    assert causes(found) == set()
    assert checks(found, "provider.ses.dkim.cname") == []
    key = one(found, "provider.ses.dkim.key")
    assert (key.status, key.subject, key.data["key_bits"]) == (Status.PASS, KEY_NAME, 2048)
    status = one(found, "provider.ses.dkim")
    assert status.status is Status.PASS and "BYODKIM (selector byo2025)" in status.summary
    assert status.data["origin"] == "external"
    length = one(found, "provider.ses.dkim.key_length")
    assert (length.status, length.data["key_bits"]) == (Status.INFO, 2048)


@pytest.mark.parametrize(
    ("key_answer", "words"),
    [
        (answer(KEY_NAME, "TXT"), "not published"),
        (answer(KEY_NAME, "TXT", outcome=Outcome.NODATA), "not published"),
        (answer(KEY_NAME, "TXT", "v=DKIM1; k=rsa; p="), "revoked"),
        (answer(KEY_NAME, "TXT", "google-site-verification=abc"), "none is a DKIM key"),
        (answer(KEY_NAME, "TXT", "v=DKIM1; k=rsa; p=!!notbase64"), "malformed"),
    ],
)
def test_byodkim_key_missing_is_a_byodkim_cause_not_a_cname_one(key_answer, words):
    found = evaluate(byodkim(key_answer, status=Verification.FAILED))
    assert causes(found) == {BYODKIM_MISSING}
    key = one(found, "provider.ses.dkim.key")
    assert key.status is Status.FAIL and words in key.summary
    assert "put-email-identity-dkim-signing-attributes" in key.fix
    assert "--signing-attributes-origin EXTERNAL" in key.fix and "dkim.amazonses.com" not in key.fix
    status = one(found, "provider.ses.dkim")
    assert status.status is Status.FAIL and status.cause == ""
    assert "key findings below" in status.summary


def test_byodkim_key_lookup_timeout_is_an_error_never_missing():
    timeout = answer(KEY_NAME, "TXT", outcome=Outcome.TIMEOUT)
    found = evaluate(byodkim(timeout, status=Verification.PENDING))
    assert causes(found) == set()
    key = one(found, "provider.ses.dkim.key")
    assert key.status is Status.ERROR and "could not look up" in key.summary
    assert one(found, "provider.ses.dkim").status is Status.WARN


def test_byodkim_key_published_but_failed_names_the_mismatch():
    found = evaluate(byodkim(answer(KEY_NAME, "TXT", KEY_2048), status=Verification.FAILED))
    assert causes(found) == {BYODKIM_UNVERIFIED}
    status = one(found, "provider.ses.dkim")
    assert status.status is Status.FAIL and KEY_NAME in status.summary
    assert one(found, "provider.ses.dkim.key").status is Status.PASS


def test_byodkim_key_under_zone_appended_twice_is_pointed_out():
    doubled = f"{KEY_NAME}.example.com"
    facts = byodkim(answer(KEY_NAME, "TXT"))
    facts = replace(facts, dkim_keys={**facts.dkim_keys, doubled: answer(doubled, "TXT", KEY_2048)})
    key = one(evaluate(facts), "provider.ses.dkim.key")
    assert key.cause == BYODKIM_MISSING and doubled in key.detail


def test_byodkim_1024_bit_key_warns_with_a_rotation_command():
    found = evaluate(byodkim(answer(KEY_NAME, "TXT", KEY_1024)))
    length = one(found, "provider.ses.dkim.key_length")
    assert (length.status, length.data["key_bits"]) == (Status.WARN, 1024)
    assert "--signing-attributes-origin EXTERNAL" in length.fix
    assert causes(found) == set()


def test_byodkim_without_a_reported_selector_is_skipped():
    facts = healthy(dkim_v2={"example.com": ok(v2(tokens=()))}, dkim_dns={}, dkim_keys={})
    found = evaluate(facts)
    assert one(found, "provider.ses.dkim.key").status is Status.SKIPPED
    assert checks(found, "provider.ses.dkim.cname") == []


def test_byodkim_disabled_is_still_dkim_disabled():
    found = evaluate(byodkim(None, enabled=False))
    assert causes(found) == {"provider.ses.dkim_disabled"}
    assert checks(found, "provider.ses.dkim.key") == []


# -- Easy DKIM, unchanged, now with its key length ----------------------------------------------


def easy(**kw: Any) -> SesFacts:
    base: dict[str, Any] = dict(tokens=TOKENS, origin=DkimOrigin.AWS_SES)
    return healthy(dkim_v2={"example.com": ok(v2(**{**base, **kw}))})


def test_easy_dkim_from_v2_checks_the_cnames_as_before():
    found = evaluate(easy(current_key_bits=2048, next_key_bits=2048))
    assert causes(found) == set()
    cnames = checks(found, "provider.ses.dkim.cname")
    assert [f.status for f in cnames] == [Status.PASS] * 3
    assert checks(found, "provider.ses.dkim.key") == []
    assert "Easy DKIM is enabled and verified" in one(found, "provider.ses.dkim").summary


def test_easy_dkim_missing_cname_is_still_the_cname_cause():
    found = evaluate(replace(easy(status=Verification.PENDING), dkim_dns=dkim_dns(skip=[1])))
    assert causes(found) == {"provider.ses.dkim_cname_missing"}


def test_without_v2_nothing_changes():
    found = evaluate(healthy())
    assert causes(found) == set()
    assert len(checks(found, "provider.ses.dkim.cname")) == 3
    assert checks(found, "provider.ses.dkim.key_length") == []


def test_v2_denied_assumes_easy_dkim_and_says_so():
    facts = healthy(
        dkim_v2={"example.com": failed(FailureKind.ACCESS_DENIED)}, dkim_dns=dkim_dns(skip=[0])
    )
    found = evaluate(facts)
    assert causes(found) == {"provider.ses.dkim_cname_missing"}
    missing = next(f for f in found if f.cause == "provider.ses.dkim_cname_missing")
    assert "ses:GetEmailIdentity" in missing.detail and "BYODKIM" in missing.detail


@pytest.mark.parametrize(
    ("current", "following", "status", "command"),
    [
        (1024, 1024, Status.WARN, True),
        (1024, None, Status.WARN, True),
        (1024, 2048, Status.INFO, False),
        (2048, 2048, Status.INFO, False),
        (None, 1024, Status.INFO, True),
        (None, 2048, Status.INFO, False),
    ],
)
def test_easy_dkim_key_length(current, following, status, command):
    found = evaluate(easy(current_key_bits=current, next_key_bits=following))
    length = one(found, "provider.ses.dkim.key_length")
    assert (length.status, length.data["current_key_bits"]) == (status, current)
    expected = (
        "aws sesv2 put-email-identity-dkim-signing-attributes --email-identity example.com "
        "--signing-attributes-origin AWS_SES --signing-attributes "
        f"NextSigningKeyLength=RSA_2048_BIT --region {R}"
    )
    assert (expected in length.fix) is command
    assert causes(found) == set()


def test_replicated_easy_dkim_key_is_changed_in_the_parent_region():
    found = evaluate(easy(current_key_bits=1024, replicated_from="eu-west-1"))
    length = one(found, "provider.ses.dkim.key_length")
    assert length.status is Status.WARN and length.fix.endswith("--region eu-west-1`")
    assert "eu-west-1" in length.detail
    assert (
        "replicated from the parent identity in eu-west-1"
        in one(found, "provider.ses.dkim").summary
    )


def test_no_key_length_without_v2_key_facts():
    assert checks(evaluate(easy()), "provider.ses.dkim.key_length") == []


# -- catalogue ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cause_id", [BYODKIM_MISSING, BYODKIM_UNVERIFIED])
def test_byodkim_causes_are_catalogued_with_a_byodkim_fix(cause_id):
    assert cause_id in CAUSES
    entry = catalogue.get(cause_id)
    fix = " ".join(entry.fix)
    assert "put-email-identity-dkim-signing-attributes" in fix
    assert "TXT" in fix and "<selector>._domainkey.<domain>" in fix
    assert "EXTERNAL" in entry.explanation or "EXTERNAL" in fix
    assert any("BYODKIM" in ref for ref in entry.references)
