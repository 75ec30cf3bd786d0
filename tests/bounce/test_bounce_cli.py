"""``maildoctor bounce``: text, JSON lines, summary, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maildoctor.cli import main


def test_text_output(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bounce", str(fixtures / "gmail-send-as-ses-535.eml")])
    out = capsys.readouterr().out
    assert code == 1
    assert "friend@example.net  securityerror (soft)  535 5.7.8" in out
    assert "client -> client.smtp_auth.stale_ses_password" in out
    assert '"535 Authentication Credentials Invalid"' in out
    assert out.rstrip().endswith("1 message(s), 1 recipient record(s), 0 not a bounce")


def test_text_output_shows_control_characters(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = (fixtures / "gmail-send-as-ses-535.eml").read_bytes()
    hostile = tmp_path / "hostile.eml"
    hostile.write_bytes(raw.replace(b"Credentials Invalid", b"Credentials\x1b]0;owned\x07Invalid"))
    assert main(["bounce", str(hostile)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Credentials\\x1b]0;owned\\x07Invalid" in out


def test_empty_file_is_not_a_bounce_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.eml").write_bytes(b"")
    assert main(["bounce", "-v", str(tmp_path / "empty.eml")]) == 0
    captured = capsys.readouterr()
    assert captured.out == "1 message(s), 0 recipient record(s), 1 not a bounce\n"
    assert "empty.eml: warning: empty: nothing to read" in captured.err


def test_json_lines(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(fixtures / "ses-events.jsonl"), str(fixtures / "exo-5.7.708-outbound-ban.eml")]
    assert main(["bounce", "--format", "json", *paths]) == 1
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["reason"] for r in rows] == ["feedback", "delivered", "expired", "suppressed",
                                           "suppressed", "ratelimited"]  # fmt: skip
    assert rows[-1]["outbound_ban"] is True and rows[-1]["generating_server"]
    assert {"recipient", "status", "reply_code", "layer", "cause", "hard_bounce"} <= set(rows[0])


def test_summary_table(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bounce", "--summary", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("messages: 411   recipient records: 440")
    for title in ("reason", "layer", "root cause", "receiving domain"):
        assert f"\n{title} " in out
    assert "userunknown" in out and "recipient.user_unknown" in out


def test_summary_json(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["bounce", "--summary", "--format", "json", str(fixtures)])
    summary = json.loads(capsys.readouterr().out)
    assert summary["by_reason"]["suppressed"] == 4
    assert summary["by_layer"]["client"] == 5
    assert summary["by_domain"]["example.net"] >= 20


def test_nothing_bounced_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plain.eml"
    path.write_bytes(b"From: a@example.com\nSubject: hi\n\nhello\n")
    assert main(["bounce", "-v", str(path)]) == 0
    captured = capsys.readouterr()
    assert "0 recipient record(s), 1 not a bounce" in captured.out
    assert "not a bounce" in captured.err


def test_unreadable_path_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bounce", str(tmp_path / "missing.eml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read" in err and "Traceback" not in err


def test_paths_are_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bounce"]) == 2
