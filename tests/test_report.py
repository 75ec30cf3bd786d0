"""Reports in every format: JSON Schema, text, Markdown and HTML (with hostile input)."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from jsonschema import Draft202012Validator

from maildoctor.correlate import correlate
from maildoctor.model import SCHEMA_VERSION, Evidence, Finding, Layer, Report, Status
from maildoctor.report.html import render_html
from maildoctor.report.json_schema import SCHEMA, schema_json
from maildoctor.report.markdown import escape_md, render_markdown
from maildoctor.report.text import render_text

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = (
    '<script>alert(1)</script> "><img src=x onerror=alert(2)> '
    "[click](javascript:alert(3)) ![x](http://198.51.100.9/p.png) `x` | *y* & ```"
)


def incident_report(*, hostile: str = "") -> Report:
    """The reference incident as diagnose would report it; ``hostile`` goes where a bounce's
    text, a subject and a DNS record would."""
    text = f"550 5.7.509 Access denied {hostile}".strip()
    findings = (
        Finding(
            check="client.smtp_auth.reply",
            layer=Layer.CLIENT,
            status=Status.FAIL,
            subject="admin@example.com",
            summary="Gmail could not log in to the relay: 535 Authentication Credentials Invalid",
            cause="client.smtp_auth.failed",
            evidence=(
                Evidence(
                    id="bounce:1",
                    source="file",
                    query="bounce-1.eml",
                    outcome="535",
                    raw=("535 Authentication Credentials Invalid",),
                ),
            ),
            data={"origin": "bounce"},
        ),
        Finding(
            check="provider.ses.smtp_key",
            layer=Layer.PROVIDER,
            status=Status.FAIL,
            subject="AKIAIOSFODNN7EXAMPLE",
            summary="the access key behind the SMTP username was deleted",
            cause="provider.ses.smtp_key_deleted",
            fix="create a key and derive its SMTP password",
            evidence=(
                Evidence(
                    id="aws:iam:1",
                    source="aws",
                    query="iam GetAccessKeyLastUsed",
                    outcome="NoSuchEntity",
                ),
            ),
            data={"origin": "ses"},
        ),
        Finding(
            check="recipient.bounce.reason",
            layer=Layer.RECIPIENT,
            status=Status.FAIL,
            subject=f"user@example.net {hostile}".strip(),
            summary=text,
            detail=hostile,
            cause="recipient.rejected.dmarc",
            evidence=(
                Evidence(
                    id="bounce:2",
                    source="file",
                    query="bounce-2.eml",
                    server="example-net.mail.protection.outlook.com",
                    outcome="550",
                    raw=(text,),
                ),
            ),
            data={"origin": "bounce"},
        ),
        Finding(
            check="dns.dmarc.policy",
            layer=Layer.DNS,
            status=Status.WARN,
            subject="example.com",
            summary=f"p=none {hostile}".strip(),
            cause="dns.dmarc.policy_none",
            evidence=(
                Evidence(
                    id="dns:TXT:_dmarc.example.com",
                    source="dns",
                    query="_dmarc.example.com TXT",
                    server="127.0.0.1:53",
                    outcome="answer",
                    raw=(f"v=DMARC1; p=none {hostile}",),
                ),
            ),
            data={"origin": "dns"},
        ),
        Finding(
            check="dns.dkim.key",
            layer=Layer.DNS,
            status=Status.PASS,
            subject="token._domainkey.example.com",
            summary="2048-bit RSA key",
            data={"origin": "dns"},
        ),
        Finding(
            check="diagnose.logs",
            layer=Layer.MESSAGE,
            status=Status.SKIPPED,
            subject="admin@example.com",
            summary="logs layer not checked: no --log given",
            data={"origin": "logs"},
        ),
    )
    return Report(
        command="diagnose",
        subject="admin@example.com -> user@example.net",
        findings=findings,
        elapsed_ms=12.5,
        meta={
            "layers": {
                "logs": {
                    "layer": "message",
                    "state": "skipped",
                    "findings": 1,
                    "elapsed_ms": 0.0,
                    "reason": "no --log given",
                }
            }
        },
        causes=correlate(findings),
    )


# -- JSON ---------------------------------------------------------------------------------


def test_published_schema_is_in_sync():
    published = (ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8")
    assert published == schema_json(), (
        "docs/report.schema.json is stale: run "
        "`python -m maildoctor.report.json_schema > docs/report.schema.json`"
    )
    Draft202012Validator.check_schema(SCHEMA)


def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads((ROOT / "docs" / "report.schema.json").read_text()))


def test_diagnose_report_validates():
    data = json.loads(incident_report(hostile=HOSTILE).to_json())
    validator().validate(data)
    assert data["schema_version"] == SCHEMA_VERSION
    assert [c["id"] for c in data["causes"]] == [
        "provider.ses.smtp_key_deleted",
        "recipient.rejected.dmarc",
        "dns.dmarc.policy_none",
    ]


def test_layer_command_report_validates():
    f = Finding(
        check="dns.spf.record",
        layer=Layer.DNS,
        status=Status.PASS,
        subject="example.com",
        summary="ok",
    )
    validator().validate(Report(command="dns", subject="example.com", findings=(f,)).to_dict())


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("causes"),
        lambda d: d["causes"][0].update(confidence="certain"),
        lambda d: d["causes"][0].update(layer="sky"),
        lambda d: d["causes"][0].pop("does_not_fix"),
        lambda d: d["findings"][0].update(status="bad"),
        lambda d: d.update(exit_code=2),
    ],
)
def test_schema_rejects_broken_reports(mutate):
    data = incident_report().to_dict()
    mutate(data)
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(data)


# -- text ---------------------------------------------------------------------------------


def render(report: Report, **kw) -> str:
    buffer = io.StringIO()
    render_text(report, file=buffer, **kw)
    return buffer.getvalue()


def test_text_puts_root_causes_first_with_fix_and_limits():
    out = render(incident_report())
    causes_at = out.index("Root causes (2, independent)")
    assert causes_at < out.index("Advisories (1)") < out.index("Findings by layer")
    assert out.index("SMTP username is an IAM access key that no longer exists") < out.index(
        "failed DMARC"
    )
    for label in (
        "why:",
        "evidence:",
        "fix:",
        "does not fix:",
        "confidence high",
        "merged with:",
        "for this case:",
        "conflicting evidence:",
    ):
        assert label in out, label
    assert "seen by ses, bounce" in out  # sources in precedence order of their ids
    assert "Corrections to common advice" in out and "112358132134" in out
    assert "Verdict:" in out and "mail is failing" in out
    assert "skip logs" in out  # the layer that did not run, with its reason
    assert "(exit 1)" in out


def test_text_does_not_interpret_markup_from_outside():
    out = render(incident_report(hostile="[bold red]x[/] [link=http://198.51.100.9]y[/link]"))
    assert "[bold red]x[/]" in out and "[link=http://198.51.100.9]y[/link]" in out


def test_text_shows_control_characters_instead_of_sending_them():
    hostile = "\x1b[2J\x1b]0;owned\x07 \x9b31m text\r"
    f = Finding(
        check="transport.mx.banner",
        layer=Layer.TRANSPORT,
        status=Status.FAIL,
        subject="mx.example.com",
        summary=f"banner {hostile}",
        detail=f"said {hostile}\nsecond line",
        evidence=(Evidence(id="smtp:1", source="smtp", query="banner", raw=(hostile,)),),
    )
    out = render(Report(command="mx", subject="example.com", findings=(f,)), verbose=True)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    assert "banner \\x1b[2J\\x1b]0;owned\\x07 \\x9b31m text" in out
    assert "second line" in out


def test_text_keeps_one_outside_value_on_one_line():
    # str.splitlines() also breaks at VT, FF, FS/GS/RS, NEL and U+2028: a log line full of
    # them must still print as one line, with the characters shown.
    junk = "a\x0bb\x0cc\x1dd\x85e\u2028f"
    f = Finding(
        check="client.logs.unrecognised",
        layer=Layer.CLIENT,
        status=Status.WARN,
        subject="mail.log",
        summary="unknown format",
        detail=f"mail.log:1: {junk}",
    )
    out = render(Report(command="logs", subject="mail.log", findings=(f,)))
    [line] = [x for x in out.splitlines() if "mail.log:1:" in x]
    assert line.strip() == "mail.log:1: a\\x0bb\\x0cc\\x1dd\\x85e\\u2028f"


def test_text_for_layer_commands_is_unchanged():
    f = Finding(
        check="dns.spf.record",
        layer=Layer.DNS,
        status=Status.PASS,
        subject="example.com",
        summary="SPF record found",
    )
    out = render(Report(command="dns", subject="example.com", findings=(f,)))
    assert "Root causes" not in out and "Verdict" not in out and "Layers" not in out
    assert "dns.spf" in out and "SPF record found" in out and "(exit 0)" in out


def test_text_incomplete_diagnosis_is_not_healthy():
    f = Finding(
        check="diagnose.dns",
        layer=Layer.DNS,
        status=Status.ERROR,
        subject="example.com",
        summary="dns could not be checked",
    )
    out = render(Report(command="diagnose", subject="example.com", findings=(f,)))
    assert "incomplete" in out and "not a clean bill of health" in out and "(exit 3)" in out


# -- Markdown -----------------------------------------------------------------------------


def test_markdown_for_a_ticket():
    md = render_markdown(incident_report())
    assert md.startswith("# maildoctor diagnose: admin@example.com -\\> user@example.net")
    assert "## Root causes (2)" in md and "## Advisories (1)" in md
    assert "**Fix:**" in md and "**Does not fix:**" in md and "**Evidence:**" in md
    assert "## Corrections to common advice" in md
    assert "| status | check | subject | summary |" in md
    assert "```text" in md  # raw evidence of failures in code blocks


def test_markdown_escapes_outside_values():
    md = render_markdown(incident_report(hostile=HOSTILE), verbose=True)
    outside = md[: md.index("```text")]  # before the raw evidence blocks
    assert not re.search(r"(?<!\\)<(script|img)", outside)
    assert not re.search(r"(?<!\\)\]\(javascript:", outside) and "![x](" not in outside
    assert "\\<script\\>" in outside
    # a table row stays one row: the pipe in the value is escaped
    row = next(line for line in md.splitlines() if line.startswith("| fail | `recipient"))
    assert row.count(" | ") == 3
    # a value holding ``` cannot close its code block early
    assert "\n````text\n" in md


def test_escape_md():
    # the newline is shown as \n (its backslash escaped for Markdown), not folded away
    assert escape_md("a*b_c\n[d](e)") == "a\\*b\\_c\\\\n\\[d\\]\\(e\\)"
    assert escape_md("red\x1b[31m\x07") == "red\\\\x1b\\[31m\\\\x07"  # shown, not sent


# -- HTML ---------------------------------------------------------------------------------


class Collector(HTMLParser):
    """Every start tag and attribute a browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "strong",
    "code",
    "section",
    "ul",
    "ol",
    "li",
    "span",
    "table",
    "tr",
    "th",
    "td",
    "details",
    "summary",
    "pre",
}


