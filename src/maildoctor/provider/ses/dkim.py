"""DKIM of the sender's domain identity: signing state, and the DNS records it needs.

Easy DKIM publishes three ``<token>._domainkey.<domain>`` CNAMEs to
``<token>.dkim.amazonses.com``; Bring Your Own DKIM (sesv2 ``SigningAttributesOrigin``
``EXTERNAL``) instead publishes the owner's public key as TXT at
``<selector>._domainkey.<domain>``, the selector being the one "token" SES reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...dns.dkim import DkimKey, looks_like_key, parse_dkim_key
from ...dns.resolver import DnsAnswer
from ...model import Evidence, Finding, Status
from ..base import DkimOrigin, DkimSetup, Fetched, Identity, IdentityKind, Verification
from .causes import (
    CAUSE_BYODKIM_MISSING,
    CAUSE_BYODKIM_UNVERIFIED,
    CAUSE_DKIM_DISABLED,
    CAUSE_DKIM_FAILED,
    CAUSE_DKIM_MISSING,
    CAUSE_DKIM_PENDING,
    CAUSE_DKIM_WRONG,
    REF_BYODKIM,
    REF_DKIM,
    REF_KEY_SIZE,
)
from .common import date_text as _date
from .common import evidence as _ev
from .common import failed as _failed
from .common import finding as _finding
from .facts import (
    dkim_cname_name,
    dkim_key_name,
    dkim_setups,
    dkim_targets,
    domain_of,
    sender_identities,
    value_of,
)

__all__ = ["dkim_findings", "dkim_verified", "signing_domain"]


@dataclass(frozen=True, slots=True)
class _Dkim:
    """The DKIM answers of one run: SES v1 and v2, and the records looked up in DNS."""

    v1: Fetched[Mapping[str, DkimSetup]] | None
    v2: Mapping[str, Fetched[DkimSetup]]
    cnames: Mapping[str, DnsAnswer]
    keys: Mapping[str, DnsAnswer]


# -- DKIM -------------------------------------------------------------------------------------


def signing_domain(
    sender: str | None, here_fetched: Fetched[Mapping[str, Identity]] | None
) -> str | None:
    """The domain identity whose DKIM signs the sender's mail (verified first, else pending)."""
    if not sender:
        return None
    here = value_of(here_fetched) or {}
    domains = [
        here[n]
        for n in sender_identities(sender)
        if n in here and here[n].kind is IdentityKind.DOMAIN
    ]
    verified = [i for i in domains if i.verification is Verification.SUCCESS]
    chosen = verified or domains
    return chosen[0].name if chosen else None


def dkim_verified(
    sender: str | None,
    here: Fetched[Mapping[str, Identity]] | None,
    v1: Fetched[Mapping[str, DkimSetup]] | None,
    v2: Mapping[str, Fetched[DkimSetup]],
) -> bool:
    """Whether SES signs the sender's mail with an enabled, verified domain DKIM (aligned)."""
    domain = signing_domain(sender, here)
    setup = dkim_setups(v1, v2).get(domain) if domain else None
    return setup is not None and setup.enabled and setup.status is Verification.SUCCESS


def dkim_findings(
    *,
    sender: str | None,
    region: str,
    here: Fetched[Mapping[str, Identity]] | None,
    v1: Fetched[Mapping[str, DkimSetup]] | None,
    v2: Mapping[str, Fetched[DkimSetup]],
    cnames: Mapping[str, DnsAnswer],
    keys: Mapping[str, DnsAnswer],
) -> tuple[Finding, ...]:
    """``provider.ses.dkim`` (signing and status), then the records it needs.

    Easy DKIM: one ``provider.ses.dkim.cname`` per token and, when SES v2 reports
    key lengths, ``provider.ses.dkim.key_length``. BYODKIM: one
    ``provider.ses.dkim.key`` (and ``.key_length``) per selector - no CNAMEs.

    Args:
        sender: The From address or domain, if given.
        region: The region checked.
        here: The identities in the region (which domain identity signs).
        v1: ``GetIdentityDkimAttributes``'s answer.
        v2: ``GetEmailIdentity``'s answer per domain.
        cnames: Easy DKIM CNAME answers by name (and the doubled-zone names).
        keys: BYODKIM key TXT answers by name (and the doubled-zone names).

    Returns:
        The DKIM findings.
    """
    check, domain = "provider.ses.dkim", signing_domain(sender, here)
    if domain is None or v1 is None:
        if sender and here is not None and here.ok:
            return (
                _finding(
                    check,
                    Status.SKIPPED,
                    domain_of(sender),
                    f"no domain identity in {region}: no DKIM to check",
                ),
            )
        return ()
    facts = _Dkim(v1=v1, v2=v2, cnames=cnames, keys=keys)
    setup = dkim_setups(v1, v2).get(domain)
    if setup is None:
        if v1.failure is not None:
            return (_failed(check, domain, v1, f"DKIM for {domain}"),)
        return (
            _finding(
                check,
                Status.ERROR,
                domain,
                "SES returned no DKIM attributes",
                evidence=_ev(v1, v2.get(domain)),
            ),
        )
    records = _dkim_records(facts, setup) if setup.enabled else ()
    return (_dkim_status(facts, setup, records), *records, *_easy_key_length(facts, setup))


