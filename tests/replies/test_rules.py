"""The reply table: every rule has a source and real examples, and the classifier picks it.

Example texts are quoted from the vendors' documents and notices named in each rule's
``source`` (REFERENCE.md section 5); they contain no personal data.
"""

from __future__ import annotations

import pytest

from maildoctor import catalogue
from maildoctor.bounce.reasons import REASONS
from maildoctor.model import Layer
from maildoctor.replies import BY_REASON, RULES, Rule, classify

#: A host of each provider, for rows that only apply to that provider's servers.
HOSTS = {
    "ses": "email-smtp.us-east-1.amazonaws.com",
    "microsoft": "example-com.mail.protection.outlook.com",
    "google": "gmail-smtp-in.l.google.com",
    "yahoo": "mta7.am0.yahoodns.net",
    "sendgrid": "smtp.sendgrid.net",
    "mailgun": "smtp.mailgun.org",
    "postmark": "smtp.postmarkapp.com",
}


def _verdict(rule: Rule, example: str):
    context = next(iter(sorted(rule.contexts)), "explain")
    return classify(example, host=HOSTS.get(rule.provider, ""), notice=rule.notice,
                    side=rule.side, step=rule.steps[0] if rule.steps else "",
                    context=context)  # fmt: skip


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_has_a_source_and_examples_that_reach_it(rule: Rule) -> None:
    assert rule.source.strip()
    assert "http" in rule.source or "RFC" in rule.source or "REFERENCE" in rule.source
    assert rule.examples
    for example in rule.examples:
        verdict = _verdict(rule, example)
        assert verdict.rule is not None, (rule.id, example, verdict.reason)
        assert verdict.rule.id == rule.id, (example, verdict.rule.id)
        assert verdict.cause == rule.cause
        if rule.reason:
            assert verdict.reason == rule.reason


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


def test_every_cause_is_a_canonical_catalogue_entry_in_its_layer() -> None:
    pairs = [(r.layer, r.cause) for r in RULES] + list(BY_REASON.values())
    for layer, cause in pairs:
        if not cause:
            continue
        entry = catalogue.get(cause)
        assert entry.id == cause, f"{cause} is an alias of {entry.id}"
        assert entry.layer is layer, cause


def test_notes_are_catalogued_notes() -> None:
    for rule in RULES:
        if rule.note:
            assert catalogue.get(rule.note).kind is catalogue.Kind.NOTE


def test_reasons_are_sisimai_words_and_each_has_a_default() -> None:
    assert set(REASONS) <= set(BY_REASON)
    for rule in RULES:
        assert not rule.reason or rule.reason in REASONS, rule.id
        assert rule.reasons <= REASONS, rule.id


@pytest.mark.parametrize(
    ("text", "host", "reason", "cause"),
    [
        # Yahoo TSS04 is a reputation deferral (Yahoo's error-code page), in bounces and logs.
        ("421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected "
         "volume or user complaints - 4.16.55.1", "mta5.am0.yahoodns.net", "badreputation",
         "recipient.bad_reputation"),
        # Gmail's 5.7.26 is the catalogue's recipient.rejected.unauthenticated.
        ("550-5.7.26 This mail has been blocked because the sender is unauthenticated.",
         "gmail-smtp-in.l.google.com", "authfailure", "recipient.rejected.unauthenticated"),
        ("535 Authentication Credentials Invalid", "smtp.example.com", "securityerror",
         "client.smtp_auth.failed"),
        ("550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown",
         "mx.example.net", "userunknown", "recipient.user_unknown"),
        ("552 5.2.2 Mailbox full", "mx.example.net", "mailboxfull", "recipient.mailbox_full"),
    ],
)  # fmt: skip
def test_known_disagreements_are_resolved(text: str, host: str, reason: str, cause: str) -> None:
    for context in ("bounce", "log", "smtp", "explain"):
        verdict = classify(text, host=host, context=context)
        assert (verdict.reason, verdict.cause) == (reason, cause), context


def test_blocklist_is_named_and_is_reputation_not_security() -> None:
    verdict = classify("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using "
                       "bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.1",
                       context="log")  # fmt: skip
    assert (verdict.reason, verdict.cause) == ("blocked", "recipient.blocked_ip")
    assert verdict.blocklist == "bl.spamcop.net"


def test_connection_timeout_is_network_in_logs_and_expiry_only_in_bounces() -> None:
    text = "connect to mx.example.com[192.0.2.1]:25: Connection timed out"
    logged = classify(text, status="4.4.1", context="log")
    assert (logged.reason, logged.layer, logged.cause) == (
        "networkerror", Layer.TRANSPORT, "transport.network_error")  # fmt: skip
    assert logged.temporary
    bounced = classify(text, status="4.4.1", context="bounce")
    assert bounced.reason == "expired"


def test_inbound_sasl_failure_is_a_note_not_a_cause() -> None:
    verdict = classify("SASL LOGIN authentication failed: UGFzc3dvcmQ6", code="535",
                       side="inbound", context="log")  # fmt: skip
    assert verdict.cause == "" and verdict.note == "note.inbound_auth_failures"
    outbound = classify("535 5.7.8 Error: authentication failed", host="smtp.example.com",
                        context="log")  # fmt: skip
    assert outbound.cause == "client.smtp_auth.failed"


def test_unknown_context_is_refused() -> None:
    with pytest.raises(ValueError):
        classify("550 no", context="somewhere")


def test_temporary_and_hard() -> None:
    assert classify("451 4.3.0 try later").temporary
    assert not classify("550 5.1.1 no such user here").temporary
    assert classify("550 5.1.1 no such user here").hard
    assert not classify("552 5.2.2 mailbox full").hard


def test_every_provider_table_names_its_source() -> None:
    from maildoctor.replies import rhost

    assert set(rhost.RULES) == set(rhost.SOURCES) == set(rhost.HOSTS)
    assert all(url.startswith("https://") for url in rhost.SOURCES.values())
