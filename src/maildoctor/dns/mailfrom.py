"""The MAIL FROM (envelope sender, RFC5321.MailFrom) domain: MX, SPF, alignment.

SPF is evaluated on the MAIL FROM domain, not on the From domain; DMARC then
asks whether that domain *aligns* with the From domain (RFC 9989 section 4.4:
relaxed = same Organizational Domain, strict = identical).

Amazon SES custom MAIL FROM (REFERENCE.md section 3; SES Developer Guide, "Using
a custom MAIL FROM domain") needs exactly one MX ``10 feedback-smtp.<region>.
amazonses.com`` - a second MX breaks it - and TXT ``v=spf1 include:amazonses.com
~all`` on the MAIL FROM subdomain. Without it SES uses its own amazonses.com
MAIL FROM: SPF passes, but for amazonses.com, which never aligns, so DMARC rests
on DKIM alone.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

from ..context import Context
from ..model import Evidence, Finding, FindingMaker, Layer, Status
from ..provider.ses.endpoints import feedback_endpoint_region
from .mx import MxResult, mx_hosts
from .names import is_subdomain_or_same
from .orgdomain import TreeWalk, tree_walk
from .resolver import DnsAnswer, Resolver
from .spf_eval import SpfResult, SpfVerdict, check_host
from .spf_findings import tree_findings
from .spf_lint import SpfNode, build_tree
from .spf_parse import parse_record

__all__ = [
    "SES_FALLBACK",
    "SES_SPF_DOMAIN",
    "SpfEvaluation",
    "alignment",
    "check_mail_from",
    "evaluate_spf",
    "default_mail_from_finding",
    "mail_from_findings",
    "ses_region",
    "ses_sample_ips",
    "spf_records",
]

REF_SES = "Amazon SES Developer Guide: Using a custom MAIL FROM domain"
REF_ALIGN = "RFC 9989 §4.4"
REF_SPF = "RFC 7208 §4.5"
#: Where SES publishes the IP ranges it sends from (its SPF record, which
#: ``include:amazonses.com`` points at): the ranges for every region.
SES_SPF_DOMAIN = "amazonses.com"
#: Sample addresses evaluated per published SES record (one per range, first ranges).
MAX_SES_SAMPLES = 3

SES_FALLBACK = (
    "Without a working custom MAIL FROM, SES sends with its own amazonses.com MAIL FROM: "
    "SPF passes, but for amazonses.com, which does not align with the From domain, so "
    "DMARC rests on DKIM alone. (If the identity's BehaviorOnMxFailure is RejectMessage, "
    "SES refuses to send instead: MailFromDomainNotVerified.)"
)


def ses_region(exchange: str) -> str | None:
    """``feedback-smtp.us-east-1.amazonses.com`` -> ``us-east-1``; else ``None``."""
    return feedback_endpoint_region(exchange)


def spf_records(answer: DnsAnswer) -> tuple[str, ...]:
    """TXT strings that are SPF records: ``v=spf1`` then a space or the end (RFC 7208 §4.5)."""
    if not answer.exists:
        return ()
    return tuple(r for r in answer.records if re.match(r"(?i)^v=spf1(\s|$)", r))


def includes_ses(record: str) -> bool:
    """True when the SPF record has an ``include:amazonses.com`` term (any qualifier but ``-``)."""
    terms = record.lower().split()
    return any(t.lstrip("+~?") == "include:amazonses.com" for t in terms)


@dataclass(frozen=True, slots=True, kw_only=True)
class Alignment:
    """Identifier alignment of the MAIL FROM domain with the From domain.

    Attributes:
        strict: The domains are identical.
        relaxed: They share an Organizational Domain (RFC 9989 tree walk).
        relaxed_psl: They share one by RFC 7489's public suffix list.
        mode: The From domain's ``aspf=`` (``r`` unless its record says ``s``).
        subdomain: The MAIL FROM domain lies under the From domain (SES requires it).
        has_policy: A DMARC record applies to the From domain (else nobody checks alignment).
    """

    strict: bool
    relaxed: bool
    relaxed_psl: bool
    mode: str
    subdomain: bool = True
    has_policy: bool = True
    evidence: tuple[Evidence, ...] = ()

    @property
    def aligned(self) -> bool:
        return self.strict if self.mode == "s" else self.relaxed


def alignment(mail_from: str, from_walk: TreeWalk, mail_from_walk: TreeWalk) -> Alignment:
    """Pure: SPF identifier alignment per RFC 9989 section 4.4, with the PSL reading beside it."""
    record = from_walk.policy.record if from_walk.policy is not None else None
    psl_from = from_walk.psl_org or from_walk.domain
    psl_mail_from = mail_from_walk.psl_org or mail_from
    return Alignment(
        strict=mail_from == from_walk.domain,
        relaxed=mail_from_walk.org_domain == from_walk.org_domain,
        relaxed_psl=psl_mail_from == psl_from,
        mode=record.aspf if record is not None else "r",
        subdomain=is_subdomain_or_same(mail_from, from_walk.domain),
        has_policy=record is not None,
        evidence=from_walk.evidence() + mail_from_walk.evidence(),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SpfEvaluation:
    """A domain's SPF record evaluated: the lint tree and ``check_host()`` per sending IP.

    Attributes:
        tree: The include/redirect tree (:func:`~maildoctor.dns.spf_lint.build_tree`).
        results: One ``check_host()`` result per sending IP evaluated.
        ips_from: Where the IPs came from (``the evidence``, ``SES's published ranges``).
    """

    tree: SpfNode
    results: tuple[SpfResult, ...] = ()
    ips_from: str = ""

    def lint(self) -> tuple[Finding, ...]:
        """The whole-tree lint findings."""
        return tree_findings(self.tree, required=True)

    def problems(self) -> tuple[Finding, ...]:
        """Lint findings that make the record a permerror for every receiver."""
        return tuple(f for f in self.lint() if f.status is Status.FAIL and f.cause)


def _sample_ips(record: str) -> list[str]:
    parsed = parse_record(record)
    nets = [m.network for m in parsed.mechanisms if m.name in ("ip4", "ip6") and m.network]
    return [str(n.network_address) for n in nets[:MAX_SES_SAMPLES]]


async def ses_sample_ips(resolver: Resolver) -> tuple[str, ...]:
    """One address of each of the first ranges SES publishes in ``amazonses.com``'s SPF.

    Returns:
        The addresses; empty when the record cannot be read (then nothing is claimed).
    """
    answer = await resolver.query(SES_SPF_DOMAIN, "TXT")
    records = spf_records(answer)
    return tuple(_sample_ips(records[0])) if len(records) == 1 else ()


async def evaluate_spf(
    domain: str, *, ctx: Context, ips: tuple[str, ...] = (), ses: bool = False
) -> SpfEvaluation:
    """Lint ``domain``'s SPF tree and run ``check_host()`` for the sending IPs.

    Args:
        domain: The domain whose record receivers evaluate (MAIL FROM or HELO name).
        ctx: The run's context (resolver, clock).
        ips: Sending IPs the evidence names; when empty and ``ses``, samples of SES's ranges.
        ses: The mail goes through SES.
    """
    tree_task = build_tree(domain, resolver=ctx.resolver)
    ips_from = "the evidence" if ips else ""
    if not ips and ses:
        ips, ips_from = await ses_sample_ips(ctx.resolver), "SES's published ranges"
    tree, results = await asyncio.gather(tree_task, _check_all(domain, ips, ctx))
    return SpfEvaluation(tree=tree, results=results, ips_from=ips_from)


async def _check_all(domain: str, ips: tuple[str, ...], ctx: Context) -> tuple[SpfResult, ...]:
    sender = f"postmaster@{domain}"
    return tuple(
        await asyncio.gather(
            *(check_host(ip, sender, resolver=ctx.resolver, clock=ctx.clock) for ip in ips)
        )
    )


async def check_mail_from(
    mail_from: str, from_domain: str, *, ctx: Context, ips: tuple[str, ...] = ()
) -> tuple[Finding, ...]:
    """Check a MAIL FROM domain's MX and SPF, and its alignment with the From domain.

    Args:
        mail_from: The MAIL FROM domain (validated).
        from_domain: The From (Author) domain (validated).
        ctx: The run's context. The From domain's tree walk shares its queries
            with the DMARC check through the resolver's coalescing cache.
        ips: Sending IPs the evidence names (else SES's published ranges, for SES mail).

    Returns:
        ``dns.mailfrom.mx``, ``dns.mailfrom.spf`` and ``dns.mailfrom.alignment``.
    """
    mx, txt, from_walk, mf_walk = await asyncio.gather(
        mx_hosts(mail_from, ctx=ctx),
        ctx.resolver.query(mail_from, "TXT"),
        tree_walk(from_domain, ctx=ctx),
        tree_walk(mail_from, ctx=ctx),
    )
    ses = any(ses_region(h.exchange) for h in mx.hosts) or any(
        includes_ses(r) for r in spf_records(txt)
    )
    evaluation = await evaluate_spf(mail_from, ctx=ctx, ips=ips, ses=ses)
    align = alignment(mail_from, from_walk, mf_walk)
    return mail_from_findings(mail_from, mx, txt, align, evaluation)


def mail_from_findings(
    mail_from: str,
    mx: MxResult,
    txt: DnsAnswer,
    align: Alignment,
    evaluation: SpfEvaluation | None = None,
) -> tuple[Finding, ...]:
    """Pure: the MAIL FROM findings from fetched data."""
    ses = any(ses_region(h.exchange) for h in mx.hosts)
    return (
        _mx_finding(mail_from, mx),
        _spf_finding(mail_from, txt, ses, evaluation),
        _align(mail_from, align),
    )


_finding = FindingMaker("dns.mailfrom", Layer.DNS, REF_SES)


def _ses_fix(mail_from: str) -> str:
    return (
        f"Publish exactly one MX at {mail_from}: 10 feedback-smtp.<region>.amazonses.com (the "
        "SES region you send from), and nothing else."
    )


def _mx_finding(mail_from: str, mx: MxResult) -> Finding:
    evidence = (mx.answer.evidence(),)
    if not mx.answer.ok:
        return _finding(
            "mx",
            Status.ERROR,
            mail_from,
            f"could not look up MX for {mail_from}: {mx.answer.describe()}",
            evidence=evidence,
            fix="Retry, or check the nameservers.",
        )
    if mx.implicit or mx.null_mx or not mx.hosts:
        what = "a null MX" if mx.null_mx else "no MX record"
        return _finding(
            "mx",
            Status.FAIL,
            mail_from,
            f"MAIL FROM domain {mail_from} has {what}",
            detail=f"Bounces cannot come back. {SES_FALLBACK}",
            evidence=evidence,
            fix=_ses_fix(mail_from),
            cause="dns.mailfrom.mx_missing",
        )
    return _mx_records(mail_from, mx, evidence)


def _mx_records(mail_from: str, mx: MxResult, evidence: tuple[Evidence, ...]) -> Finding:
    hosts = [f"{h.preference} {h.exchange}" for h in mx.hosts]
    regions = sorted({r for h in mx.hosts if (r := ses_region(h.exchange))})
    data = {"mx": hosts, "ses_regions": regions}
    if regions and len(mx.hosts) > 1:
        return _finding(
            "mx",
            Status.FAIL,
            mail_from,
            f"{len(mx.hosts)} MX records at {mail_from}: SES custom MAIL FROM needs exactly one",
            detail=f"MX: {', '.join(hosts)}. With more than one MX the setup breaks. "
            + SES_FALLBACK,
            evidence=evidence,
            fix=_ses_fix(mail_from),
            cause="dns.mailfrom.mx_multiple",
            data=data,
        )
    if regions:
        return _finding(
            "mx",
            Status.PASS,
            mail_from,
            f"MX {hosts[0]}: SES custom MAIL FROM for region {regions[0]}",
            evidence=evidence,
            data=data,
        )
    return _finding(
        "mx",
        Status.INFO,
        mail_from,
        f"MX {', '.join(hosts)}: not SES (fine if another provider sends with this MAIL FROM)",
        detail="For SES custom MAIL FROM the only MX must be 10 feedback-smtp.<region>."
        "amazonses.com.",
        evidence=evidence,
        data=data,
    )


def _spf_finding(
    mail_from: str, txt: DnsAnswer, ses: bool, evaluation: SpfEvaluation | None
) -> Finding:
    evidence = (txt.evidence(),)
    if not txt.ok:
        return _finding(
            "spf",
            Status.ERROR,
            mail_from,
            f"could not look up TXT for {mail_from}: {txt.describe()}",
            evidence=evidence,
            reference=REF_SPF,
            fix="Retry, or check the nameservers.",
        )
    records = spf_records(txt)
    fix = f'Publish one TXT at {mail_from}: "v=spf1 include:amazonses.com ~all"'
    if not records:
        return _finding(
            "spf",
            Status.FAIL,
            mail_from,
            f"no SPF record at MAIL FROM domain {mail_from}",
            detail="SPF is evaluated on the MAIL FROM domain, so an SPF record at the From "
            "domain's apex does not help here. " + SES_FALLBACK,
            evidence=evidence,
            reference=REF_SPF,
            fix=fix,
            cause="dns.mailfrom.spf_missing",
        )
    if len(records) > 1:
        return _finding(
            "spf",
            Status.FAIL,
            mail_from,
            f"{len(records)} SPF records at {mail_from}: SPF permerror",
            evidence=evidence,
            reference=REF_SPF,
            fix=fix,
            cause="dns.mailfrom.spf_multiple",
            data={"records": list(records)},
        )
    if evaluation is None:
        return _spf_unevaluated(mail_from, records[0], evidence)
    return _spf_evaluated(mail_from, records[0], ses, evaluation, evidence, fix)


def _spf_unevaluated(mail_from: str, record: str, evidence: tuple[Evidence, ...]) -> Finding:
    """Without an evaluation nothing is claimed: containing an include is not passing."""
    return _finding(
        "spf",
        Status.INFO,
        mail_from,
        f"SPF at {mail_from} (not evaluated): {record}",
        evidence=evidence,
        reference=REF_SPF,
        data={"record": record, "includes_amazonses": includes_ses(record)},
    )


def _spf_evaluated(
    mail_from: str,
    record: str,
    ses: bool,
    evaluation: SpfEvaluation,
    evidence: tuple[Evidence, ...],
    fix: str,
) -> Finding:
    evidence += tuple(e for r in evaluation.results for e in r.evidence[:3])
    data: dict[str, Any] = {
        "record": record,
        "includes_amazonses": includes_ses(record),
        "ips_from": evaluation.ips_from,
        "results": {r.ip: str(r.result) for r in evaluation.results},
    }
    problems = evaluation.problems()
    perm = [r for r in evaluation.results if r.result is SpfVerdict.PERMERROR]
    if problems or perm:
        return _spf_permerror(mail_from, record, problems, perm, evidence, data)
    failing = [r for r in evaluation.results if r.result is not SpfVerdict.PASS]
    temp = [r for r in failing if r.result is SpfVerdict.TEMPERROR]
    if temp:
        return _finding(
            "spf",
            Status.ERROR,
            mail_from,
            f"SPF for {temp[0].ip} at {mail_from}: temperror ({'; '.join(temp[0].problems[:1])})",
            evidence=evidence,
            reference=REF_SPF,
            data=data,
        )
    if failing:
        return _spf_not_authorized(mail_from, record, ses, failing, evaluation, evidence, data)
    if evaluation.results:
        ips = ", ".join(r.ip for r in evaluation.results)
        return _finding(
            "spf",
            Status.PASS,
            mail_from,
            f"SPF at {mail_from} passes for {ips} ({evaluation.ips_from}): {record}",
            evidence=evidence,
            reference=REF_SPF,
            data=data,
        )
    return _finding(
        "spf",
        Status.INFO,
        mail_from,
        f"SPF at {mail_from} has no error, but no sending IP to evaluate it for: {record}",
        detail="Give the sending IP (--ip / --sending-ip) to evaluate it with check_host().",
        evidence=evidence,
        reference=REF_SPF,
        data=data,
    )


def _spf_permerror(
    mail_from: str,
    record: str,
    problems: tuple[Finding, ...],
    perm: list[SpfResult],
    evidence: tuple[Evidence, ...],
    data: dict[str, Any],
) -> Finding:
    reasons = [f.summary for f in problems] + [p for r in perm for p in r.problems[:1]]
    first = reasons[0] if reasons else "permerror"
    return _finding(
        "spf",
        Status.FAIL,
        mail_from,
        f"SPF at {mail_from} is a permerror for every receiver: {first}",
        detail="\n".join(
            [f"record: {record}", *dict.fromkeys(reasons)]
            + [f"check_host({r.ip}) = {r.result}" for r in perm]
        )
        + "\nContaining include:amazonses.com does not help when evaluation stops before it.",
        evidence=evidence,
        reference=REF_SPF,
        fix=f'Reduce the record at {mail_from} to what sends as it: "v=spf1 include:'
        'amazonses.com ~all" for SES.',
        cause="dns.mailfrom.spf_permerror",
        data=data,
    )


def _spf_not_authorized(
    mail_from: str,
    record: str,
    ses: bool,
    failing: list[SpfResult],
    evaluation: SpfEvaluation,
    evidence: tuple[Evidence, ...],
    data: dict[str, Any],
) -> Finding:
    first = failing[0]
    summary = (
        f"SPF at {mail_from} gives {first.result} for {first.ip} ({evaluation.ips_from}): {record}"
    )
    if ses or evaluation.ips_from == "SES's published ranges":
        return _finding(
            "spf",
            Status.FAIL,
            mail_from,
            summary,
            detail="SES sends from its own IPs; the record must authorize them "
            "(include:amazonses.com) for SPF to pass for the custom MAIL FROM.",
            evidence=evidence,
            reference=REF_SPF,
            fix=f'Publish one TXT at {mail_from}: "v=spf1 include:amazonses.com ~all"',
            cause="dns.mailfrom.spf_no_ses",
            data=data,
        )
    return _finding(
        "spf",
        Status.FAIL,
        mail_from,
        summary,
        evidence=evidence,
        reference=REF_SPF,
        fix=f"Authorize {first.ip} (or its service's include) in the SPF record of {mail_from}.",
        cause="dns.spf.ip_not_permitted",
        data=data,
    )


def _align(mail_from: str, align: Alignment) -> Finding:
    data = {
        "strict": align.strict,
        "relaxed": align.relaxed,
        "relaxed_psl": align.relaxed_psl,
        "aspf": align.mode,
    }
    note = ""
    if align.relaxed != align.relaxed_psl:
        note = " RFC 7489 receivers (public suffix list) judge relaxed alignment differently."
    if not align.subdomain:
        note += " SES only accepts a custom MAIL FROM that is a subdomain of the identity's domain."
    if not align.has_policy:
        return _no_policy(mail_from, align, data, note)
    if align.aligned:
        mode = "strict" if align.mode == "s" else "relaxed"
        return _finding(
            "alignment",
            Status.PASS,
            mail_from,
            f"MAIL FROM {mail_from} aligns with the From domain ({mode})",
            detail=note.strip(),
            evidence=align.evidence,
            reference=REF_ALIGN,
            data=data,
        )
    why = (
        "aspf=s requires identical domains"
        if align.mode == "s" and align.relaxed
        else "they have different Organizational Domains"
    )
    return _finding(
        "alignment",
        Status.FAIL,
        mail_from,
        f"MAIL FROM {mail_from} does not align with the From domain: {why}",
        detail="SPF can pass for this MAIL FROM and still not count for DMARC, which then rests "
        "on DKIM alone." + note,
        evidence=align.evidence,
        reference=REF_ALIGN,
        fix="Use a MAIL FROM subdomain of the From domain (e.g. bounce.<from-domain>).",
        cause="dns.mailfrom.not_aligned",
        data=data,
    )


def _no_policy(mail_from: str, align: Alignment, data: dict[str, Any], note: str) -> Finding:
    """No DMARC record applies: alignment is moot, so predict it with the PSL reading.

    Under RFC 9989 a domain with no DMARC record anywhere above it is its own
    Organizational Domain, so nothing but identical names would align yet.
    """
    would = "would align" if align.relaxed_psl or align.strict else "would not align"
    return _finding(
        "alignment",
        Status.INFO,
        mail_from,
        f"no DMARC record applies to the From domain, so receivers do not check alignment; "
        f"with one at its Organizational Domain, {mail_from} {would} (relaxed)",
        detail=note.strip(),
        evidence=align.evidence,
        reference=REF_ALIGN,
        data=data,
    )


def default_mail_from_finding(domain: str) -> Finding:
    """``dns.mailfrom.default``: no MAIL FROM domain was given; what SES then does."""
    return _finding(
        "default",
        Status.INFO,
        domain,
        "no MAIL FROM domain given (--mail-from): with SES's default, SPF does not align",
        detail=SES_FALLBACK,
        fix=f"Set up a custom MAIL FROM subdomain such as bounce.{domain} and check it "
        "with --mail-from.",
    )
