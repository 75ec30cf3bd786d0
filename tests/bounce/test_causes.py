"""Layer and root cause: one table, every id in the catalogue."""

from __future__ import annotations

import pytest

from maildoctor import catalogue
from maildoctor.bounce.causes import BY_REASON, RULES, CauseFacts, cause_for, is_ses_relay
from maildoctor.bounce.reasons import REASONS
from maildoctor.model import Layer


def test_every_cause_is_a_canonical_catalogue_entry_in_its_layer() -> None:
    pairs = [(r.layer, r.cause) for r in RULES] + list(BY_REASON.values())
    for layer, cause in pairs:
        if not cause:
            continue
        entry = catalogue.get(cause)
        assert entry.id == cause, f"{cause} is an alias of {entry.id}"
        assert entry.layer is layer, cause


def test_every_reason_has_a_default() -> None:
    assert set(REASONS) <= set(BY_REASON)


def _facts(reason: str, **kw: object) -> CauseFacts:
    base: dict[str, object] = {"reason": reason, "status": "", "reply_code": "", "lowered": "",
                               "ses_relay": False}  # fmt: skip
    base.update(kw)
    return CauseFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (_facts("authfailure", status="5.7.509"), (Layer.RECIPIENT, "recipient.rejected.dmarc")),
        (_facts("authfailure", status="5.7.26", lowered="dmarc policy"),
         (Layer.RECIPIENT, "recipient.rejected.dmarc")),
        (_facts("authfailure", status="5.7.23"), (Layer.RECIPIENT, "recipient.rejected.spf")),
        (_facts("userunknown"), (Layer.RECIPIENT, "recipient.user_unknown")),
        (_facts("mailboxfull"), (Layer.RECIPIENT, "recipient.mailbox_full")),
        (_facts("blocked"), (Layer.RECIPIENT, "recipient.blocked_ip")),
        (_facts("suppressed"), (Layer.PROVIDER, "provider.ses.recipient_suppressed")),
        (_facts("securityerror", reply_code="535", ses_relay=True),
         (Layer.CLIENT, "client.smtp_auth.stale_ses_password")),
        (_facts("securityerror", reply_code="535"), (Layer.CLIENT, "client.smtp_auth.failed")),
        (_facts("spamdetected"), (Layer.RECIPIENT, "recipient.rejected.spam")),
        (_facts("rejected", status="5.7.708", outbound_ban=True),
         (Layer.PROVIDER, "provider.microsoft365.outbound_ban")),
        (_facts("notaccept"), (Layer.DNS, "dns.mx.null_mx")),
    ],
)  # fmt: skip
def test_cause_for(facts: CauseFacts, expected: tuple[Layer, str]) -> None:
    assert cause_for(facts) == expected


def test_ses_relay_host() -> None:
    assert is_ses_relay("email-smtp.eu-west-1.amazonaws.com")
    assert is_ses_relay("", "relay said: email-smtp-fips.us-gov-west-1.amazonaws.com")
    assert not is_ses_relay("smtp.example.com", "")