def _dkim_records(facts: _Dkim, setup: DkimSetup) -> tuple[Finding, ...]:
    if setup.origin is not DkimOrigin.EXTERNAL:
        return tuple(_cname(facts, setup, t) for t in setup.tokens)
    if not setup.tokens:
        summary = f"SES reported no BYODKIM selector for {setup.identity}: no key to look up"
        return (_finding("provider.ses.dkim.key", Status.SKIPPED, setup.identity, summary),)
    return tuple(f for s in setup.tokens for f in _byodkim_key(facts, setup, s))


def _dkim_kind(setup: DkimSetup) -> str:
    if setup.origin is DkimOrigin.EXTERNAL:
        return f"BYODKIM (selector {', '.join(setup.tokens) or 'not reported'})"
    if setup.replicated_from:
        return f"Easy DKIM (replicated from the parent identity in {setup.replicated_from})"
    return "Easy DKIM"


def _origin_note(facts: _Dkim, domain: str) -> str:
    """Why the signing origin is unknown: a failed v2 call is not "Easy DKIM"."""
    v2 = facts.v2.get(domain)
    if v2 is None or v2.failure is None:
        return ""
    return (
        f"How DKIM was set up is unknown ({v2.failure.describe()}), so Easy DKIM is assumed; "
        "a domain using its own key (BYODKIM) has no Easy DKIM CNAMEs."
    )


def _dkim_data(setup: DkimSetup) -> dict[str, Any]:
    return {
        "enabled": setup.enabled,
        "status": str(setup.status),
        "tokens": list(setup.tokens),
        "origin": str(setup.origin),
        "replicated_from": setup.replicated_from or None,
        "current_key_bits": setup.current_key_bits,
        "next_key_bits": setup.next_key_bits,
    }


def _dkim_status(facts: _Dkim, setup: DkimSetup, records: Sequence[Finding]) -> Finding:
    check, d, region = "provider.ses.dkim", setup.identity, setup.region
    data = _dkim_data(setup)
    ev = _ev(facts.v1, facts.v2.get(d))
    note = _origin_note(facts, d)
    if not setup.enabled:
        return _finding(
            check,
            Status.FAIL,
            d,
            f"DKIM signing is disabled for {d} in {region}: SES signs only "
            "as amazonses.com, which does not align with the From: domain",
            evidence=ev,
            reference=REF_BYODKIM if setup.origin is DkimOrigin.EXTERNAL else REF_DKIM,
            cause=CAUSE_DKIM_DISABLED,
            data=data,
            detail=note,
            fix=f"`aws sesv2 put-email-identity-dkim-attributes --email-identity {d} "
            f"--signing-enabled --region {region}`",
        )
    if setup.status is Verification.SUCCESS:
        return _finding(
            check,
            Status.PASS,
            d,
            f"{_dkim_kind(setup)} is enabled and verified for {d} in {region}",
            evidence=ev,
            reference=REF_BYODKIM if setup.origin is DkimOrigin.EXTERNAL else REF_DKIM,
            detail=note,
            data=data,
        )
    if setup.origin is DkimOrigin.EXTERNAL:
        return _byodkim_unverified(setup, records, ev, data)
    dns_cause = any(f.cause for f in records)
    failed = setup.status is Verification.FAILED
    cause = "" if dns_cause else (CAUSE_DKIM_FAILED if failed else CAUSE_DKIM_PENDING)
    because = " - the CNAME findings below say why" if dns_cause else ""
    return _finding(
        check,
        Status.FAIL if failed else Status.WARN,
        d,
        f"DKIM for {d} is {setup.status} in {region}{because}",
        evidence=ev,
        reference=REF_DKIM,
        cause=cause,
        data=data,
        detail=" ".join(
            filter(
                None,
                [
                    "A DKIM status pending for days is almost always a missing or mistyped "
                    "CNAME; SES stops checking 72 hours after it starts and then reports failed.",
                    note,
                ],
            )
        ),
        fix="publish the three CNAMEs exactly as SES lists them; once they resolve SES "
        "re-checks (restart verification if it already failed)",
    )


