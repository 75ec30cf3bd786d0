"""The provider reply rows: each matches its own documented example, first, and nothing else's.

The examples are the services' own texts (each row's ``source``); a row that stopped
matching its example, or that an earlier row shadows, fails here.
"""

from __future__ import annotations

import pytest

from maildoctor import catalogue
from maildoctor.smtp.client import make_reply
from maildoctor.smtp.provider_replies import PROVIDER_RULES, interpret, match


def reply_of(text: str):
    code, _, rest = text.partition(" ")
    return make_reply(int(code), [rest])


@pytest.mark.parametrize("row", PROVIDER_RULES, ids=lambda r: f"{r.provider}-{r.cause}")
def test_every_row_reads_its_example_first(row):
    vendor = row.provider if row.provider != "any" else "sendgrid"
    assert match(reply_of(row.example), vendor) is row


@pytest.mark.parametrize("row", PROVIDER_RULES, ids=lambda r: f"{r.provider}-{r.cause}")
def test_every_row_cites_a_url_and_a_catalogued_cause(row):
    assert row.source.startswith("https://")
    assert catalogue.get(row.cause).id


def test_a_service_row_does_not_read_another_services_reply():
    revoked = reply_of(
        "535 Authentication failed: The provided authorization grant is invalid, expired, "
        "or revoked"
    )
    assert match(revoked, "sendgrid").cause == "client.smtp_auth.sendgrid_api_key_revoked"
    assert match(revoked, "microsoft") is None
    # read by the general table instead: a plain credentials failure
    assert interpret(revoked, host="127.0.0.1", vendor="any").cause == "client.smtp_auth.failed"


def test_receiver_words_feed_the_same_cause_whoever_relayed():
    dmarc = reply_of(
        "550 5.7.509 Access denied, sending domain [example.com] does not pass DMARC "
        "verification and has a DMARC policy of reject."
    )
    for relay in ("sendgrid", "mailgun", "postmark", "ses", "any"):
        assert interpret(dmarc, host="relay.example.net", vendor=relay).cause == (
            "recipient.rejected.dmarc"
        )


def test_positive_replies_match_nothing():
    assert match(make_reply(250, ["2.0.0 OK"]), "sendgrid") is None
