"""``maildoctor reports FILE|DIR|mbox|- ...``: DMARC aggregate and failure reports, TLS reports.

Output is streamed, one report at a time: in text, a line per report and a line per
aggregate record, then the sources that fail DMARC and why, and a table per source IP and
reporter; with ``--format json``, JSON lines (one object per report, ``type`` aggregate, tls,
failure, error or not_report), then one ``summary`` object with the findings. Exit codes: 0
nothing wrong, 1 a source of the domain fails DMARC or TLS sessions fail, 2 an input could
not be read as a report (each named on standard error in one line) or none was found.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..escaping import json_safe, printable, printable_lines
from ..model import Finding, Report, Status
from ..reports.analyze import Digest
from ..reports.findings import digest_findings
from ..reports.reader import iter_reports
from ..reports.render import JSON_VERSION, digest_text, item_text, report_dict
from .bounce_cmd import check_paths
from .common import FORMATS


@click.command("reports")
@click.argument("paths", metavar="FILE|DIR|mbox|-...", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice((*FORMATS, "markdown")),
    default="text",
    show_default=True,
    help="text; json: one JSON object per report (JSON lines), then a summary object; "
    "markdown: the findings and root causes only.",
)
@click.option(
    "--domain",
    default="",
    metavar="DOMAIN",
    help="Count only records about this domain (and its subdomains).",
)
@click.option("--summary", is_flag=True, help="Only the summary, not each report.")
@click.option("-v", "--verbose", is_flag=True, help="Also name inputs that carry no report.")
def command(paths: tuple[str, ...], fmt: str, domain: str, summary: bool, verbose: bool) -> int:
    """Read DMARC aggregate reports (XML, .gz, .zip, e-mails; RFC 7489 and RFC 9990),
    DMARC failure reports (ARF auth-failure) and SMTP TLS reports (RFC 8460).

    Per report a summary and its records; then which of the domain's sources fail DMARC
    and why ("198.51.100.25 (amazonses.com): DKIM pass for amazonses.com, not aligned"),
    and per source IP and reporter the messages, DMARC, aligned DKIM and SPF passes,
    dispositions and override reasons. Nothing named inside a report is ever fetched.
    """
    check_paths(paths)
    digest = Digest(domain=domain.strip().lower().rstrip("."))
    out = sys.stdout
    for path in paths:
        for item in iter_reports(path):
            digest.add(item)
            if item.report is None:
                _complain(item.origin, item.error, item.invalid, verbose)
            if summary or fmt == "markdown":
                continue
            if fmt == "json":
                out.write(json_safe(json.dumps(report_dict(item), ensure_ascii=False)) + "\n")
            elif item.report is not None:
                out.write("\n".join(printable_lines(item_text(item))))
    findings = digest_findings(digest)
    if fmt == "json":
        out.write(json_safe(json.dumps(_summary(digest, findings), ensure_ascii=False)) + "\n")
    elif fmt == "markdown":
        out.write(_markdown(digest, findings))
    elif digest.reports or digest.duplicates:  # with nothing read, the errors say it all
        out.write("\n".join(printable_lines(digest_text(digest))))
    return _exit_code(digest, findings)


def _markdown(digest: Digest, findings: tuple[Finding, ...]) -> str:
    from ..correlate import correlate
    from ..report.markdown import render_markdown

    subject = digest.domain or "DMARC and TLS reports"
    report = Report(
        command="reports", subject=subject, findings=findings, causes=correlate(findings)
    )
    return render_markdown(report)


def _complain(origin: str, error: str, invalid: bool, verbose: bool) -> None:
    if invalid:
        click.echo(printable(f"maildoctor: {origin}: {error}"[:500].replace("\n", " ")), err=True)
    elif verbose:
        click.echo(printable(f"{origin}: {error}".replace("\n", " ")), err=True)


def _summary(digest: Digest, findings: Any) -> dict[str, Any]:
    return {
        "type": "summary",
        "version": JSON_VERSION,
        "reports": dict(digest.reports),
        "duplicates": digest.duplicates,
        "messages": digest.messages,
        "dmarc_fail": digest.failing,
        "unreadable": digest.invalid,
        "not_reports": digest.not_reports,
        "findings": [f.to_dict() for f in findings],
    }


def _exit_code(digest: Digest, findings: Any) -> int:
    if digest.invalid:
        return 2
    if not digest.reports and not digest.duplicates:
        click.echo("maildoctor: no DMARC or TLS report found in the input", err=True)
        return 2
    return 1 if any(f.status == Status.FAIL for f in findings) else 0
