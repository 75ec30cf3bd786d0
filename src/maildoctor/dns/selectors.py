"""DKIM selector discovery: which DKIM keys does a domain publish?

DNS cannot list a domain's selectors, so they are found three ways (RFC 6376 section 3.1):

1. **Signatures**: the ``s=`` of every ``DKIM-Signature`` in a message whose ``d=`` is the
   domain or one of its subdomains - the selectors the domain really signs with.
2. **Providers in use**: the sending services the domain's SPF includes and MX hosts point
   at, and the selectors each documents (:data:`PROVIDERS`, with sources).
3. **Common names**: a short list (:data:`COMMON`).

Only keys that exist are reported ("found"); a guessed selector without a key says nothing,
since DKIM may live under any name: the summary says how many names were tried, never that
DKIM is missing. A selector named by a signature whose key is absent is a warning: that one
is real.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..context import Context
from ..model import Finding, FindingMaker, Layer, Status
from .dkim import looks_like_key, parse_dkim_key
from .resolver import DnsAnswer

__all__ = [
    "COMMON",
    "PROVIDERS",
    "Candidate",
    "Provider",
    "candidates",
    "discover_selectors",
    "providers_in_use",
    "signature_selectors",
]

MAX_CANDIDATES = 40
MAX_MESSAGE_BYTES = 10 * 1024 * 1024
_MAKE = FindingMaker("dns.dkim", Layer.DNS, "RFC 6376 section 3.6.2.1 (key lookup)")


@dataclass(frozen=True, slots=True, kw_only=True)
class Provider:
    """A sending service and the DKIM selectors it documents.

    Attributes:
        name: What people call it.
        spf: Suffixes of ``include:`` domains that reveal it.
        mx: Suffixes of MX host names that reveal it.
        selectors: The selectors it signs with (empty: not guessable).
        note: Why the selectors cannot be guessed, when they cannot.
        reference: Where the selectors are documented.
    """

    name: str
    spf: tuple[str, ...] = ()
    mx: tuple[str, ...] = ()
    selectors: tuple[str, ...] = ()
    note: str = ""
    reference: str = ""


PROVIDERS: tuple[Provider, ...] = (
    Provider(
        name="Microsoft 365",
        spf=("spf.protection.outlook.com",),
        mx=(".mail.protection.outlook.com",),
        selectors=("selector1", "selector2"),
        reference="Microsoft Learn: Set up DKIM to sign mail from your Microsoft 365 domain - "
        "https://learn.microsoft.com/en-us/defender-office-365/email-authentication-dkim-configure",
    ),
    Provider(
        name="Google Workspace",
        spf=("_spf.google.com",),
        mx=(".google.com", ".googlemail.com"),
        selectors=("google",),
        reference="Google Workspace Admin Help: Set up DKIM (default selector 'google') - "
        "https://support.google.com/a/answer/174126",
    ),
    Provider(
        name="SendGrid",
        spf=("sendgrid.net",),
        selectors=("s1", "s2"),
        reference="Twilio SendGrid: Domain authentication (s1/s2._domainkey CNAMEs) - "
        "https://www.twilio.com/docs/sendgrid/ui/account-and-settings/how-to-set-up-domain-"
        "authentication",
    ),
    Provider(
        name="Mailchimp",
        spf=("mcsv.net", "mandrillapp.com"),
        selectors=("k1", "k2", "k3"),
        reference="Mailchimp domain authentication: k1 -> dkim.mcsv.net, k2/k3 -> "
        "dkim2/dkim3.mcsv.net - https://martypete.com/mailchimp-dkim",
    ),
    Provider(
        name="Mailgun",
        spf=("mailgun.org",),
        mx=(".mailgun.org",),
        selectors=("pdk1", "pdk2"),
        reference="Mailgun: Automatic Sender Security (pdk1/pdk2._domainkey CNAMEs) - "
        "https://documentation.mailgun.com/docs/mailgun/user-manual/domains/dkim_security",
    ),
    Provider(
        name="Postmark",
        spf=("mtasv.net",),
        note="Postmark gives each domain a dated selector (e.g. 20240101abc); it is found "
        "only from a signature or Postmark's Sender Signatures page",
        reference="https://phishfence.io/learn/dmarc-postmark",
    ),
    Provider(
        name="Zoho Mail",
        spf=("zoho.com", "zoho.eu", "zohomail.com"),
        mx=(".zoho.com", ".zoho.eu"),
        selectors=("zoho", "zmail"),
        note="the selector is chosen in Zoho's admin console; 'zoho' is the name in its help",
        reference="Zoho Mail: DKIM configuration - "
        "https://www.zoho.com/mail/help/adminconsole/dkim-configuration.html",
    ),
    Provider(
        name="Fastmail",
        spf=("messagingengine.com",),
        mx=(".messagingengine.com",),
        selectors=("fm1", "fm2", "fm3"),
        reference="Fastmail help: DKIM selectors fm1, fm2 and fm3 - "
        "https://www.fastmail.help/hc/en-us/articles/360060591153",
    ),
    Provider(
        name="Amazon SES",
        spf=("amazonses.com",),
        note="Easy DKIM selectors are random tokens: found from a signature, --selector, or "
        "`maildoctor ses` (the identity's DkimAttributes)",
        reference="AWS: Easy DKIM in Amazon SES - "
        "https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dkim-easy.html",
    ),
)

#: Names people often choose (not tied to one provider).
COMMON: tuple[str, ...] = (
    "default",
    "dkim",
    "mail",
    "key1",
    "k1",
    "s1",
    "s2",
    "selector1",
    "selector2",
    "google",
    "smtp",
    "mx",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A selector to try and why: ``signature``, ``provider`` (with its name) or ``common``."""

    selector: str
    source: str
    provider: str = ""

    def describe(self) -> str:
        if self.source == "signature":
            return "named by a DKIM-Signature in the message"
        if self.source == "provider":
            return f"{self.provider}'s documented selector"
        if self.source == "given":
            return "given with --selector"
        return "a common selector name"


