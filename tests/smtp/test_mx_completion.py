"""The completion rule at the recipient's MX: a dialogue that did not finish is never a pass.

A scripted MX answers one step with a temporary failure (4xx), a reply that is not the one
due (3xx), silence or a hang-up; that step's finding is ``error`` (temporary or incomplete)
or ``fail`` (no reply), never ``pass``.
"""

from __future__ import annotations

import asyncio

import pytest

from maildoctor.smtp.mx_probe import check_mx
from maildoctor.testing.smtpserver import ScriptedSmtpServer

MX = "mx.example.com"
CASES = [
    ("banner", "421 4.3.2 Service not available", "transport.mx.banner", "error"),
    ("banner", "hangup", "transport.mx.banner", "fail"),
    ("ehlo", "421 4.3.2 Service not available", "transport.mx.ehlo", "error"),
    ("ehlo", "354 go ahead", "transport.mx.ehlo", "error"),
    ("ehlo", "timeout", "transport.mx.ehlo", "fail"),
    ("starttls", "454 4.7.0 TLS not available", "transport.mx.starttls", "error"),
    ("ehlo_tls", "451 4.3.0 try later", "transport.mx.ehlo_tls", "error"),
    ("ehlo_tls", "hangup", "transport.mx.ehlo_tls", "fail"),
]


@pytest.mark.parametrize(("step", "behaviour", "check", "status"), CASES)
async def test_mx_step_not_completed(pki, make_ctx, step, behaviour, check, status):
    with ScriptedSmtpServer({step: behaviour}, pki=pki, host_name=MX) as server:
        ctx = make_ctx(MX, timeout=0.5, records={"example.net": {"MX": [f"10 {MX}"]}})
        found = await asyncio.wait_for(check_mx("example.net", port=server.port, ctx=ctx), 10)
    by_check = {f.check: str(f.status) for f in found if f.subject == MX}
    assert by_check.get(check) == status, by_check


async def test_mx_dialogue_that_completes_passes(pki, make_ctx):
    with ScriptedSmtpServer({}, pki=pki, host_name=MX) as server:
        ctx = make_ctx(MX, timeout=0.5, records={"example.net": {"MX": [f"10 {MX}"]}})
        found = await asyncio.wait_for(check_mx("example.net", port=server.port, ctx=ctx), 10)
    by_check = {f.check: str(f.status) for f in found if f.subject == MX}
    assert by_check["transport.mx.starttls"] == "pass" and "transport.mx.ehlo_tls" not in by_check
    assert by_check["transport.mx.certificate"] == "pass", by_check
