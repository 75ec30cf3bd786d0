"""diagnose: every layer at once, nothing silently skipped, then one root cause per failure."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import io
import json
import re
import socket
import time
from pathlib import Path

import pytest

from maildoctor.cli import main
from maildoctor.context import Context
from maildoctor.demo import zones
from maildoctor.diagnose import (
    ADAPTERS,
    DiagnoseRequest,
    LayerAdapter,
    LayerUnavailable,
    ProgressEvent,
    Relay,
    diagnose,
    parse_relay,
)
from maildoctor.dns.resolver import StaticResolver
from maildoctor.errors import InputError
from maildoctor.model import Confidence, Evidence, ExitCode, Finding, Layer, LayerResult, Status
from maildoctor.secrets import Secret

PASSWORD = "BLBM/9hSUELfq8Gw+rU1YcBjkOxGbhT2XG763xVLGWL9"
SENDER = "admin@example.com"


@pytest.fixture
def ctx() -> Context:
    return Context(resolver=StaticResolver({}), timeout=1.0)


def finding(check: str, cause: str = "", status: Status = Status.FAIL, **kw) -> Finding:
    layer = Layer(check.split(".")[0])
    ev = Evidence(id=f"ev:{check}:{kw.get('subject', '')}", source="test", query=check)
    return Finding(
        check=check,
        layer=layer,
        status=status,
        subject=kw.get("subject", "s"),
        summary=check,
        cause=cause,
        evidence=(ev,),
    )


def fake(
    name: str,
    layer: Layer,
    *found: Finding,
    delay: float = 0.0,
    needs=None,
    error: BaseException | None = None,
) -> LayerAdapter:
    async def run(request: DiagnoseRequest, ctx: Context):
        await asyncio.sleep(delay)
        if error is not None:
            raise error
        return LayerResult(findings=found)

    return LayerAdapter(name=name, layer=layer, run=run, needs=needs or (lambda r: None))


INCIDENT = (
    fake(
        "bounce",
        Layer.RECIPIENT,
        finding("client.smtp_auth.reply", "client.smtp_auth.failed"),
        finding("recipient.bounce.reason", "recipient.rejected.dmarc", subject="u@example.net"),
    ),
    fake(
        "relay",
        Layer.CLIENT,
        finding("client.smtp_auth.login", "client.smtp_auth.stale_ses_password"),
    ),
    fake("ses", Layer.PROVIDER, finding("provider.ses.smtp_key", "provider.ses.smtp_key_deleted")),
    fake("dns", Layer.DNS, finding("dns.dkim.key", status=Status.PASS)),
)


async def test_incident_becomes_two_independent_causes(ctx):
    report = await diagnose(DiagnoseRequest(sender=SENDER), ctx=ctx, adapters=INCIDENT)
    assert [c.id for c in report.causes] == [
        "client.smtp_auth.stale_ses_password",
        "recipient.rejected.dmarc",
    ]
    creds = report.causes[0]
    assert set(creds.sources) == {"bounce", "relay", "ses"}  # tagged by diagnose
    assert creds.confidence == "high"
    assert report.causes[1].conflicts  # DNS says the DKIM key is fine
    assert report.exit_code is ExitCode.PROBLEMS
    assert report.command == "diagnose"
    assert report.meta["layers"]["bounce"]["state"] == "done"
    assert all(f.data["origin"] for f in report.findings)


async def test_layers_run_concurrently(ctx):
    slow = [
        fake(n, Layer.DNS, finding("dns.x.y", status=Status.PASS), delay=0.3)
        for n in ("a", "b", "c", "d")
    ]
    start = time.perf_counter()
    report = await diagnose(DiagnoseRequest(sender=SENDER), ctx=ctx, adapters=slow)
    assert time.perf_counter() - start < 0.6
    assert len(report.findings) == 4 and report.exit_code is ExitCode.OK


async def test_a_layer_that_cannot_run_says_why(ctx):
    adapters = [
        fake("dns", Layer.DNS, finding("dns.spf.record", status=Status.PASS)),
        fake("bounce", Layer.RECIPIENT, needs=lambda r: "no --bounce given"),
        fake("ses", Layer.PROVIDER, error=LayerUnavailable("no AWS credentials found")),
        fake("relay", Layer.CLIENT, error=LayerUnavailable("boom", status=Status.ERROR)),
    ]
    report = await diagnose(DiagnoseRequest(sender=SENDER), ctx=ctx, adapters=adapters)
    by_check = {f.check: f for f in report.findings}
    assert by_check["diagnose.bounce"].status is Status.SKIPPED
    assert "no --bounce given" in by_check["diagnose.bounce"].summary
    assert by_check["diagnose.ses"].status is Status.SKIPPED
    assert "no AWS credentials" in by_check["diagnose.ses"].summary
    assert by_check["diagnose.relay"].status is Status.ERROR
    assert report.exit_code is ExitCode.INCOMPLETE  # an error is never "healthy"
    assert report.meta["layers"]["ses"] == {
        "layer": "provider",
        "state": "skipped",
        "findings": 1,
        "elapsed_ms": pytest.approx(report.meta["layers"]["ses"]["elapsed_ms"]),
        "reason": "no AWS credentials found",
    }


async def test_a_crashing_layer_does_not_take_the_others_down_nor_leak_secrets(ctx):
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    adapters = [
        fake("relay", Layer.CLIENT, error=RuntimeError(f"bad password {PASSWORD} {secret}")),
        fake("dns", Layer.DNS, finding("dns.spf.lookup", "dns.spf.lookup_limit")),
    ]
    request = DiagnoseRequest(
        sender=SENDER, relay_password=Secret(PASSWORD), relay_secret=Secret(secret)
    )
    report = await diagnose(request, ctx=ctx, adapters=adapters)
    text = report.to_json()
    assert PASSWORD not in text and secret not in text
    assert "RuntimeError" in text and "[redacted]" in text
    assert [c.id for c in report.causes] == ["dns.spf.lookup_limit"]
    assert report.exit_code is ExitCode.PROBLEMS


async def test_a_hanging_layer_times_out(ctx):
    adapters = [fake("relay", Layer.CLIENT, delay=5)]
    request = DiagnoseRequest(sender=SENDER, layer_timeout=0.1)
    report = await diagnose(request, ctx=ctx, adapters=adapters)
    (f,) = [f for f in report.findings if f.check == "diagnose.relay"]
    assert f.status is Status.ERROR and "did not finish within 0.1 s" in f.summary


async def test_skip_on_request_and_nothing_checked(ctx):
    adapters = [fake("dns", Layer.DNS, finding("dns.spf.record", status=Status.PASS))]
    request = DiagnoseRequest(sender=SENDER, skip=frozenset({"dns"}))
    report = await diagnose(request, ctx=ctx, adapters=adapters)
    checks = {f.check: f.status for f in report.findings}
    assert checks == {"diagnose.dns": Status.SKIPPED, "diagnose.nothing_checked": Status.ERROR}
    assert report.exit_code is ExitCode.INCOMPLETE


async def test_progress_events(ctx):
    events: list[ProgressEvent] = []

    def broken(event: ProgressEvent) -> None:
        events.append(event)
        raise RuntimeError("display gone")

    adapters = [
        fake("dns", Layer.DNS, finding("dns.spf.record", status=Status.PASS)),
        fake("bounce", Layer.RECIPIENT, needs=lambda r: "no --bounce given"),
    ]
    await diagnose(DiagnoseRequest(sender=SENDER), ctx=ctx, adapters=adapters, progress=broken)
    assert [(e.adapter, e.state) for e in events if e.adapter == "dns"] == [
        ("dns", "running"),
        ("dns", "done"),
    ]
    assert [(e.adapter, e.state, e.detail) for e in events if e.adapter == "bounce"] == [
        ("bounce", "skipped", "no --bounce given")
    ]


async def test_a_bug_in_a_layer_is_an_internal_error_naming_it_never_a_skip(ctx, caplog):
    async def run(request, ctx):
        return {"not": "a LayerResult"}.findings  # an AttributeError: a bug in the layer

    adapters = [
        LayerAdapter(name="logs", layer=Layer.MESSAGE, run=run),
        fake("dns", Layer.DNS, finding("dns.spf.record", status=Status.PASS)),
    ]
    report = await diagnose(DiagnoseRequest(sender=SENDER), ctx=ctx, adapters=adapters)
    (bug,) = [f for f in report.findings if f.check == "diagnose.logs"]
    assert bug.status is Status.ERROR and bug.data["internal_error"] is True
    assert "logs layer" in bug.summary and "internal error" in bug.summary
    assert "AttributeError" in bug.summary
    assert report.meta["layers"]["logs"]["state"] == "error"
    assert report.exit_code is ExitCode.INCOMPLETE
    assert any("internal error in the logs layer" in r.message for r in caplog.records)


def test_every_default_layer_is_joined_by_a_direct_import():
    """No layer is reached by a module-name string: each run is a function of diagnose."""
    import inspect

    import maildoctor.diagnose as diagnose_module

    names = [a.name for a in ADAPTERS]
    assert names == [
        "relay",
        "postfix",
        "ses",
        "account",
        "dns",
        "blocklist",
        "recipient",
        "bounce",
        "reports",
        "headers",
        "logs",
    ]
    for adapter in ADAPTERS:
        assert adapter.run.__module__ == "maildoctor.diagnose"
        assert "from ." in inspect.getsource(adapter.run) or adapter.name == "recipient"
    assert "importlib" not in inspect.getsource(diagnose_module)


# -- the request ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sender": "not-an-address"},
        {"sender": "admin@localhost"},
        {"sender": SENDER, "recipients": ("bad address@example.net",)},
        {"sender": SENDER, "sending_ip": "198.51.100.300"},
        {"sender": SENDER, "provider": "sparkpost"},
    ],
)
def test_bad_requests_are_input_errors(kwargs):
    with pytest.raises(InputError):
        DiagnoseRequest(**kwargs)


def test_relay_parsing_and_ses_inference():
    assert parse_relay("email-smtp.us-east-1.amazonaws.com") == Relay(
        host="email-smtp.us-east-1.amazonaws.com", port=587
    )
    assert parse_relay("[2001:db8::1]:2587") == Relay(host="2001:db8::1", port=2587)
    assert str(parse_relay("[2001:db8::1]:2587")) == "[2001:db8::1]:2587"
    assert parse_relay("smtp.example.com:465").port == 465
    for bad in ("", ":25", "smtp.example.com:0", "smtp.example.com:x", "[2001:db8::1]:99999"):
        with pytest.raises(InputError):
            parse_relay(bad)
    request = DiagnoseRequest(
        sender=SENDER, relay=parse_relay("email-smtp.eu-west-1.amazonaws.com")
    )
    assert request.effective_provider == "ses" and request.effective_region == "eu-west-1"
    plain = DiagnoseRequest(sender=SENDER, relay=parse_relay("smtp.example.com"))
    assert plain.effective_provider is None and plain.effective_region is None
    explicit = DiagnoseRequest(
        sender=SENDER,
        provider="ses",
        region="us-west-2",
        relay=parse_relay("email-smtp.eu-west-1.amazonaws.com"),
    )
    assert explicit.effective_region == "us-west-2"


def test_request_description_has_no_secret():
    request = DiagnoseRequest(
        sender=SENDER,
        relay=parse_relay("smtp.example.com"),
        relay_user="AKIAIOSFODNN7EXAMPLE",
        relay_password=Secret(PASSWORD),
    )
    text = json.dumps(request.describe()) + repr(request)
    assert PASSWORD not in text
    assert hashlib.sha256(PASSWORD.encode()).hexdigest()[:8] not in text and "sha256" not in text
    assert request.describe()["relay_password"] == "given" and "AKIAIOSFODNN7EXAMPLE" in text


def test_default_adapters():
    names = [a.name for a in ADAPTERS]
    assert names == [
        "relay",
        "postfix",
        "ses",
        "account",
        "dns",
        "blocklist",
        "recipient",
        "bounce",
        "reports",
        "headers",
        "logs",
    ]
    assert len(set(names)) == len(names)


# -- real layers --------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def incident_dns(dns_server, resolver_for):
    dns_server.load(zones.incident_zone())
    return Context(resolver=resolver_for(dns_server), timeout=1.0)


async def test_real_layers_on_loopback(incident_dns, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    request = DiagnoseRequest(
        sender=SENDER,
        recipients=("user@example.net",),
        relay=Relay(host="127.0.0.1", port=closed_port()),
        relay_user="AKIAIOSFODNN7EXAMPLE",
        relay_password=Secret(PASSWORD),
        selectors=zones.DKIM_TOKENS,
        probe_mx=False,
    )
    report = await diagnose(request, ctx=incident_dns)
    layers = report.meta["layers"]
    assert layers["dns"]["state"] == "done" and layers["dns"]["findings"] > 5
    assert layers["relay"]["state"] == "done"
    assert layers["recipient"]["state"] == "done"
    for name in ("bounce", "headers", "logs"):
        assert layers[name]["state"] == "skipped"
    assert "client.smtp.unreachable" in {c.id for c in report.causes}
    assert PASSWORD not in report.to_json()
    assert report.exit_code is ExitCode.PROBLEMS


# -- the command line ---------------------------------------------------------------------


@pytest.fixture
def dns_args(dns_server):
    dns_server.load(zones.incident_zone())
    return ["--nameserver", f"127.0.0.1:{dns_server.port}", "--timeout", "1", "--retries", "0"]


def run_cli(args, capsys):
    code = main(["diagnose", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json(dns_args, capsys, monkeypatch):
    monkeypatch.setenv("MAILDOCTOR_SMTP_PASSWORD", PASSWORD)
    code, out, err = run_cli(
        [
            "--from",
            SENDER,
            "--relay",
            f"127.0.0.1:{closed_port()}",
            "--relay-user",
            "AKIAIOSFODNN7EXAMPLE",
            "--no-mx-probe",
            "--format",
            "json",
            *dns_args,
        ],
        capsys,
    )
    data = json.loads(out)
    assert code == 1 == data["exit_code"]
    assert "client.smtp.unreachable" in {c["id"] for c in data["causes"]}
    assert PASSWORD not in out + err
    assert data["meta"]["request"]["relay_password"] == "given"


def test_cli_password_from_stdin(dns_args, capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code, out, err = run_cli(
        [
            "--from",
            SENDER,
            "--relay",
            f"127.0.0.1:{closed_port()}",
            "--relay-user",
            "AKIAIOSFODNN7EXAMPLE",
            "--password-stdin",
            "--skip",
            "dns",
            "--format",
            "json",
            *dns_args,
        ],
        capsys,
    )
    data = json.loads(out)
    assert data["meta"]["request"]["relay_password"] == "given"
    assert PASSWORD not in out + err


def test_cli_empty_stdin_password_is_usage_error(dns_args, capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _out, err = run_cli(["--from", SENDER, "--password-stdin", *dns_args], capsys)
    assert code == 2 and "no password" in err


def test_cli_relay_user_without_a_password_is_usage_error(dns_args, capsys, monkeypatch):
    import io
    import sys

    monkeypatch.delenv("MAILDOCTOR_SMTP_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    argv = [
        "--from",
        SENDER,
        "--relay",
        "smtp.example.com:587",
        "--relay-user",
        "AKIAIOSFODNN7EXAMPLE",
    ]
    code, out, err = run_cli([*argv, *dns_args], capsys)
    assert code == 2 and "no password for --relay-user" in err and out == ""


def test_cli_empty_answer_at_the_password_prompt_is_usage_error(dns_args, capsys, monkeypatch):
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("MAILDOCTOR_SMTP_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    monkeypatch.setattr("click.prompt", lambda *args, **kwargs: "")
    argv = ["--from", SENDER, "--relay", "smtp.example.com", "--relay-user", "AKIAIOSFODNN7EXAMPLE"]
    code, out, err = run_cli([*argv, *dns_args], capsys)
    assert code == 2 and out == ""
    assert err == "maildoctor: no password for --relay-user: the prompt was answered empty\n"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_cli_formats_and_output_file(fmt, dns_args, capsys, tmp_path):
    target = tmp_path / f"report.{fmt}"
    code, out, err = run_cli(
        [
            "--from",
            SENDER,
            "--selector",
            zones.DKIM_TOKENS[0],
            "--format",
            fmt,
            "--output",
            str(target),
            *dns_args,
        ],
        capsys,
    )
    assert code == 0  # the incident's DNS alone: only the p=none advisory
    assert out == "" and "report written to" in err
    text = target.read_text(encoding="utf-8")
    assert "admin@example.com" in text
    assert "\x1b[" not in text  # no terminal colours in a file
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
    if fmt == "json":
        assert json.loads(text)["command"] == "diagnose"


def test_cli_text_shows_layers_and_verdict(dns_args, capsys):
    code, out, _err = run_cli(["--from", SENDER, *dns_args], capsys)
    assert code == 0
    assert "Verdict:" in out and "Layers" in out
    assert "no --bounce given" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--to", "user@example.net"],  # --from is required
        ["--from", "nobody"],
        ["--from", SENDER, "--sending-ip", "not-an-ip"],
        ["--from", SENDER, "--bounce", "/nonexistent/bounce.eml"],
        ["--from", SENDER, "--relay", "smtp.example.com:0"],
        ["--from", SENDER, "--format", "pdf"],
    ],
)
def test_cli_usage_errors(args, capsys):
    code, _out, err = run_cli(args, capsys)
    assert code == 2
    assert "Traceback" not in err


def test_cli_unwritable_output(dns_args, capsys, tmp_path):
    target = tmp_path / "missing-dir" / "report.json"
    code, _out, err = run_cli(["--from", SENDER, "--output", str(target), *dns_args], capsys)
    assert code == 2 and "cannot write" in err
    assert not Path(target).exists()


EXCHANGE_NDR = b"""\
Return-Path: <>
From: postmaster@example.net
To: admin@example.com
Subject: Undeliverable: Quarterly report
Date: Tue, 4 Mar 2025 10:10:00 +0000
Message-ID: <ndr-0002@example-net.mail.protection.outlook.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset="us-ascii"