def _byodkim_command(setup: DkimSetup, selector: str) -> str:
    return (
        f"aws sesv2 put-email-identity-dkim-signing-attributes --email-identity "
        f"{setup.identity} --signing-attributes-origin EXTERNAL --signing-attributes "
        f"DomainSigningSelector={selector},DomainSigningPrivateKey=<base64 private key> "
        f"--region {setup.region}"
    )


_PRIVATE_KEY_NOTE = (
    "The private key is a secret: pass it from a file (`--cli-input-json file://<file>`) rather "
    "than on the command line."
)


def _byodkim_unverified(
    setup: DkimSetup, records: Sequence[Finding], ev: tuple[Evidence, ...], data: dict[str, Any]
) -> Finding:
    """BYODKIM pending or failed: the key findings explain it, or the published key is not SES's.

    Only a key that is published and well-formed points at a mismatch; a failed or
    skipped lookup says nothing either way (its own finding is the error).
    """
    d, region = setup.identity, setup.region
    selector = setup.tokens[0] if setup.tokens else "<selector>"
    published = [
        f.subject for f in records if f.check == "provider.ses.dkim.key" and f.status is Status.PASS
    ]
    state = f"BYODKIM for {d} is {setup.status} in {region}"
    if any(f.cause for f in records):
        summary, cause = f"{state} - the key findings below say why", ""
    elif published:
        summary = f"{state} although a key is published at {published[0]}"
        cause = CAUSE_BYODKIM_UNVERIFIED
    else:
        summary, cause = state, ""
    return _finding(
        "provider.ses.dkim",
        Status.FAIL if setup.status is Verification.FAILED else Status.WARN,
        d,
        summary,
        evidence=ev,
        reference=REF_BYODKIM,
        cause=cause,
        data=data,
        detail="SES verifies BYODKIM by finding, at the selector, the public key that matches the "
        "private key it was given; it looks for up to 72 hours. A published key that does not "
        "match (an old key, another system's) keeps the status pending, then failed. "
        + _PRIVATE_KEY_NOTE,
        fix=f"publish the public key of the private key given to SES at "
        f"{dkim_key_name(selector, d)} (`openssl rsa -in <private-key.pem> -pubout`, base64 "
        f"without the BEGIN/END lines); to restart verification, or with a new key pair "
        f"under a new selector: `{_byodkim_command(setup, selector)}`",
    )


def _byodkim_key(facts: _Dkim, setup: DkimSetup, selector: str) -> tuple[Finding, ...]:
    """``provider.ses.dkim.key``: the owner's public key at the BYODKIM selector (TXT)."""
    check, name = "provider.ses.dkim.key", dkim_key_name(selector, setup.identity)
    answer = facts.keys.get(name)
    data: dict[str, Any] = {"name": name, "selector": selector, "origin": str(setup.origin)}
    if answer is None:
        return (_finding(check, Status.SKIPPED, name, "BYODKIM key not looked up", data=data),)
    if not answer.ok:
        return (
            _finding(
                check,
                Status.ERROR,
                name,
                f"could not look up the BYODKIM key {name}: {answer.describe()}",
                detail="Not the same as a missing key: the DNS gave no definite answer.",
                evidence=_ev(answer),
                data=data,
                fix="retry, or check the domain's nameservers",
            ),
        )
    keys = [r for r in answer.records if looks_like_key(r)] if answer.exists else []
    key = parse_dkim_key(keys[0]) if keys else None
    if key is None or key.errors or key.revoked:
        return (_byodkim_missing(facts, setup, selector, answer, key),)
    data.update(key_type=key.key_type, key_bits=key.key_bits, records=len(keys))
    bits = f"{key.key_bits}-bit " if key.key_bits else ""
    extra = f" ({len(keys)} key records: verifiers may pick any)" if len(keys) > 1 else ""
    found = _finding(
        check,
        Status.PASS,
        name,
        f"BYODKIM key at {name}: {bits}{key.key_type}{extra}",
        evidence=_ev(answer),
        reference=REF_BYODKIM,
        data=data,
    )
    return (found, *_byodkim_key_length(setup, selector, name, key))


