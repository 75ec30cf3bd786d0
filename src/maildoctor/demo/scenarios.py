"""Demo scenarios: what each serves on loopback and which causes it must produce."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import zones

__all__ = ["DEFAULT", "SCENARIOS", "Scenario", "get"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """One replayable situation.

    Attributes:
        name: What ``--scenario`` takes.
        title: One line for ``--list``.
        zone: Builds the zone the embedded DNS server serves.
        expected: The exact set of cause ids the check must report (fail or warn
            findings that name a cause); the demo exits non-zero when it differs.
    """

    name: str
    title: str
    zone: Callable[[], dict[str, list[Any]]]
    expected: frozenset[str]
    domain: str = zones.SENDER_DOMAIN
    mail_from: str | None = zones.MAIL_FROM_DOMAIN
    ip: str | None = zones.SES_SENDING_IP
    selectors: tuple[str, ...] = zones.DKIM_TOKENS


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            name="incident",
            title="the reference incident's sender DNS: p=none DMARC, SES with Easy DKIM",
            zone=zones.incident_zone,
            expected=frozenset({"dns.dmarc.policy_none"}),
        ),
        Scenario(
            name="healthy",
            title="a correct SES setup: SPF, three DKIM CNAMEs, MAIL FROM, p=reject DMARC",
            zone=zones.base_zone,
            expected=frozenset(),
        ),
        Scenario(
            name="spf-lookup-limit",
            title="an SPF include tree that needs more than 10 DNS lookups",
            zone=zones.spf_over_limit_zone,
            expected=frozenset({"dns.spf.lookup_limit"}),
        ),
        Scenario(
            name="dkim-cname-missing",
            title="one of the three Easy DKIM CNAMEs is not published",
            zone=zones.dkim_cname_missing_zone,
            expected=frozenset({"dns.dkim.key_missing"}),
        ),
    )
}

DEFAULT = "incident"


def get(name: str) -> Scenario:
    """Look up a scenario by name.

    Raises:
        KeyError: with the list of known names.
    """
    try:
        return SCENARIOS[name]
    except KeyError:
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}") from None