Delivery has failed to these recipients or groups:

user@example.net
Your message wasn't delivered because the recipient's email provider rejected it.

Generating server: AM0PR01MB0001.eurprd01.prod.example.net
Remote server returned '550 5.7.509 Access denied, sending domain example.com does not pass
 DMARC verification and has a DMARC policy of reject.'

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; AM0PR01MB0001.eurprd01.prod.example.net

Final-Recipient: rfc822; user@example.net
Action: failed
Status: 5.7.509
Diagnostic-Code: smtp; 550 5.7.509 Access denied, sending domain example.com does not pass
 DMARC verification and has a DMARC policy of reject.
Remote-MTA: dns; example-net.mail.protection.outlook.com

--b1--
"""

RECEIVED = b"""\
Received: from a25.smtp-out.amazonses.com (a25.smtp-out.amazonses.com [198.51.100.25])
 by mx.example.net with ESMTPS id abc123 for <user@example.net>;
 Tue, 4 Mar 2025 10:09:58 +0000
Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=bounce@amazonses.com;
 dmarc=fail action=none header.from=example.com
From: Admin <admin@example.com>
To: user@example.net
Subject: Quarterly report
Date: Tue, 4 Mar 2025 10:09:57 +0000
Message-ID: <0100018e-0001@email.amazonses.com>

