"""Bounded fuzzing, every CI run: logs, DNS records, SMTP replies, transcripts, reports.

Bounce and header parsers have their own (tests/bounce/test_fuzz.py,
tests/message/test_msg_fuzz.py). Inputs are seeded with the corpora under tests/fixtures
and mutated (cut, spliced with junk, hostile characters inserted). Each property asserts
what must hold for any input - no exception but the documented ones, bounded output,
nothing invisible in rendered text - and a per-example deadline turns a hang into a
failure. Examples are fixed in number (about ten seconds in all); a crash or hang found
here becomes a plain test in tests/test_fuzz_regressions.py.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maildoctor.dns.dkim import parse_dkim_key
from maildoctor.dns.dmarc_record import parse_dmarc
from maildoctor.dns.spf_parse import parse_record
from maildoctor.errors import InputError
from maildoctor.escaping import printable
from maildoctor.logs.formats import parse_line
from maildoctor.logs.parse import ParseState, find_reply
from maildoctor.model import Finding, Layer, Report, Status
from maildoctor.report.html import render_html
from maildoctor.report.markdown import render_markdown
from maildoctor.smtp.client import make_reply, parse_ehlo, parse_reply_line
from maildoctor.smtp.exceptions import ProtocolViolation
from maildoctor.smtp.plan import plan_probe
from maildoctor.smtp.probe import Credentials
from maildoctor.smtp.replies import interpret
from maildoctor.smtp.transcript import Transcript
from maildoctor.smtp.verdicts import relay_findings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BOUNDED = settings(
    max_examples=120,
    deadline=timedelta(seconds=5),  # a hang fails instead of stalling CI
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples every run: a failure is reproducible
)
HOSTILE = st.sampled_from(
    ["\n", "\r", "\x00", "\x1b[2J", "\u202e", "\u200b", "\u2028", "\ufeff", "\x85", "(", ")", ";",
     "=", "%{", "\\", "'", '"', " " * 50, "a" * 300]
)  # fmt: skip
LOG_LINES = [
    line
    for path in sorted((FIXTURES / "logs").iterdir())
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:40]
    if line.strip()
]
SPF = [
    "v=spf1 include:_spf.example.com ip4:192.0.2.0/24 ip6:2001:db8::/32 mx a:%{d} ~all",
    "v=spf1 redirect=_spf.example.net",
    "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all",
]
DMARC = [
    "v=DMARC1; p=reject; rua=mailto:d@example.com!10m; ruf=mailto:f@example.com; fo=1:d",
    "v=DMARC1; p=none; sp=quarantine; pct=50; adkim=s; aspf=r; ri=3600; np=reject",
]
DKIM = [
    "v=DKIM1; k=rsa; h=sha256; s=email; t=y:s; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDw",
    "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
]
REPLIES = [b"250-mx.example.com\r\n", b"250 AUTH PLAIN LOGIN\r\n", b"535 5.7.8 Authentication "
           b"Credentials Invalid\r\n", b"554 Message rejected: Email address is not verified.\r\n",
           b"421 4.7.0 Temporary System Problem\r\n", b"334 VXNlcm5hbWU6\r\n"]  # fmt: skip


def mutated(seeds: list[str]) -> st.SearchStrategy[str]:
    """A seed cut at a random place, with hostile or random text spliced in."""
    return st.builds(
        lambda seed, cut, junk: seed[:cut] + junk + seed[cut:],
        st.sampled_from(seeds),
        st.integers(0, 400),
        st.one_of(HOSTILE, st.text(max_size=40)),
    )


@BOUNDED
@given(st.one_of(mutated(LOG_LINES), st.text(max_size=2000)))
def test_log_lines(line: str) -> None:
    parse_line(line, ParseState())
    reply = find_reply(line)
    if reply is not None:
        assert 200 <= reply.code <= 599 and len(reply.text) <= 500


@BOUNDED
@given(st.one_of(mutated(SPF), st.text(max_size=600)))
def test_spf_records(text: str) -> None:
    record = parse_record(text)
    assert record is not None


@BOUNDED
@given(st.one_of(mutated(DMARC), st.text(max_size=600)))
def test_dmarc_records(text: str) -> None:
    parse_dmarc(text)


@BOUNDED
@given(st.one_of(mutated(DKIM), st.text(max_size=600)))
def test_dkim_records(text: str) -> None:
    parse_dkim_key(text)


@BOUNDED
@given(st.one_of(st.sampled_from(REPLIES), st.binary(max_size=600)), st.binary(max_size=20))
def test_smtp_reply_lines(seed: bytes, junk: bytes) -> None:
    for raw in (seed, seed[:4] + junk + seed[4:]):
        try:
            code, _, text = parse_reply_line(raw)
        except ProtocolViolation:
            continue
        reply = make_reply(code, [text])
        interpret(reply, host="email-smtp.us-east-1.amazonaws.com")
        parse_ehlo(make_reply(250, ["mx.example.com", text]))


STEP = st.fixed_dictionaries(
    {
        "step": st.sampled_from(["connect", "banner", "ehlo", "starttls", "tls", "ehlo_tls",
                                 "auth_mechanisms", "auth", "mail_from", "rcpt_to", "data",
                                 "quit", "x"]),
        "code": st.one_of(st.none(), st.integers(200, 599)),
        "lines": st.lists(st.text(max_size=30), max_size=3),
        "error": st.sampled_from(["", "timeout", "dropped", "protocol", "certificate", "odd"]),
        "note": st.sampled_from(["", "auth_not_offered", "no_credentials", "plaintext_refused",
                                 "starttls_not_offered", "no_recipient", "offered"]),
        "data": st.fixed_dictionaries({}, optional={"tls": st.just({"version": "TLSv1.3"}),
                                                    "addresses": st.just(["192.0.2.1"])}),
    }
)  # fmt: skip


@BOUNDED
@given(st.lists(STEP, max_size=14), st.booleans())
def test_transcripts_judged_without_crash_or_false_pass(steps: list[dict], verify: bool) -> None:
    """Any recorded conversation is judged; a step whose reply was not due never passes."""
    import json

    raw = {"transcript_version": 1, "host": "relay.example.com", "port": 587, "user": "u",
           "mail_from": "a@example.com", "rcpt_to": ["b@example.net"], "verify_tls": verify,
           "steps": steps}  # fmt: skip
    try:
        transcript = Transcript.from_json(json.dumps(raw))
    except InputError:
        return
    plan = plan_probe("relay.example.com", port=587)
    found = relay_findings(transcript, plan, Credentials(user="u"), now=0.0)
    for f in found:
        step = f.check.removeprefix("client.smtp.")
        codes = [s.code for s in transcript.steps if s.step == step and s.code is not None]
        if f.status == Status.PASS and step in ("banner", "ehlo", "mail_from") and codes:
            assert codes[0] == {"banner": 220}.get(step, 250), (step, codes, f.summary)


@BOUNDED
@given(st.text(max_size=300))
def test_rendered_reports_show_nothing_invisible(text: str) -> None:
    shown = printable(text)
    assert "\n" not in shown and "\r" not in shown and "\u202e" not in shown
    finding = Finding(
        check="dns.spf.record", layer=Layer.DNS, status=Status.FAIL, subject=text, summary=text
    )
    report = Report(command="dns", subject=text, findings=(finding,))
    for out in (render_markdown(report), render_html(report)):
        assert "\u202e" not in out and "\x1b" not in out and "\u200b" not in out
