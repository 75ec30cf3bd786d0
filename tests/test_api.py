"""The Python API: ``import maildoctor``, sync and async twins, the README's examples."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import io
import re
import shutil
from pathlib import Path

import pytest

import maildoctor
from maildoctor import api
from maildoctor.bounce.model import DeliveryStatus
from maildoctor.dns.resolver import Nameserver
from maildoctor.model import Report
from maildoctor.secrets import Secret
from maildoctor.testing.smtpserver import SesLikeServer, TestPki

ROOT = Path(__file__).resolve().parent.parent
BOUNCE = ROOT / "tests" / "fixtures" / "bounces" / "exo-5.7.509-dmarc.eml"
ZONE = {
    "example.com": [{"TXT": "v=spf1 -all"}, {"MX": [10, "mx.example.com"]}],
    "mx.example.com": [{"A": "192.0.2.25"}],
    "_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; rua=mailto:d@example.com"}],
    "example.org": [{"TXT": "v=spf1 include:_spf.example.org -all"}],
    "_spf.example.org": [{"TXT": "v=spf1 ip4:192.0.2.0/24 -all"}],
    "_dmarc.example.org": [{"TXT": "v=DMARC1; p=none"}],
}


@pytest.fixture
def system_dns(dns_server, monkeypatch):
    """The system's nameservers are a loopback server with ZONE (the test's 'Internet')."""
    dns_server.load(ZONE)
    server = Nameserver("127.0.0.1", dns_server.port)
    monkeypatch.setattr("maildoctor.dns.resolver.system_nameservers", lambda: [server])
    return dns_server


@pytest.fixture(scope="module")
def ses_like():
    """An SES-like relay on loopback (certificate for localhost) and its CA file."""
    pki = TestPki()
    with SesLikeServer(
        "us-east-1",
        current_secret=Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        pki=pki,
        access_key_id="AKIAIOSFODNN7EXAMPLE",
        cert_names=["localhost"],
    ) as server:
        yield server, pki.ca_file


def readme_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_the_readme_has_api_examples():
    blocks = readme_blocks()
    assert len(blocks) >= 2
    joined = "\n".join(blocks)
    for name in ("check_domain", "classify_bounces", "diagnose", "acheck_domain"):
        assert f"maildoctor.{name}(" in joined


@pytest.mark.parametrize("number", range(2))
def test_readme_python_blocks_run_as_written(number, system_dns, tmp_path, monkeypatch):
    shutil.copy(BOUNCE, tmp_path / "bounce.eml")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_blocks()[number], f"README.md block {number}", "exec"), {})
    printed = out.getvalue()
    if number == 0:
        assert "dns.dmarc" in printed and "friend@example.net" in printed
        assert "fix:" in printed  # the DMARC rejection of the bounce is a root cause
    else:
        assert "example.com" in printed and "example.org" in printed


def test_sync_and_async_twins_give_the_same_report(system_dns):
    report = maildoctor.check_domain("example.com")
    again = asyncio.run(maildoctor.acheck_domain("example.com"))
    assert isinstance(report, Report) and report.command == "dns"
    assert [(f.check, f.status) for f in report.findings] == [
        (f.check, f.status) for f in again.findings
    ]
    with pytest.raises(AttributeError):
        report.subject = "changed"  # type: ignore[misc]  # frozen


def test_bounces_come_back_as_frozen_records():
    records = maildoctor.classify_bounces(BOUNCE)
    assert records and all(isinstance(r, DeliveryStatus) for r in records)
    assert records[0].recipient == "friend@example.net"
    assert asyncio.run(maildoctor.aclassify_bounces(str(BOUNCE))) == records


def test_the_sync_names_refuse_a_running_loop_and_name_the_twin():
    async def inside() -> None:
        with pytest.raises(RuntimeError, match=r"await maildoctor\.acheck_domain"):
            maildoctor.check_domain("example.com")

    asyncio.run(inside())


def test_maildoctor_diagnose_is_both_the_module_and_the_function(system_dns):
    import maildoctor.diagnose as module

    assert maildoctor.diagnose is module and hasattr(module, "DiagnoseRequest")
    report = maildoctor.diagnose("sender@example.org", bounces=[BOUNCE], probe_mx=False)
    assert report.command == "diagnose"
    request = module.DiagnoseRequest(sender="sender@example.org", bounces=(BOUNCE,))
    assert maildoctor.diagnose(request).command == "diagnose"
    with pytest.raises(TypeError, match="not both"):
        maildoctor.diagnose(request, probe_mx=False)


def test_probe_relay_never_reports_the_password(ses_like, capsys):
    server, ca_file = ses_like
    password = "hunter2-not-the-right-one"
    report = maildoctor.probe_relay(
        "localhost", port=server.port, user="AKIAIOSFODNN7EXAMPLE", password=password,
        ca_file=ca_file, timeout=2,
    )  # fmt: skip
    steps = {f.check.rpartition(".")[2]: f for f in report.findings}
    assert steps["connect"].status == "pass"
    assert "auth" in steps and steps["auth"].status == "fail"
    assert password not in report.to_json() and password not in capsys.readouterr().out


def test_bad_input_is_an_input_error():
    with pytest.raises(maildoctor.api.InputError):
        maildoctor.diagnose("not an address")
    with pytest.raises(maildoctor.api.InputError):
        maildoctor.check_domain("example.com", nameservers=["not_a_server"])


def test_every_public_name_is_documented_with_args_and_returns():
    for name in maildoctor.__all__:
        obj = getattr(maildoctor, name)
        if name == "diagnose":
            obj = type(obj).__call__
        if not callable(obj) or inspect.isclass(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        assert "Args:" in doc and "Returns:" in doc, name
    for name in api.__all__:
        obj = getattr(api, name)
        if inspect.isfunction(obj):
            doc = inspect.getdoc(obj) or ""
            takes = bool(inspect.signature(obj).parameters)
            assert ("Args:" in doc or not takes) and "Returns:" in doc, name
