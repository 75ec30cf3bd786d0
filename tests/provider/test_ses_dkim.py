"""SES DKIM topic (Easy DKIM): signing status and the CNAMEs; BYODKIM is test_ses_byodkim."""

from __future__ import annotations

from ses_facts import (
    TOKENS,
    R,
    answer,
    causes,
    dkim_dns,
    dkim_setup,
    healthy,
    one,
)

from maildoctor.dns.resolver import Outcome
from maildoctor.model import Status
from maildoctor.provider.base import (
    Verification,
)
from maildoctor.provider.ses.findings import evaluate


def test_dkim_disabled():
    found = evaluate(healthy(dkim=dkim_setup(enabled=False)))
    assert causes(found) == {"provider.ses.dkim_disabled"}


def test_dkim_pending_with_cnames_present_is_pending():
    found = evaluate(healthy(dkim=dkim_setup(status=Verification.PENDING)))
    assert causes(found) == {"provider.ses.dkim_pending"}


def test_dkim_failed_with_missing_cname_blames_the_cname():
    found = evaluate(
        healthy(dkim=dkim_setup(status=Verification.FAILED), dkim_dns=dkim_dns(skip=[0]))
    )
    assert causes(found) == {"provider.ses.dkim_cname_missing"}
    assert one(found, "provider.ses.dkim").status is Status.FAIL


def test_dkim_cname_pointing_elsewhere():
    dns = dkim_dns()
    name = f"{TOKENS[1]}._domainkey.example.com"
    dns[name] = answer(name, "CNAME", "bbb222.dkim.example.net")
    assert causes(evaluate(healthy(dkim_dns=dns))) == {"provider.ses.dkim_cname_wrong"}


def test_dkim_cname_to_regional_target_is_accepted():
    dns = dkim_dns()
    name = f"{TOKENS[0]}._domainkey.example.com"
    dns[name] = answer(name, "CNAME", f"{TOKENS[0]}.dkim.{R}.amazonses.com")
    assert causes(evaluate(healthy(dkim_dns=dns))) == set()


def test_dkim_cname_lookup_timeout_is_error_not_missing():
    dns = dkim_dns()
    name = f"{TOKENS[2]}._domainkey.example.com"
    dns[name] = answer(name, "CNAME", outcome=Outcome.TIMEOUT)
    found = evaluate(healthy(dkim_dns=dns))
    assert causes(found) == set()
    assert Status.ERROR in {f.status for f in found if f.check == "provider.ses.dkim.cname"}
