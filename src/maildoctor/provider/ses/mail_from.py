"""The custom MAIL FROM domain: SES's state for it, and its MX and SPF records.

A custom MAIL FROM needs exactly one MX to ``feedback-smtp.<region>.amazonses.com`` and an
SPF record on that subdomain; without one (or when it falls back) SPF passes for
amazonses.com but does not align, so DMARC rests on DKIM alone (RFC 7489 section 3.1.2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...dns.resolver import DnsAnswer
from ...model import Finding, Status
from ..base import Fetched, Identity, MailFromSetup, MxFailureBehavior, Verification
from .causes import (
    CAUSE_MAIL_FROM_UNVERIFIED,
    CAUSE_MX_MISSING,
    CAUSE_MX_MULTIPLE,
    CAUSE_MX_WRONG,
    CAUSE_MX_WRONG_REGION,
    CAUSE_SPF_INCOMPLETE,
    CAUSE_SPF_MISSING,
    CAUSE_SPF_MULTIPLE,
    REF_DMARC,
    REF_MAIL_FROM,
)
from .common import evidence as _ev
from .common import failed as _failed
from .common import finding as _finding
from .endpoints import feedback_endpoint_region
from .facts import MailFromDns, mail_from_mx_host, sender_identities, value_of

__all__ = ["mail_from_findings"]

Settings = Fetched[Mapping[str, MailFromSetup]]


def _effective_mail_from(
    sender: str, fetched: Settings, here_fetched: Fetched[Mapping[str, Identity]] | None
) -> MailFromSetup | None:
    """The email identity's MAIL FROM if it has one, else the covering domain identity's."""
    settings = value_of(fetched) or {}
    here = value_of(here_fetched) or {}
    verified = [
        n
        for n in sender_identities(sender)
        if n in here and here[n].verification is Verification.SUCCESS
    ]
    configured = [settings[n] for n in verified if n in settings and settings[n].domain]
    if configured:
        return configured[0]
    return next((settings[n] for n in verified if n in settings), None)


def mail_from_findings(
    *,
    sender: str | None,
    here: Fetched[Mapping[str, Identity]] | None,
    settings: Settings | None,
    dns: Mapping[str, MailFromDns],
    dkim_aligned: bool,
) -> tuple[Finding, ...]:
    """``provider.ses.mail_from`` and, when configured, its ``.mx`` and ``.spf``.

    Args:
        sender: The From address or domain, if given.
        here: The identities in the region (whose MAIL FROM applies).
        settings: ``GetIdentityMailFromDomainAttributes``'s answer.
        dns: The MX and TXT answers per custom MAIL FROM domain.
        dkim_aligned: Whether SES signs with the sender's verified domain DKIM.

    Returns:
        The MAIL FROM findings.
    """
    check = "provider.ses.mail_from"
    if settings is None or not sender:
        return ()
    if settings.failure is not None:
        return (_failed(check, sender, settings, "the custom MAIL FROM domain"),)
    setup = _effective_mail_from(sender, settings, here)
    if setup is None:
        return ()
    if not setup.domain:
        return (_default_mail_from(settings, setup, dkim_aligned),)
    found = dns.get(setup.domain)
    extra = (_mx(setup, found.mx), _spf(setup, found.txt)) if found is not None else ()
    return (_mail_from_status(settings, setup, any(f.cause for f in extra)), *extra)


def _default_mail_from(fetched: Settings, setup: MailFromSetup, aligned: bool) -> Finding:
    tail = (
        "DKIM is aligned, so DMARC can pass"
        if aligned
        else "and DKIM is not aligned either, so DMARC fails"
    )
    return _finding(
        "provider.ses.mail_from",
        Status.INFO if aligned else Status.WARN,
        setup.identity,
        f"no custom MAIL FROM on {setup.identity}: the envelope sender is amazonses.com, "
        f"so SPF passes but does not align with the From: domain - {tail}",
        detail="With SES's default MAIL FROM, receivers evaluate SPF for amazonses.com; an "
        "'include:amazonses.com' in the apex domain's SPF record plays no part in SES mail.",
        evidence=_ev(fetched),
        reference=REF_DMARC,
        fix="" if aligned else "set up a custom MAIL FROM subdomain (MX + SPF) and Easy DKIM",
    )


_BEHAVIOR_TEXT: Mapping[MxFailureBehavior, str] = {
    MxFailureBehavior.REJECT_MESSAGE: "BehaviorOnMxFailure is RejectMessage: while the MAIL FROM "
    "domain is not verified SES rejects sends with MailFromDomainNotVerified",
    MxFailureBehavior.USE_DEFAULT_VALUE: "BehaviorOnMxFailure is UseDefaultValue: while the MAIL "
    "FROM domain is not verified SES falls back to amazonses.com, so SPF passes but does not "
    "align and DMARC rests on DKIM alone",
    MxFailureBehavior.UNKNOWN: "BehaviorOnMxFailure not reported",
}


def _mail_from_status(fetched: Settings, setup: MailFromSetup, dns_cause: bool) -> Finding:
    check, d = "provider.ses.mail_from", setup.domain
    data = {"mail_from_domain": d, "status": str(setup.status), "behavior": str(setup.behavior)}
    behavior = _BEHAVIOR_TEXT[setup.behavior]
    if setup.status is Verification.SUCCESS:
        return _finding(
            check,
            Status.PASS,
            d,
            f"custom MAIL FROM {d} is verified for {setup.identity}",
            detail=behavior,
            evidence=_ev(fetched),
            reference=REF_MAIL_FROM,
            data=data,
        )
    reject = setup.behavior is MxFailureBehavior.REJECT_MESSAGE
    return _finding(
        check,
        Status.FAIL if reject else Status.WARN,
        d,
        f"custom MAIL FROM {d} is {setup.status}",
        detail=behavior,
        evidence=_ev(fetched),
        reference=REF_MAIL_FROM,
        cause="" if dns_cause else CAUSE_MAIL_FROM_UNVERIFIED,
        data=data,
        fix=f"publish exactly one MX `10 {mail_from_mx_host(setup.region)}` and "
        f"`v=spf1 include:amazonses.com ~all` at {d}",
    )


def _mx_hosts(answer: DnsAnswer) -> list[str]:
    return [r.exchange for r in answer.mx().records]


def _mx(setup: MailFromSetup, answer: DnsAnswer) -> Finding:
    check, d, expected = "provider.ses.mail_from.mx", setup.domain, mail_from_mx_host(setup.region)
    fix = f"publish exactly one record: `{d}. MX 10 {expected}.`"
    data = {"expected": expected}
    if not answer.ok:
        return _finding(
            check,
            Status.ERROR,
            d,
            f"could not look up MX for {d}: {answer.describe()}",
            evidence=_ev(answer),
            data=data,
        )
    hosts = _mx_hosts(answer)
    consequence = _BEHAVIOR_TEXT[setup.behavior]
    if not hosts:
        return _finding(
            check,
            Status.FAIL,
            d,
            f"the MAIL FROM domain {d} has no MX record "
            f"({answer.describe()}): SES cannot verify it",
            detail=consequence,
            evidence=_ev(answer),
            reference=REF_MAIL_FROM,
            cause=CAUSE_MX_MISSING,
            fix=fix,
            data=data,
        )
    cause, summary = _mx_problem(d, hosts, expected)
    if not cause:
        return _finding(check, Status.PASS, d, summary, evidence=_ev(answer), data=data)
    return _finding(
        check,
        Status.FAIL,
        d,
        summary,
        detail=consequence,
        evidence=_ev(answer),
        reference=REF_MAIL_FROM,
        cause=cause,
        fix=fix,
        data=data,
    )


def _mx_problem(domain: str, hosts: list[str], expected: str) -> tuple[str, str]:
    if len(hosts) > 1:
        return (
            CAUSE_MX_MULTIPLE,
            f"{domain} has {len(hosts)} MX records; SES needs exactly one ({expected})",
        )
    host = hosts[0]
    if host == expected:
        return "", f"{domain} MX -> {host}"
    if feedback_endpoint_region(host):
        return (
            CAUSE_MX_WRONG_REGION,
            f"{domain} MX -> {host}, another region's feedback "
            f"endpoint; this region needs {expected}",
        )
    return CAUSE_MX_WRONG, f"{domain} MX -> {host}, not {expected}"


def _spf(setup: MailFromSetup, answer: DnsAnswer) -> Finding:
    check, d = "provider.ses.mail_from.spf", setup.domain
    if not answer.ok:
        summary = f"could not look up TXT for {d}: {answer.describe()}"
        return _finding(check, Status.ERROR, d, summary, evidence=_ev(answer))
    records = [r for r in answer.records if r.lower().split()[:1] == ["v=spf1"]]
    status, cause, summary = _spf_verdict(d, records)
    return _finding(
        check,
        status,
        d,
        summary,
        evidence=_ev(answer),
        cause=cause,
        reference=REF_MAIL_FROM if cause else "",
        detail="\n".join(records),
        fix=f"publish one TXT record at {d}: `v=spf1 include:amazonses.com ~all`" if cause else "",
    )


def _spf_verdict(domain: str, records: Sequence[str]) -> tuple[Status, str, str]:
    """SPF on the MAIL FROM subdomain: the one place SPF is evaluated for SES mail."""
    if not records:
        return (
            Status.FAIL,
            CAUSE_SPF_MISSING,
            f"no SPF record at the MAIL FROM domain {domain}: SPF fails for SES mail",
        )
    if len(records) > 1:  # RFC 7208 section 4.5: more than one record is a permerror
        return (
            Status.FAIL,
            CAUSE_SPF_MULTIPLE,
            f"{len(records)} SPF records at {domain}: SPF permerror (RFC 7208 section 4.5)",
        )
    if "include:amazonses.com" not in records[0].lower().split():
        return (
            Status.WARN,
            CAUSE_SPF_INCOMPLETE,
            f"the SPF record at {domain} does not include amazonses.com",
        )
    # Containing the include is not passing: the record is evaluated (lookup limit,
    # check_host for SES's addresses) by dns.mailfrom.spf, which diagnose runs on it.
    return (
        Status.INFO,
        "",
        f"{domain} SPF includes amazonses.com (evaluated as dns.mailfrom.spf): {records[0]}",
    )


# -- suppression list -------------------------------------------------------------------------