Hello.
"""

LOG = Path(__file__).resolve().parent / "fixtures" / "logs" / "postfix-ses-relay.log"


async def test_logs_and_headers_layers_for_real(incident_dns, tmp_path):
    headers = tmp_path / "received.eml"
    headers.write_bytes(RECEIVED)
    request = DiagnoseRequest(sender=SENDER, logs=(LOG,), headers=headers)
    report = await diagnose(request, ctx=incident_dns)
    layers = report.meta["layers"]
    assert layers["logs"]["state"] == "done" and layers["headers"]["state"] == "done"
    origins = {f.data["origin"] for f in report.findings if f.layer is Layer.MESSAGE}
    assert "headers" in origins
    creds = [c for c in report.causes if c.id == "client.smtp_auth.stale_ses_password"]
    assert creds and creds[0].sources == ("logs",)


async def test_the_two_independent_failures_of_the_reference_incident(incident_dns, tmp_path):
    ndr = tmp_path / "exchange-dmarc.eml"
    ndr.write_bytes(EXCHANGE_NDR)
    request = DiagnoseRequest(
        sender=SENDER,
        recipients=("user@example.net",),
        bounces=(ndr,),
        logs=(LOG,),
        selectors=zones.DKIM_TOKENS,
        probe_mx=False,
    )
    report = await diagnose(request, ctx=incident_dns)
    failing = {c.id for c in report.causes if c.severity is Status.FAIL}
    assert failing == {"client.smtp_auth.stale_ses_password", "recipient.rejected.dmarc"}
    dmarc = next(c for c in report.causes if c.id == "recipient.rejected.dmarc")
    assert dmarc.conflicts  # DNS shows the DKIM keys published
    assert report.exit_code is ExitCode.PROBLEMS


async def test_missing_evidence_files_are_errors_not_crashes(incident_dns, tmp_path):
    request = DiagnoseRequest(
        sender=SENDER, bounces=(tmp_path / "gone.eml",), headers=tmp_path / "gone-too.eml"
    )
    report = await diagnose(request, ctx=incident_dns)
    by_check = {f.check: f for f in report.findings}
    assert by_check["diagnose.bounce"].status is Status.ERROR
    assert "does not exist" in by_check["diagnose.bounce"].summary
    assert by_check["diagnose.headers"].status is Status.ERROR
    assert report.meta["layers"]["dns"]["state"] == "done"


@pytest.fixture
def no_aws_credentials(monkeypatch, tmp_path):
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ENDPOINT_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


async def test_ses_without_credentials_says_what_to_set(no_aws_credentials, ctx):
    ses = [a for a in ADAPTERS if a.name == "ses"]

    async def ses_finding(request: DiagnoseRequest) -> Finding:
        report = await diagnose(request, ctx=ctx, adapters=ses)
        return next(f for f in report.findings if f.check == "diagnose.ses")

    asked = await ses_finding(DiagnoseRequest(sender=SENDER, provider="ses", region="us-east-1"))
    assert asked.status is Status.ERROR and "AWS_PROFILE" in asked.summary
    relay = parse_relay("email-smtp.us-east-1.amazonaws.com")
    implied = await ses_finding(DiagnoseRequest(sender=SENDER, relay=relay))
    assert implied.status is Status.SKIPPED  # not asked for: a skip, not an error
    nothing = await ses_finding(DiagnoseRequest(sender=SENDER))
    assert "no --provider given" in nothing.summary


def test_progress_display_reports_each_layer():
    from rich.console import Console

    from maildoctor.cli.diagnose_cmd import _Progress
    from maildoctor.diagnose import ProgressState

    class Status:
        text = ""

        def update(self, text: str) -> None:
            self.text = text

    buffer = io.StringIO()
    status = Status()
    show = _Progress(Console(file=buffer, width=100), status)
    show(ProgressEvent(adapter="dns", state=ProgressState.RUNNING))
    show(ProgressEvent(adapter="relay", state=ProgressState.RUNNING))
    assert status.text == "checking dns, relay..."
    show(ProgressEvent(adapter="dns", state=ProgressState.DONE, findings=12))
    show(ProgressEvent(adapter="relay", state=ProgressState.ERROR, detail="timed out"))
    assert status.text == "checking correlating..."
    out = buffer.getvalue()
    assert "dns done (12 findings)" in out and "relay error: timed out" in out


def test_cli_progress_is_off_when_stderr_is_not_a_terminal(dns_args, capsys):
    code, out, err = run_cli(["--from", SENDER, "--format", "json", *dns_args], capsys)
    assert code == 0 and json.loads(out)["command"] == "diagnose"
    assert err == ""


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_cli_control_characters_in_a_bounce_never_reach_the_terminal(
    fmt, dns_args, capsys, tmp_path
):
    ndr = tmp_path / "hostile.eml"
    ndr.write_bytes(EXCHANGE_NDR.replace(b"Access denied,", b"Access \x1b[31mdenied\x07\x08,"))
    args = ["--from", SENDER, "--bounce", str(ndr), "--skip", "dns", "--format", fmt, "-v"]
    code, out, _err = run_cli([*args, *dns_args], capsys)
    assert code == 1
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    assert r"Access \x1b[31mdenied\x07\x08," in out  # shown, in the raw evidence block


REPORTS = Path(__file__).resolve().parent / "fixtures" / "reports" / "built"


async def test_aggregate_reports_support_the_dmarc_cause(incident_dns, tmp_path):
    ndr = tmp_path / "exchange-dmarc.eml"
    ndr.write_bytes(EXCHANGE_NDR)
    request = DiagnoseRequest(
        sender=SENDER,
        recipients=("user@example.net",),
        bounces=(ndr,),
        reports=(REPORTS / "microsoft-report.eml", REPORTS / "yahoo-report.eml"),
        selectors=zones.DKIM_TOKENS,
        probe_mx=False,
    )
    report = await diagnose(request, ctx=incident_dns)
    assert report.meta["layers"]["reports"]["state"] == "done"
    dmarc = next(c for c in report.causes if "recipient.rejected.dmarc" in c.ids)
    # The reports name the sender-side defect (SES signing as amazonses.com, not aligned),
    # which explains the bounce's DMARC rejection: one cause, two independent sources.
    assert dmarc.id == "dns.dkim.not_aligned"
    assert set(dmarc.sources) == {"reports", "bounce"}
    assert dmarc.confidence is Confidence.HIGH
    assert "198.51.100.25" in dmarc.subjects
    unknown = next(c for c in report.causes if c.id == "recipient.report.unknown_source")
    assert unknown.severity is Status.WARN and unknown.subjects == ("203.0.113.77",)
    without = await diagnose(dataclasses.replace(request, reports=()), ctx=incident_dns)
    alone = next(c for c in without.causes if "recipient.rejected.dmarc" in c.ids)
    assert alone.sources == ("bounce",) and alone.confidence is not Confidence.HIGH


async def test_unreadable_reports_are_an_error_not_a_crash(incident_dns, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<!DOCTYPE f [<!ENTITY a 'x'>]><feedback>&a;</feedback>")
    request = DiagnoseRequest(sender=SENDER, reports=(bad,), probe_mx=False)
    report = await diagnose(request, ctx=incident_dns)
    layer = report.meta["layers"]["reports"]
    assert layer["state"] != "done"
    finding = next(f for f in report.findings if f.check == "diagnose.reports")
    assert finding.status is Status.ERROR and "hostile XML refused" in finding.summary


def test_cli_reports_option(dns_args, capsys):
    code, out, _ = run_cli(
        [
            "--from",
            SENDER,
            "--reports",
            str(REPORTS / "reports.mbox"),
            "--reports",
            str(REPORTS / "tlsrpt-report.eml"),
            "--no-mx-probe",
            "--format",
            "json",
            *dns_args,
        ],
        capsys,
    )
    data = json.loads(out)
    assert code == 1 == data["exit_code"]
    assert data["meta"]["request"]["reports"] == [
        str(REPORTS / "reports.mbox"),
        str(REPORTS / "tlsrpt-report.eml"),
    ]
    ids = {c["id"] for c in data["causes"]}
    assert {"dns.dkim.not_aligned", "transport.tls_report.failures"} <= ids
    origins = {f["data"].get("origin") for f in data["findings"]}
    assert "reports" in origins
