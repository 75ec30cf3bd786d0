"""``maildoctor explain``: one catalogue entry; unknown ids exit 2 with close matches."""

from __future__ import annotations

import json

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
