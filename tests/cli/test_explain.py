"""``maildoctor explain``: one catalogue entry; unknown ids exit 2 with close matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maildoctor import catalogue
from maildoctor.cli import main


def run(args, capsys):
    code = main(["explain", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text(capsys):
    code, out, err = run(["client.smtp_auth.stale_ses_password"], capsys)
    assert code == 0 and err == ""
    assert out.startswith("client.smtp_auth.stale_ses_password  [cause - layer client]")
    for part in (
        "Fix:",
        "Does not fix:",
        "References:",
        "Notes:",
        "maildoctor ses-smtp-password --region",
        "Accounts and Import",
    ):
        assert part in out, part
    # commands are not split at their hyphens when wrapped
    assert "aws iam create-access-key --user-name <user>" in " ".join(out.split())
    assert "create-access-\n" not in out


def test_json(capsys):
    code, out, _ = run(["recipient.rejected.dmarc", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert data == catalogue.get("recipient.rejected.dmarc").to_dict()
    assert data["kind"] == "cause" and data["layer"] == "recipient"


def test_markdown(capsys):
    code, out, _ = run(["dns.dmarc.fo_without_ruf", "--format", "markdown"], capsys)
    assert code == 0
    assert out.startswith("### `dns.dmarc.fo_without_ruf`")
    assert "Does not fix:" in out and out.endswith("\n")


def test_a_note_can_be_explained(capsys):
    code, out, _ = run(["note.dmarc_quarantine_silent"], capsys)
    assert code == 0 and "[note - layer dns]" in out and "no bounce" in out


def test_unknown_id_is_one_line_with_close_matches(capsys):
    code, out, err = run(["recipent.rejected.dmarc"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "unknown root cause id 'recipent.rejected.dmarc'" in err
    assert "did you mean: recipient.rejected.dmarc" in err


def test_unknown_id_without_matches(capsys):
    code, _out, err = run(["zzzz"], capsys)
    assert code == 2 and err.strip() == "maildoctor: unknown root cause id 'zzzz'"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_listing(fmt, capsys):
    code, out, _ = run(["--format", fmt], capsys)
    assert code == 0
    ids = (
        [row["id"] for row in json.loads(out)]
        if fmt == "json"
        else [line.split()[0] for line in out.splitlines()]
    )
    assert ids == list(catalogue.CATALOGUE)


def test_bad_format_is_usage_error(capsys):
    code, _out, _err = run(["dns.spf.missing", "--format", "pdf"], capsys)
    assert code == 2


# -- replies and whole notices (issue 10) -----------------------------------------------

EXPLAIN_SCHEMA_DOC = Path(__file__).resolve().parents[2] / "docs" / "explain.schema.json"
NDR = (
    b"From: MAILER-DAEMON@mx.example.net\nTo: sender@example.com\n"
    b"Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
    b"--B\nContent-Type: text/plain\n\nThe message could not be delivered.\n\n"
    b"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
    b"Final-Recipient: rfc822; friend@example.org\nAction: failed\nStatus: 5.7.515\n"
    b"Remote-MTA: dns; example-org.mail.protection.outlook.com\n"
    b"Diagnostic-Code: smtp; 550 5.7.515 Access denied, sending domain [example.com] "
    b"doesn't meet the required authentication level.\n\n"
    b"--B\nContent-Type: text/rfc822-headers\n\nFrom: sender@example.com\n"
    b"To: friend@example.org\nSubject: hello\n\n--B--\n"
)


def test_reply_line_text(capsys):
    code, out, err = run(["550 5.7.515 Access denied, sending domain [example.com] doesn't "
                          "meet the required authentication level."], capsys)  # fmt: skip
    assert code == 0 and err == ""
    assert "Cause: recipient.rejected.authentication_level (layer recipient)" in out
    for part in ("Means:", "Who can fix it:", "Fix:", "Does not fix:", "Source:"):
        assert part in out, part


def test_reply_line_json_follows_the_schema(capsys):
    import jsonschema

    from maildoctor.replies.explain import EXPLAIN_SCHEMA

    code, out, _ = run(["421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred "
                        "due to unexpected volume or user complaints", "--format", "json"],
                       capsys)  # fmt: skip
    data = json.loads(out)
    jsonschema.validate(data, EXPLAIN_SCHEMA)
    (row,) = data["replies"]
    assert (row["reason"], row["cause"], row["temporary"]) == (
        "badreputation", "recipient.bad_reputation", True)  # fmt: skip
    assert row["fix_steps"] and row["who"]


def test_schema_document_is_generated_from_the_code():
    from maildoctor.replies.explain import EXPLAIN_SCHEMA

    assert json.loads(EXPLAIN_SCHEMA_DOC.read_text()) == EXPLAIN_SCHEMA


def test_whole_notice_on_stdin(capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(NDR)))
    code, out, _ = run(["-", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["input"] == "notice"
    (row,) = data["replies"]
    assert row["recipient"] == "friend@example.org"
    assert row["cause"] == "recipient.rejected.authentication_level"


def test_empty_stdin_is_an_input_error(capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"  \n")))
    code, _, err = run(["-"], capsys)
    assert code == 2 and "nothing on stdin" in err


def test_pasted_reply_lines_without_a_notice(capsys, monkeypatch):
    import io
    import sys

    text = b"some words\n550 5.1.1 <x@example.org>: Recipient address rejected: User unknown\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    code, out, _ = run(["-", "--format", "json"], capsys)
    (row,) = json.loads(out)["replies"]
    assert (row["reason"], row["cause"]) == ("userunknown", "recipient.user_unknown")


def test_bare_codes_are_replies(capsys):
    code, out, _ = run(["550", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["input"] == "reply"
    code, out, _ = run(["5.7.26", "--format", "json"], capsys)
    assert json.loads(out)["replies"][0]["cause"] == "recipient.rejected.unauthenticated"


def test_a_pasted_login_is_never_echoed(capsys, monkeypatch):
    import io
    import sys

    secret = "c2VjcmV0LXBhc3N3b3JkLWRvLW5vdC1zaG93"
    transcript = (f"EHLO client.example.com\nAUTH PLAIN {secret}\nAUTH LOGIN\n"
                  f"334 VXNlcm5hbWU6\n{secret}\n535 5.7.8 Authentication credentials invalid "
                  f"for AUTH PLAIN {secret}\n").encode()  # fmt: skip
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(transcript)))
    code, out, err = run(["-", "--format", "json"], capsys)
    assert code == 0 and secret not in out + err
    assert json.loads(out)["replies"][0]["cause"] == "client.smtp_auth.failed"
    code, out, err = run([f"535 5.7.8 AUTH PLAIN {secret} refused"], capsys)
    assert secret not in out + err


def test_stdin_without_a_bounce_or_a_reply_is_an_input_error(capsys, monkeypatch):
    import io
    import sys

    noise = bytes(range(256)) * 20 + b"\nhello there\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(noise)))
    code, out, err = run(["-"], capsys)
    assert code == 2 and out == "" and "no bounce" in err