_TAG = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9_]*)\s*=\s*([^;]*)")
_SELECTOR = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62})$")


def signature_selectors(raw: bytes, domain: str) -> tuple[str, ...]:
    """``s=`` of the message's DKIM-Signature fields whose ``d=`` is ``domain`` or below it."""
    message = email.message_from_bytes(raw[:MAX_MESSAGE_BYTES], policy=email.policy.compat32)
    found: dict[str, None] = {}
    for value in message.get_all("DKIM-Signature") or ():
        tags = {m.group(1).lower(): "".join(m.group(2).split()) for m in _TAG.finditer(str(value))}
        signer = tags.get("d", "").rstrip(".").lower()
        selector = tags.get("s", "")
        if (signer == domain or signer.endswith("." + domain)) and _SELECTOR.match(selector):
            found[selector] = None
    return tuple(found)


def providers_in_use(spf_txt: Iterable[str], mx_hosts: Iterable[str]) -> tuple[Provider, ...]:
    """The providers the domain's SPF ``include:`` terms and MX hosts point at."""
    includes = [
        target
        for record in spf_txt
        if record.lower().startswith("v=spf1")
        for term in record.split()
        if (target := _spf_target(term))
    ]
    hosts = [h.rstrip(".").lower() for h in mx_hosts]
    return tuple(p for p in PROVIDERS if _matches(p, includes, hosts))


def _spf_target(term: str) -> str:
    """The domain of an ``include:`` or ``redirect=`` term, else ``""``."""
    word = term.lower().lstrip("+~-?")
    for prefix in ("include:", "redirect="):
        if word.startswith(prefix):
            return word[len(prefix) :].rstrip(".")
    return ""


def _matches(provider: Provider, includes: Sequence[str], hosts: Sequence[str]) -> bool:
    by_spf = any(i == s or i.endswith("." + s) for i in includes for s in provider.spf)
    by_mx = any(h.endswith(m) for h in hosts for m in provider.mx)
    return by_spf or by_mx


def candidates(
    *,
    signatures: Iterable[str] = (),
    given: Iterable[str] = (),
    providers: Iterable[Provider] = (),
    common: Iterable[str] = COMMON,
) -> tuple[Candidate, ...]:
    """Every selector to try, most telling source first, each once, at most MAX_CANDIDATES."""
    out: dict[str, Candidate] = {}
    for s in signatures:
        out.setdefault(s, Candidate(selector=s, source="signature"))
    for s in given:
        out.setdefault(s, Candidate(selector=s, source="given"))
    for p in providers:
        for s in p.selectors:
            out.setdefault(s, Candidate(selector=s, source="provider", provider=p.name))
    for s in common:
        out.setdefault(s, Candidate(selector=s, source="common"))
    return tuple(out.values())[:MAX_CANDIDATES]


