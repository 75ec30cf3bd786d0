"""``maildoctor reports``: output, JSON lines, exit codes, one-line errors."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from maildoctor.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["reports", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_names_failing_sources(capsys: pytest.CaptureFixture[str], built: Path) -> None:
    code, out, err = _run(capsys, str(built / "microsoft-report.eml"))
    assert code == 1, err
    assert "DMARC aggregate report from Enterprise Outlook" in out
    assert "198.51.100.25 (amazonses.com): DKIM pass for amazonses.com, not aligned" in out
    assert "-> dns.dkim.not_aligned" in out
    assert err == ""


def test_json_lines(capsys: pytest.CaptureFixture[str], built: Path) -> None:
    code, out, _ = _run(capsys, "--format", "json", str(built / "mimecast.xml"))
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["type"] for line in lines] == ["aggregate", "summary"]
    assert [r["count"] for r in lines[0]["records"]] == [6, 11, 48]
    assert lines[0]["records"][0]["reasons"] == [
        {"type": "forwarded", "comment": "looks forwarded by a list server"}
    ]
    assert lines[1]["messages"] == 65 and lines[1]["dmarc_fail"] == 17
    assert code == 1


def test_healthy_reports_exit_zero(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    xml = (
        "<feedback><report_metadata><org_name>r</org_name><report_id>1</report_id>"
        "</report_metadata><policy_published><domain>example.com</domain><p>reject</p>"
        "</policy_published><record><row><source_ip>192.0.2.1</source_ip><count>4</count>"
        "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf>"
        "</policy_evaluated></row><identifiers><header_from>example.com</header_from>"
        "</identifiers><auth_results><dkim><domain>example.com</domain><result>pass</result>"
        "</dkim></auth_results></record></feedback>"
    )
    path = tmp_path / "ok.xml.gz"
    path.write_bytes(gzip.compress(xml.encode()))
    code, out, err = _run(capsys, "--summary", str(path))
    assert code == 0, err
    assert "Sources failing DMARC: none" in out


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<feedback><record>", "not well-formed XML"),
        (b'<!DOCTYPE f [<!ENTITY a "x">]><feedback>&a;</feedback>', "hostile XML refused"),
        (gzip.compress(b"<feedback/>")[:10], "truncated gzip"),
        (b"From: a@example.com\n\nhello\n", "not a report"),
    ],
)
def test_invalid_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "bad"
    path.write_bytes(content)
    code, _, err = _run(capsys, str(path))
    assert code == 2
    assert words in err or "no DMARC or TLS report found" in err
    assert "Traceback" not in err
    assert all(line.startswith("maildoctor: ") for line in err.splitlines())


def test_bad_file_among_good_ones_exits_2_but_reads_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, built: Path
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<feedback><record><row><count>x</count></row></record></feedback>")
    code, out, err = _run(capsys, str(built / "mimecast.xml"), str(bad))
    assert code == 2
    assert err.strip() == f"maildoctor: {bad}: record 1: count 'x' is not a non-negative integer"
    assert "DMARC aggregate report from Mimecast" in out


def test_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, str(tmp_path / "none.xml"))
    assert code == 2 and "no such file" in err


def test_control_characters_from_reports_are_not_printed_raw(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "esc.json"
    path.write_text(
        json.dumps({"organization-name": "evil\x1b[31m", "policies": [{"summary": {}}]})
    )
    code, out, _ = _run(capsys, str(path))
    assert code == 0
    assert "evil\\x1b[31m" in out and "\x1b" not in out


def test_markdown_names_the_root_cause(capsys: pytest.CaptureFixture[str], built: Path) -> None:
    code, out, _ = _run(
        capsys, "--format", "markdown", "--domain", "example.com", str(built / "yahoo-report.eml")
    )
    assert code == 1
    assert out.startswith("# maildoctor reports: example.com")
    assert "`dns.dkim.not_aligned`" in out and "`recipient.report.unknown_source`" in out
    assert "DMARC aggregate report from" not in out  # no per-report lines in markdown


def test_line_breaks_in_report_values_stay_on_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "nl.json"
    path.write_text(json.dumps({"organization-name": "evil\nFAKE LINE", "policies": []}))
    _, out, _ = _run(capsys, str(path))
    assert "evil FAKE LINE" in out
    assert not any(line.startswith("FAKE LINE") for line in out.splitlines())
