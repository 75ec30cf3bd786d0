"""diagnose: every layer at once, nothing silently skipped, then one root cause per failure."""

from __future__ import annotations

import asyncio
import json
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
    as_findings,
    diagnose,
    parse_relay,
)
from maildoctor.dns.resolver import StaticResolver
from maildoctor.errors import InputError
from maildoctor.model import Evidence, ExitCode, Finding, Layer, Report, Status
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
        return found

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
        "provider.ses.smtp_key_deleted",
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


async def test_a_layer_returning_garbage_is_an_error(ctx):
    async def run(request, ctx):
        return {"not": "findings"}

    adapters = [LayerAdapter(name="logs", layer=Layer.MESSAGE, run=run)]
    report = await diagnose(DiagnoseRequest(sender=SENDER), ctx=ctx, adapters=adapters)
    assert report.findings[0].status is Status.ERROR
    assert "not findings" in report.findings[0].summary


def test_as_findings_accepts_what_layers_return():
    one = finding("dns.spf.record", status=Status.PASS)
    report = Report(command="dns", subject="example.com", findings=(one,))
    assert as_findings(report) == (one,)
    assert as_findings([one]) == (one,)
    assert as_findings(one) == (one,)
    with pytest.raises(TypeError):
        as_findings("text")


# -- the request ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sender": "not-an-address"},
        {"sender": "admin@localhost"},
        {"sender": SENDER, "recipients": ("bad address@example.net",)},
        {"sender": SENDER, "sending_ip": "198.51.100.300"},
        {"sender": SENDER, "provider": "mailgun"},
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
    assert Secret(PASSWORD).fingerprint in text and "AKIAIOSFODNN7EXAMPLE" in text


def test_default_adapters():
    names = [a.name for a in ADAPTERS]
    assert names == ["relay", "ses", "dns", "recipient", "bounce", "headers", "logs"]
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
    assert data["meta"]["request"]["relay_password"] == Secret(PASSWORD).fingerprint


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
    assert data["meta"]["request"]["relay_password"] == Secret(PASSWORD).fingerprint
    assert PASSWORD not in out + err


def test_cli_empty_stdin_password_is_usage_error(dns_args, capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _out, err = run_cli(["--from", SENDER, "--password-stdin", *dns_args], capsys)
    assert code == 2 and "no password" in err


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
