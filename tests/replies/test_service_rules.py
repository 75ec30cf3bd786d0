"""The services' rows of the reply table (replies/services.py), through the one classifier.

tests/replies/test_rules.py already runs every row's examples; here: each service row is
read only from that service's relay, the relay profiles' hosts name the rows' providers,
and each row cites its provider's document.
"""

from __future__ import annotations

import pytest

from maildoctor import catalogue
from maildoctor.replies import RULES, classify, provider_for_host
from maildoctor.replies.services import SERVICE_RULES
from maildoctor.smtp.profiles import PROFILES

SERVICE_ROWS = [r for r in SERVICE_RULES if r.provider]
#: provider -> a relay host of that service (from the relay profiles)
HOSTS = {
    provider_for_host(p.hosts[0]): p.hosts[0] for p in PROFILES if not p.hosts[0].startswith(".")
}


def test_every_relay_profile_host_names_a_provider_with_rows():
    for profile in PROFILES:
        if profile.vendor == "ses":
            continue
        provider = provider_for_host(profile.hosts[0])
        assert provider, profile.name
    assert {r.provider for r in SERVICE_ROWS} <= set(HOSTS)


def test_the_service_rows_lead_the_one_table():
    assert RULES[: len(SERVICE_RULES)] == SERVICE_RULES


@pytest.mark.parametrize("row", SERVICE_ROWS, ids=lambda r: r.id)
def test_a_service_row_reads_only_its_services_relay(row):
    example = row.examples[0]
    assert classify(example, host=HOSTS[row.provider], context="smtp").rule == row
    for other, host in HOSTS.items():
        if other != row.provider:
            verdict = classify(example, host=host, context="smtp")
            assert verdict.rule != row, (other, example)


@pytest.mark.parametrize("row", SERVICE_RULES, ids=lambda r: r.id)
def test_every_service_row_cites_a_url_and_a_catalogued_cause(row):
    assert row.source.startswith("https://")
    assert catalogue.get(row.cause).id == row.cause


def test_a_revoked_sendgrid_key_is_only_a_failed_login_elsewhere():
    revoked = (
        "535 Authentication failed: The provided authorization grant is invalid, expired, "
        "or revoked"
    )
    assert classify(revoked, host="smtp.sendgrid.net", context="smtp").cause == (
        "client.smtp_auth.sendgrid_api_key_revoked"
    )
    assert classify(revoked, host="relay.example.net", context="smtp").cause == (
        "client.smtp_auth.failed"
    )
