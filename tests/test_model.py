"""The result model: statuses decide exit codes; JSON is versioned and stable."""

from __future__ import annotations

import hashlib
import json

import pytest

from maildoctor.model import (
    SCHEMA_VERSION,
    Evidence,
    ExitCode,
    Finding,
    Layer,
    Report,
    Status,
    exit_code_for,
)
from maildoctor.secrets import Secret, redact


def finding(status: Status, check: str = "dns.spf.record") -> Finding:
    return Finding(check=check, layer=Layer.DNS, status=status, subject="example.com", summary="s")


@pytest.mark.parametrize(
    ("statuses", "code"),
    [
        ((), ExitCode.OK),
        ((Status.PASS, Status.WARN, Status.INFO, Status.SKIPPED), ExitCode.OK),
        ((Status.PASS, Status.ERROR), ExitCode.INCOMPLETE),
        ((Status.ERROR, Status.FAIL), ExitCode.PROBLEMS),
        ((Status.FAIL,), ExitCode.PROBLEMS),
    ],
)
def test_exit_codes(statuses, code):
    assert exit_code_for([finding(s) for s in statuses]) is code


def test_report_json_round_trip():
    ev = Evidence(
        id="dns:TXT:example.com",
        source="dns",
        query="example.com TXT",
        server="127.0.0.1:53",
        outcome="answer",
        raw=("v=spf1 -all",),
        elapsed_ms=1.25,
    )
    f = Finding(
        check="dns.spf.record",
        layer=Layer.DNS,
        status=Status.FAIL,
        subject="example.com",
        summary="bad",
        evidence=(ev,),
        cause="dns.spf.permerror",
        data={"lookups": 11, "tree": ("a", "b")},
    )
    report = Report(command="dns", subject="example.com", findings=(f,), elapsed_ms=3.0)
    data = json.loads(report.to_json())
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["exit_code"] == 1
    assert data["counts"]["fail"] == 1 and data["counts"]["pass"] == 0
    assert data["findings"][0]["layer"] == "dns"
    assert data["findings"][0]["evidence"][0]["raw"] == ["v=spf1 -all"]
    assert data["findings"][0]["data"] == {"lookups": 11, "tree": ["a", "b"]}


def test_secret_never_prints_itself():
    s = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    for text in (repr(s), str(s), f"{s}", f"{s!r}", json.dumps({"k": str(s)})):
        assert "wJalr" not in text
        assert hashlib.sha256(s.reveal().encode()).hexdigest()[:8] not in text
        assert text.endswith("Secret(***)") or "Secret(***)" in text
    assert s.reveal().startswith("wJalr")
    assert not hasattr(s, "fingerprint")
    assert redact("pw=hunter22 again hunter22", Secret("hunter22")) == (
        "pw=[redacted] again [redacted]"
    )
    with pytest.raises(TypeError):
        __import__("pickle").dumps(s)


def test_finding_maker_fills_family_defaults():
    from maildoctor.model import FindingMaker

    make = FindingMaker("dns.mx", Layer.DNS, "RFC 5321 §5.1")
    f = make(
        "null_mx",
        Status.FAIL,
        "example.com",
        "accepts no mail",
        cause="dns.mx.null_mx",
        data={"n": 1},
    )
    assert (f.check, f.layer, f.reference, f.cause) == (
        "dns.mx.null_mx",
        Layer.DNS,
        "RFC 5321 §5.1",
        "dns.mx.null_mx",
    )
    assert make("x", Status.PASS, "s", "t", reference="other").reference == "other"


def test_public_surface_is_pinned():
    import maildoctor

    assert set(maildoctor.__all__) == {
        "SCHEMA_VERSION",
        "Confidence",
        "Evidence",
        "ExitCode",
        "Finding",
        "FindingMaker",
        "Layer",
        "Report",
        "RootCause",
        "Status",
        "__version__",
    }
    for name in maildoctor.__all__:
        assert hasattr(maildoctor, name)