async def discover_selectors(
    domain: str,
    *,
    ctx: Context,
    message: bytes | None = None,
    given: Sequence[str] = (),
) -> tuple[Finding, ...]:
    """Find the DKIM keys a domain publishes.

    Args:
        domain: The signing domain (the From domain).
        ctx: The run's context.
        message: A message (or its headers) whose DKIM-Signature selectors to try first.
        given: Selectors the user named.

    Returns:
        A ``dns.dkim.selector_found`` finding per key found, a warning per selector a
        signature names without a key, and one ``dns.dkim.discovery`` summary.
    """
    spf, mx = await asyncio.gather(ctx.resolver.query(domain, "TXT"), _mx(domain, ctx))
    providers = providers_in_use(spf.records if spf.exists else (), mx)
    signatures = signature_selectors(message, domain) if message else ()
    tried = candidates(signatures=signatures, given=given, providers=providers)
    answers = await asyncio.gather(
        *(ctx.resolver.query(f"{c.selector}._domainkey.{domain}", "TXT") for c in tried)
    )
    findings = [f for c, a in zip(tried, answers, strict=True) if (f := _one(domain, c, a))]
    findings.append(_summary(domain, tried, answers, providers))
    return tuple(findings)


async def _mx(domain: str, ctx: Context) -> tuple[str, ...]:
    answer = await ctx.resolver.query(domain, "MX")
    return tuple(r.split()[-1] for r in answer.records) if answer.exists else ()


def _key_text(answer: DnsAnswer) -> str | None:
    keys = [r for r in answer.records if looks_like_key(r)] if answer.exists else []
    return keys[0] if keys else None


def _one(domain: str, candidate: Candidate, answer: DnsAnswer) -> Finding | None:
    name = f"{candidate.selector}._domainkey.{domain}"
    text = _key_text(answer)
    if text is None:
        if candidate.source == "signature" and answer.void:
            return _MAKE(
                "selector_unpublished",
                Status.WARN,
                name,
                f"the message is signed with selector {candidate.selector!r} but no key is "
                f"published at {name}",
                evidence=(answer.evidence(),),
                data={"selector": candidate.selector, "source": candidate.source},
            )
        return None
    key = parse_dkim_key(text)
    state = "revoked (empty p=)" if key.revoked else f"{key.key_type}"
    bits = f", {key.key_bits} bits" if key.key_bits else ""
    via = f" via CNAME to {answer.target}" if answer.cname_chain else ""
    return _MAKE(
        "selector_found",
        Status.INFO if key.revoked or key.errors else Status.PASS,
        name,
        f"DKIM key found at {name}{via}: {state}{bits} ({candidate.describe()})",
        evidence=(answer.evidence(),),
        data={
            "selector": candidate.selector,
            "source": candidate.source,
            "provider": candidate.provider,
            "key_type": key.key_type,
            "key_bits": key.key_bits,
            "revoked": key.revoked,
            "problems": list(key.errors),
        },
    )


def _summary(
    domain: str,
    tried: Sequence[Candidate],
    answers: Sequence[DnsAnswer],
    providers: Sequence[Provider],
) -> Finding:
    found = [c.selector for c, a in zip(tried, answers, strict=True) if _key_text(a)]
    failed = [c.selector for c, a in zip(tried, answers, strict=True) if not a.ok]
    names = ", ".join(p.name for p in providers) or "none recognised"
    notes = [f"{p.name}: {p.note}" for p in providers if p.note]
    head = f"found {len(found)} DKIM key(s) for {domain}" + (
        f" (selectors: {', '.join(found)})" if found else ""
    )
    return _MAKE(
        "discovery",
        Status.INFO,
        domain,
        f"{head}; tried {len(tried)} selectors; providers seen in SPF/MX: {names}",
        detail="A selector that was only guessed and has no key says nothing: DKIM may be "
        "published under another name. " + " ".join(notes),
        data={
            "found": found,
            "tried": [c.selector for c in tried],
            "could_not_check": failed,
            "providers": [p.name for p in providers],
            "references": [p.reference for p in providers if p.reference],
        },
    )


def provider_table() -> Mapping[str, tuple[str, ...]]:
    """Provider name -> documented selectors (for docs and ``--help``)."""
    return {p.name: p.selectors for p in PROVIDERS}
