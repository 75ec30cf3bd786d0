"""``maildoctor logs``: text and JSON output, exit codes, unreadable input."""

from __future__ import annotations

import json
from pathlib import Path

from maildoctor.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "logs"


def test_json_output_and_exit_code(capsys):
    code = main(
        ["logs", "--year", "2024", "--format", "json", str(FIXTURES / "postfix-ses-relay.log")]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1 == report["exit_code"]
    causes = {f["cause"] for f in report["findings"]}
    assert "client.smtp_auth.stale_ses_password" in causes
    assert report["meta"]["files"][0]["formats"] == {"postfix": 12}


def test_text_output(capsys):
    code = main(["logs", "--year", "2024", str(FIXTURES / "exim-mainlog")])
    out = capsys.readouterr().out
    assert code == 1
    assert "recipient.logs.userunknown" in out


def test_unreadable_file_is_one_line_and_exit_2(capsys, tmp_path):
    code = main(["logs", str(tmp_path / "nope.log")])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.count("\n") == 0 and "cannot read" in err


def test_only_unknown_lines_exit_0(capsys, tmp_path):
    path = tmp_path / "app.log"
    path.write_text("hello\nworld\n")
    assert main(["logs", str(path)]) == 0
    assert "no known format" in capsys.readouterr().out