def _byodkim_missing(
    facts: _Dkim, setup: DkimSetup, selector: str, answer: DnsAnswer, key: DkimKey | None
) -> Finding:
    name, d = dkim_key_name(selector, setup.identity), setup.identity
    if key is not None and key.errors:
        what = f"the BYODKIM key at {name} is malformed: {key.errors[0]}"
    elif key is not None:
        what = f"the BYODKIM key at {name} is revoked (empty p=)"
    elif answer.exists:
        what = f"{name} has TXT records but none is a DKIM key"
    else:
        what = f"the BYODKIM key {name} is not published ({answer.describe()})"
    doubled = facts.keys.get(f"{name}.{d}")
    detail = (
        f"{d} uses Bring Your Own DKIM: SES signs with the private key it was given, selector "
        f"{selector}, and it (like every receiver) needs the matching public key as TXT at this "
        "name. Without it SES does not verify DKIM for the domain and signatures cannot be "
        "verified. Easy DKIM CNAMEs are not used."
    )
    if doubled is not None and doubled.exists:
        detail += (
            f" A record exists at {doubled.name} instead: the DNS provider appended the zone "
            "name; enter only the part before the domain."
        )
    return _finding(
        "provider.ses.dkim.key",
        Status.FAIL,
        name,
        what,
        detail=f"{detail} {_PRIVATE_KEY_NOTE}",
        evidence=_ev(answer, doubled),
        reference=REF_BYODKIM,
        cause=CAUSE_BYODKIM_MISSING,
        fix=f'publish `{name}. TXT "v=DKIM1; k=rsa; p=<base64 public key>"` with the public '
        "key of the private key given to SES (`openssl rsa -in <private-key.pem> -pubout`, "
        "without the BEGIN/END lines); if that key is lost, make a new pair and give SES its "
        f"private key: `{_byodkim_command(setup, selector)}`",
        data={"name": name, "selector": selector, "origin": str(setup.origin)},
    )


def _byodkim_key_length(
    setup: DkimSetup, selector: str, name: str, key: DkimKey
) -> tuple[Finding, ...]:
    """The owner's key length, read from the published key (SES takes 1024 or 2048 bits)."""
    bits = key.key_bits
    if key.key_type != "rsa" or bits is None:
        return ()
    check, data = "provider.ses.dkim.key_length", {"key_bits": bits, "origin": str(setup.origin)}
    if bits >= 2048:
        summary = f"BYODKIM signs {setup.identity} with a {bits}-bit RSA key"
        return (_finding(check, Status.INFO, name, summary, reference=REF_KEY_SIZE, data=data),)
    rotate = (
        f"generate a 2048-bit key pair, publish its public key under a new selector, then "
        f"`{_byodkim_command(setup, '<new selector>')}`"
    )
    if bits < 1024:  # RFC 8301 section 3.2; SES itself takes only 1024- or 2048-bit keys
        return (
            _finding(
                check,
                Status.FAIL,
                name,
                f"the key at {name} has {bits} bits: receivers reject keys under 1024 bits, and "
                "it cannot be the key SES signs with (SES takes 1024 or 2048 bits)",
                reference=REF_KEY_SIZE,
                fix=rotate,
                data=data,
            ),
        )
    return (
        _finding(
            check,
            Status.WARN,
            name,
            f"BYODKIM signs {setup.identity} with a {bits}-bit RSA key: weaker than the "
            "recommended 2048 bits",
            reference=REF_KEY_SIZE,
            fix=rotate,
            data=data,
        ),
    )