def test_hostile_bounce_cannot_inject_markup():
    page = render_html(incident_report(hostile=HOSTILE), verbose=True)
    parser = Collector()
    parser.feed(page)
    tags = {t for t, _ in parser.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "src" not in attrs and "href" not in attrs
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page


def test_html_is_self_contained_and_readable_without_javascript():
    page = render_html(incident_report())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    parser = Collector()
    parser.feed(page)
    csp = [a["content"] for t, a in parser.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and csp[0].startswith("default-src 'none'")
    assert "http://" not in page.replace("http-equiv", "")  # no outside resource
    for text in (
        "Root causes (2)",
        "Advisories (1)",
        "Corrections to common advice",
        "Does not fix",
        "confidence",
        "<details open>",
        "Findings by layer",
    ):
        assert text in page, text
    assert "<code>maildoctor ses-smtp-password --region &lt;region&gt;</code>" in page


def test_verdict_says_which_layers_were_not_checked():
    from maildoctor.report import coverage

    meta = {
        "layers": {
            "dns": {"state": "done"},
            "relay": {"state": "skipped"},
            "ses": {"state": "error"},
        }
    }
    assert coverage(meta) == "checked 1 of 3 layers; not checked: relay, ses (see Layers)"
    assert coverage({"layers": {"dns": {"state": "done"}}}) == ""
    assert coverage({}) == ""
    report = Report(command="diagnose", subject="a@example.com", findings=(), meta=meta)
    assert "not checked: relay, ses" in render_markdown(report)
    assert "not checked: relay, ses" in render_html(report)