def _easy_key_length(facts: _Dkim, setup: DkimSetup) -> tuple[Finding, ...]:
    """``provider.ses.dkim.key_length`` for Easy DKIM, from SES v2's key lengths."""
    current, following = setup.current_key_bits, setup.next_key_bits
    if setup.origin is not DkimOrigin.AWS_SES or not setup.enabled:
        return ()
    if current is None and following is None:
        return ()
    d = setup.identity
    status, summary, weak = _easy_key_verdict(d, current, following)
    generated = f" (key pair generated {_date(setup.key_generated)})" if setup.key_generated else ""
    fix = _easy_key_command(setup) if weak else ""
    return (
        _finding(
            "provider.ses.dkim.key_length",
            status,
            d,
            summary + generated,
            evidence=_ev(facts.v2.get(d)),
            reference=REF_DKIM,
            fix=f"`{fix}`" if fix else "",
            detail=_replica_note(setup) if fix else "",
            data={
                "current_key_bits": current,
                "next_key_bits": following,
                "key_generated": setup.key_generated.isoformat() if setup.key_generated else None,
                "command": fix or None,
            },
        ),
    )


def _easy_key_verdict(
    domain: str, current: int | None, following: int | None
) -> tuple[Status, str, bool]:
    """(status, summary, whether to move to 2048 bits); warn only on a known weak key."""
    later = following or 0
    if current is None:
        return (
            Status.INFO,
            f"SES does not report the length of {domain}'s current Easy DKIM key; the next key "
            f"it generates will have {following} bits",
            later < 2048,
        )
    if current >= 2048:
        return Status.INFO, f"Easy DKIM signs {domain} with a {current}-bit key", False
    if later >= 2048:
        return (
            Status.INFO,
            f"Easy DKIM signs {domain} with a {current}-bit key; the next key SES generates "
            f"will have {following} bits",
            False,
        )
    return (
        Status.WARN,
        f"Easy DKIM signs {domain} with a {current}-bit key: weaker than the recommended 2048 bits",
        True,
    )


def _easy_key_command(setup: DkimSetup) -> str:
    region = setup.replicated_from or setup.region
    return (
        f"aws sesv2 put-email-identity-dkim-signing-attributes --email-identity "
        f"{setup.identity} --signing-attributes-origin AWS_SES --signing-attributes "
        f"NextSigningKeyLength=RSA_2048_BIT --region {region}"
    )


def _replica_note(setup: DkimSetup) -> str:
    if not setup.replicated_from:
        return ""
    return (
        f"The identity replicates the Easy DKIM key of its parent identity in "
        f"{setup.replicated_from}, so the key length is changed there."
    )


def _cname(facts: _Dkim, setup: DkimSetup, token: str) -> Finding:
    check = "provider.ses.dkim.cname"
    name = dkim_cname_name(token, setup.identity)
    expected = dkim_targets(token, setup.region)
    answer = facts.cnames.get(name)
    data = {"name": name, "expected": expected[0]}
    if answer is None:
        return _finding(check, Status.SKIPPED, name, "CNAME not looked up", data=data)
    fix = f"publish `{name}. CNAME {expected[0]}.`"
    if answer.exists:
        found = answer.records[0].rstrip(".").lower()
        if found in expected:
            return _finding(
                check, Status.PASS, name, f"{name} -> {found}", evidence=_ev(answer), data=data
            )
        return _finding(
            check,
            Status.FAIL,
            name,
            f"{name} points to {found}, not {expected[0]}",
            evidence=_ev(answer),
            reference=REF_DKIM,
            cause=CAUSE_DKIM_WRONG,
            fix=fix,
            data=data,
        )
    if not answer.ok:
        return _finding(
            check,
            Status.ERROR,
            name,
            f"could not look up {name}: {answer.describe()}",
            evidence=_ev(answer),
            data=data,
        )
    return _missing_cname(facts, name, answer, fix, data)


def _missing_cname(
    facts: _Dkim, name: str, answer: DnsAnswer, fix: str, data: dict[str, Any]
) -> Finding:
    domain = name.split("._domainkey.", 1)[1]
    doubled = facts.cnames.get(f"{name}.{domain}")
    detail = (
        "Without this record SES cannot verify DKIM for the domain, and receivers cannot "
        "find the key for that selector."
    )
    if doubled is not None and doubled.exists:
        detail += (
            f" It exists at {doubled.name} instead: the DNS provider appended the zone "
            "name; enter only the part before the domain."
        )
    note = _origin_note(facts, domain)
    return _finding(
        "provider.ses.dkim.cname",
        Status.FAIL,
        name,
        f"the DKIM CNAME {name} is not published ({answer.describe()})",
        detail=f"{detail} {note}".strip(),
        evidence=_ev(answer, doubled),
        reference=REF_DKIM,
        cause=CAUSE_DKIM_MISSING,
        fix=fix,
        data=data,
    )


# -- custom MAIL FROM -------------------------------------------------------------------------
