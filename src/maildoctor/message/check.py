"""``check_headers``: everything one message's header section can tell.

The one orchestrator of :mod:`maildoctor.message` (MODELS.md section 1). It parses
the message, gathers the facts (:mod:`.facts`), then runs the network steps at
once - DKIM/ARC key prefetch, the DMARC record, SPF re-evaluation - and turns
the results into findings. Check ids (layer ``message``):

``message.headers.parse``, ``message.headers.from`` -
``message.received.chain``, ``.delay``, ``.out_of_order``, ``.undated``, ``.boundary``,
``.tls`` - ``message.auth_results.receiver``, ``.syntax``, ``.missing`` -
``message.dkim.signature``, ``.unsigned``, ``.disagrees`` - ``message.arc.chain``,
``.structure``, ``.disagrees`` - ``message.spf.reevaluated``, ``.disagrees``, ``.skipped`` -
``message.dmarc.policy``, ``.alignment``, ``.disagrees`` - ``message.antispam.microsoft``,
``.google``, ``.spamassassin``, ``.compauth``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from ..context import Context
from ..dns.resolver import DnsAnswer, Resolver
from ..dns.spf_eval import SpfResult, check_host
from ..errors import InputError
from ..model import Finding, Status
from . import spamheaders
from .alignment import Alignment, DmarcPolicy, aligned, evaluate_alignment, fetch_dmarc
from .auth_results import ArcSet, AuthResult, arc_sets
from .common import RFC_ARC, RFC_DKIM, RFC_DMARC, RFC_SPF, SLOW_HOP_S
from .common import message_finding as _finding
from .dkim_verify import (
    ArcVerdict,
    DkimVerdict,
    PrefetchedKeys,
    key_names,
    prefetch_keys,
    verify_arc_with,
    verify_dkim_with,
)
from .facts import MessageFacts, gather_facts
from .headers import ParsedMessage, parse_message
from .transit import auth_results_findings, received_findings

__all__ = ["SLOW_HOP_S", "check_headers"]

log = logging.getLogger(__name__)


async def check_headers(raw: bytes, *, ctx: Context) -> tuple[Finding, ...]:
    """Diagnose one message from its header section (and body, for DKIM).

    Args:
        raw: A full message or only its header section.
        ctx: Resolver, timeout and clock for the run.

    Returns:
        Findings of layer ``message``; never raises for a broken message.
    """
    parsed = parse_message(raw)
    findings = list(_parse_findings(parsed))
    if not parsed.looks_like_mail:
        return tuple(findings)
    facts = gather_facts(parsed)
    network = await _network_steps(raw, parsed, facts, ctx.resolver)
    findings += _from_findings(facts)
    findings += received_findings(facts)
    findings += auth_results_findings(facts)
    findings += dkim_findings(network.dkim, facts, parsed)
    findings += arc_findings(network.arc, parsed, facts)
    findings += spf_findings(network.spf, facts)
    findings += dmarc_findings(network, facts)
    findings += antispam_findings(parsed, facts)
    return tuple(findings)


@dataclass(frozen=True, slots=True, kw_only=True)
class SpfOutcome:
    """SPF re-evaluation: ``result`` empty when it did not run (``skipped`` says why)."""

    result: str = ""
    explanation: str = ""
    skipped: str = ""
    ip: str = ""
    sender: str = ""
    helo: str = ""
    raw: SpfResult | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkResults:
    dkim: tuple[DkimVerdict, ...]
    arc: ArcVerdict | None
    spf: SpfOutcome
    dmarc: DmarcPolicy | None
    dmarc_answers: tuple[DnsAnswer, ...]


async def _network_steps(
    raw: bytes, parsed: ParsedMessage, facts: MessageFacts, resolver: Resolver
) -> NetworkResults:
    """Keys, DMARC record and SPF at once; then dkimpy off the event loop."""
    keys_task = prefetch_keys(key_names(parsed), resolver=resolver)
    dmarc_task = _dmarc(facts, resolver)
    keys, (policy, answers), spf = await asyncio.gather(
        keys_task, dmarc_task, _spf(facts, resolver)
    )
    dkim_verdicts, arc = await asyncio.to_thread(_verify_all, raw, parsed, keys)
    return NetworkResults(dkim=dkim_verdicts, arc=arc, spf=spf, dmarc=policy, dmarc_answers=answers)


async def _dmarc(
    facts: MessageFacts, resolver: Resolver
) -> tuple[DmarcPolicy | None, tuple[DnsAnswer, ...]]:
    if not facts.from_domain:
        return None, ()
    return await fetch_dmarc(facts.from_domain, resolver=resolver)


def _verify_all(
    raw: bytes, parsed: ParsedMessage, keys: PrefetchedKeys
) -> tuple[tuple[DkimVerdict, ...], ArcVerdict | None]:
    dkim_verdicts = verify_dkim_with(raw, parsed, keys)
    has_arc = any(f.key.startswith("arc-") for f in parsed.fields)
    return dkim_verdicts, verify_arc_with(raw, keys) if has_arc else None


# -- SPF ---------------------------------------------------------------------------


async def _spf(facts: MessageFacts, resolver: Resolver) -> SpfOutcome:
    """Re-evaluate SPF for the connecting IP with :func:`maildoctor.dns.spf_eval.check_host`."""
    if not facts.connecting_ip:
        return SpfOutcome(
            skipped="no connecting IP found in the Received chain or Authentication-Results"
        )
    sender = facts.mail_from or (f"postmaster@{facts.helo}" if facts.helo else "")
    if not sender:
        return SpfOutcome(skipped="neither MAIL FROM nor HELO is known", ip=facts.connecting_ip)
    ip, helo = facts.connecting_ip, facts.helo
    try:
        result = await check_host(ip, sender, helo, resolver=resolver)
    except InputError as exc:  # the IP the headers gave is not an address
        return SpfOutcome(skipped=f"SPF not evaluated: {exc}", ip=ip, sender=sender, helo=helo)
    return SpfOutcome(
        result=str(result.result),
        explanation=result.explanation,
        raw=result,
        ip=ip,
        sender=sender,
        helo=helo,
    )


# -- parse and From --------------------------------------------------------------------


def _parse_findings(parsed: ParsedMessage) -> list[Finding]:
    if not parsed.fields or not parsed.looks_like_mail:
        what = "no From, Date, Received or Message-ID"
        if not parsed.fields:
            empty = not parsed.warnings and not parsed.body_bytes
            what = "empty input" if empty else "no header fields"
        return [
            _finding(
                "message.headers.parse",
                Status.ERROR,
                "input",
                f"This does not look like an email message ({what})",
                detail="\n".join(parsed.warnings),
                fix='Save the message with all its headers ("Show original" / "View source") '
                "and pass that file.",
                reference="RFC 5322 section 3.6",
                data={"reason": what},
            )
        ]
    if parsed.warnings:
        return [
            _finding(
                "message.headers.parse",
                Status.WARN,
                "input",
                "The header section was only partly readable",
                detail="\n".join(parsed.warnings),
                reference="RFC 5322 section 2.2",
            )
        ]
    return []


def _from_findings(facts: MessageFacts) -> list[Finding]:
    if facts.from_count == 1 and facts.from_domain:
        return []
    summary = (
        "No usable From address" if facts.from_count <= 1 else f"{facts.from_count} From fields"
    )
    return [
        _finding(
            "message.headers.from",
            Status.WARN,
            "From",
            summary + ": DMARC cannot be evaluated and receivers may reject the message",
            reference="RFC 5322 section 3.6; RFC 7489 section 6.6.1",
        )
    ]


# -- DKIM -----------------------------------------------------------------------------

_DKIM_STATUS = {
    "pass": Status.PASS,
    "fail": Status.FAIL,
    "permerror": Status.FAIL,
    "temperror": Status.ERROR,
    "skipped": Status.SKIPPED,
    "neutral": Status.WARN,
    "policy": Status.WARN,
}


def dkim_findings(
    verdicts: Sequence[DkimVerdict], facts: MessageFacts, parsed: ParsedMessage
) -> list[Finding]:
    """One finding per signature, plus unsigned mail and disagreements with the receiver."""
    if not verdicts:
        return [
            _finding(
                "message.dkim.unsigned",
                Status.WARN,
                facts.from_domain or "message",
                "The message has no DKIM signature: DMARC can pass only through SPF, which "
                "forwarding breaks",
                reference="RFC 6376; RFC 7489 section 4.2",
                fix="Sign outgoing mail with DKIM for the From domain (for SES: Easy DKIM on the "
                "domain identity).",
                cause="dns.dkim.unsigned",
            )
        ]
    any_pass = any(v.result == "pass" for v in verdicts)
    findings = [_signature_finding(v, any_pass) for v in verdicts]
    findings += _dkim_disagreements(verdicts, facts)
    return findings


def _signature_finding(verdict: DkimVerdict, any_pass: bool) -> Finding:
    status = _DKIM_STATUS.get(verdict.result, Status.WARN)
    if status is Status.FAIL and any_pass:
        status = Status.WARN  # another signature carries the message
    bits = f", {verdict.key_bits}-bit key" if verdict.key_bits else ""
    evidence = (verdict.key_answer.evidence(),) if verdict.key_answer else ()
    return _finding(
        "message.dkim.signature",
        status,
        f"{verdict.selector}._domainkey.{verdict.domain}",
        f"DKIM d={verdict.domain} s={verdict.selector}: {verdict.result} ({verdict.reason}{bits})",
        reference=RFC_DKIM,
        evidence=evidence,
        data=verdict.to_dict(),
        cause=_dkim_cause(verdict) if status is Status.FAIL else "",
        fix=_dkim_fix(verdict) if status in (Status.FAIL, Status.WARN) else "",
    )


def _dkim_cause(verdict: DkimVerdict) -> str:
    reason = verdict.reason.lower()
    if "body hash" in reason:
        return "message.dkim.body_modified"
    if "no key published" in reason:
        return "dns.dkim.key_missing"
    if "revoked" in reason:
        return "dns.dkim.key_revoked"
    if "1024 bits" in reason:
        return "dns.dkim.key_weak"
    return "message.dkim.signature_invalid"


def _dkim_fix(verdict: DkimVerdict) -> str:
    cause = _dkim_cause(verdict)
    return {
        "message.dkim.body_modified": "Something changed the body after signing (a footer, a "
        "gateway, a mailing list): sign after the last change or stop the rewrite.",
        "dns.dkim.key_missing": f"Publish the key at {verdict.selector}._domainkey."
        f"{verdict.domain}, or sign with a selector that is published.",
        "dns.dkim.key_revoked": "The key record has an empty p=: sign with a current selector.",
        "dns.dkim.key_weak": "Publish and sign with a 2048-bit RSA key.",
    }.get(cause, "Check that the signer uses the private key matching the published selector.")


def _dkim_disagreements(verdicts: Sequence[DkimVerdict], facts: MessageFacts) -> list[Finding]:
    findings: list[Finding] = []
    for recorded in facts.receiver_results("dkim"):
        ours = _matching_verdict(recorded, verdicts)
        if ours is None or _same_verdict(recorded.result, ours.result):
            continue
        findings.append(
            _finding(
                "message.dkim.disagrees",
                Status.WARN,
                f"{ours.selector}._domainkey.{ours.domain}",
                f"The receiver recorded dkim={recorded.result} for d={ours.domain}, "
                f"verification now gives {ours.result}",
                detail="The key may have changed since delivery (rotation, revocation), or the "
                "copy checked here differs from what the receiver saw (saved by a client, "
                "modified by a gateway after the receiver's check).",
                reference="RFC 8601 section 5; " + RFC_DKIM,
            )
        )
    return findings


def _matching_verdict(recorded: AuthResult, verdicts: Sequence[DkimVerdict]) -> DkimVerdict | None:
    domain = (recorded.prop("header.d") or recorded.prop("header.i").rpartition("@")[2]).lower()
    selector = recorded.prop("header.s")
    b_prefix = recorded.prop("header.b")
    for verdict in verdicts:
        if b_prefix and not verdict.b_prefix.startswith(b_prefix[:8]):
            continue
        if domain and verdict.domain != domain:
            continue
        if selector and verdict.selector != selector:
            continue
        if domain or b_prefix:
            return verdict
    return None


def _same_verdict(recorded: str, ours: str) -> bool:
    if ours == "skipped":
        return True
    return (recorded == "pass") == (ours == "pass")


# -- ARC ------------------------------------------------------------------------------


def arc_findings(
    verdict: ArcVerdict | None, parsed: ParsedMessage, facts: MessageFacts
) -> list[Finding]:
    """The chain validation status, the structure of the sets, and the receiver's view."""
    if verdict is None:
        return []
    sets, problems = arc_sets(parsed.fields)
    detail = "\n".join(_arc_set_line(s) for s in sets)
    status = _arc_status(verdict)
    findings = [
        _finding(
            "message.arc.chain",
            status,
            "ARC",
            f"ARC chain: cv={verdict.cv} ({verdict.reason})",
            detail=detail,
            reference=RFC_ARC,
            evidence=tuple(a.evidence() for a in verdict.answers),
            data={**verdict.to_dict(), "sets": [s.to_dict() for s in sets]},
        )
    ]
    if problems:
        findings.append(
            _finding(
                "message.arc.structure",
                Status.WARN,
                "ARC",
                f"{len(problems)} structural problem(s) in the ARC sets",
                detail="\n".join(problems),
                reference="RFC 8617 section 4.2",
            )
        )
    findings += [
        _finding(
            "message.arc.disagrees",
            Status.WARN,
            "ARC",
            f"The receiver recorded arc={r.result}, validation now gives cv={verdict.cv}",
            detail="A sealer's key changed since delivery, or the copy checked here differs "
            "from what the receiver saw.",
            reference=RFC_ARC,
        )
        for r in facts.receiver_results("arc")
        if (r.result == "pass") != (verdict.cv == "pass") and not verdict.temporary
    ]
    return findings


def _arc_status(verdict: ArcVerdict) -> Status:
    if verdict.temporary:
        return Status.ERROR
    return {"pass": Status.PASS, "none": Status.INFO}.get(verdict.cv, Status.WARN)


def _arc_set_line(arc_set: ArcSet) -> str:
    results = arc_set.results
    said = ", ".join(f"{r.method}={r.result}" for r in results.results) if results else "no AAR"
    who = results.authserv_id if results else "?"
    return f"i={arc_set.instance} cv={arc_set.seal.get('cv', '?')} by {who}: {said}"


# -- SPF ----------------------------------------------------------------------------

_SPF_STATUS = {
    "pass": Status.PASS,
    "fail": Status.FAIL,
    "softfail": Status.WARN,
    "neutral": Status.WARN,
    "none": Status.WARN,
    "temperror": Status.ERROR,
    "permerror": Status.FAIL,
}


def spf_findings(spf: SpfOutcome, facts: MessageFacts) -> list[Finding]:
    """SPF as evaluated now for the connecting IP, and how it compares with the receiver's."""
    domain = facts.mail_from_domain or "MAIL FROM"
    if spf.skipped:
        return [
            _finding(
                "message.spf.skipped",
                Status.SKIPPED,
                domain,
                f"SPF not re-evaluated: {spf.skipped}",
                reference=RFC_SPF,
                data={"ip": spf.ip, "sender": spf.sender},
            )
        ]
    status = _SPF_STATUS.get(spf.result, Status.WARN)
    cause = _spf_cause(spf)
    findings = [
        _finding(
            "message.spf.reevaluated",
            status,
            domain,
            f"SPF for {spf.sender} from {spf.ip}: {spf.result}",
            detail=_spf_detail(spf),
            reference=RFC_SPF,
            evidence=spf.raw.evidence if spf.raw else (),
            cause=cause,
            fix=f"Authorize {spf.ip} in the SPF record of {domain} (or send through a server it "
            "already authorizes)."
            if cause == "dns.spf.ip_not_permitted"
            else "",
            data={
                "ip": spf.ip,
                "sender": spf.sender,
                "helo": spf.helo,
                "ip_source": facts.ip_source,
            },
        )
    ]
    findings += [
        _spf_disagreement(r.result, spf.result, domain)
        for r in facts.receiver_results("spf")
        if r.result != spf.result
    ]
    return findings


def _spf_detail(spf: SpfOutcome) -> str:
    problems = list(spf.raw.problems) if spf.raw else []
    record = spf.raw.record if spf.raw else ""
    lines = [f"record: {record}" if record else "", spf.explanation, *problems]
    return "\n".join(line for line in lines if line)


def _spf_cause(spf: SpfOutcome) -> str:
    """Root cause of an SPF result (RFC 7208 section 2.6); 4.6.4 is the lookup limit."""
    if spf.result in ("fail", "softfail"):
        return "dns.spf.ip_not_permitted"
    if spf.result == "permerror":
        problems = " ".join(spf.raw.problems) if spf.raw else ""
        return "dns.spf.lookup_limit" if "4.6.4" in problems else "dns.spf.permerror"
    if spf.result == "none":
        return "dns.spf.missing"
    return ""


def _spf_disagreement(recorded: str, now: str, domain: str) -> Finding:
    return _finding(
        "message.spf.disagrees",
        Status.WARN,
        domain,
        f"The receiver recorded spf={recorded}, evaluation now gives {now}",
        detail="The SPF record (or one it includes) changed since delivery, or the receiver "
        "saw a different connecting IP or MAIL FROM.",
        reference=RFC_SPF,
    )


# -- DMARC ---------------------------------------------------------------------------


def dmarc_findings(network: NetworkResults, facts: MessageFacts) -> list[Finding]:
    """The DMARC record, the alignment verdict and its comparison with the receiver's."""
    if not facts.from_domain:
        return [
            _finding(
                "message.dmarc.alignment",
                Status.SKIPPED,
                "From",
                "DMARC not evaluated: no single From domain",
                reference=RFC_DMARC,
            )
        ]
    findings = [_policy_finding(network, facts.from_domain)]
    alignment = _alignment(network, facts)
    findings.append(_alignment_finding(alignment, network, facts))
    findings += _dmarc_disagreement(alignment, facts)
    return findings


def _policy_finding(network: NetworkResults, from_domain: str) -> Finding:
    evidence = tuple(a.evidence() for a in network.dmarc_answers)
    failed = next((a for a in network.dmarc_answers if not a.ok), None)
    if failed is not None:
        return _finding(
            "message.dmarc.policy",
            Status.ERROR,
            from_domain,
            f"DMARC record lookup failed: {failed.describe()}",
            reference=RFC_DMARC,
            evidence=evidence,
        )
    policy = network.dmarc
    if policy is None:
        return _finding(
            "message.dmarc.policy",
            Status.WARN,
            from_domain,
            f"{from_domain} publishes no DMARC record",
            reference=RFC_DMARC,
            evidence=evidence,
            cause="dns.dmarc.missing",
            fix=f'Publish _dmarc.{from_domain} TXT "v=DMARC1; p=none; rua=..." '
            "and raise the policy once reports are clean.",
        )
    return _finding(
        "message.dmarc.policy",
        Status.INFO,
        from_domain,
        f"DMARC record at _dmarc.{policy.domain}: p={policy.policy or '?'} "
        f"adkim={policy.adkim} aspf={policy.aspf}",
        reference=RFC_DMARC,
        evidence=evidence,
        data={"domain": policy.domain, "tags": dict(policy.tags)},
    )


def _alignment(network: NetworkResults, facts: MessageFacts) -> Alignment:
    policy = network.dmarc
    spf_result = network.spf.result or _recorded_spf(facts)
    assert facts.from_domain is not None
    return evaluate_alignment(
        facts.from_domain,
        dkim_pass_domains=[v.domain for v in network.dkim if v.result == "pass"],
        spf_result=spf_result,
        spf_domain=facts.mail_from_domain,
        adkim=policy.adkim if policy else "r",
        aspf=policy.aspf if policy else "r",
    )


def _recorded_spf(facts: MessageFacts) -> str:
    recorded = facts.receiver_results("spf")
    return recorded[0].result if recorded else ""


def _alignment_finding(
    alignment: Alignment, network: NetworkResults, facts: MessageFacts
) -> Finding:
    detail = _alignment_detail(alignment)
    if alignment.result == "pass":
        via = "DKIM" if alignment.dkim_aligned else "SPF"
        return _finding(
            "message.dmarc.alignment",
            Status.PASS,
            alignment.from_domain,
            f"DMARC passes through aligned {via}",
            detail=detail,
            reference=RFC_DMARC,
            data=alignment.to_dict(),
        )
    undecided = _undecided(alignment, network)
    if undecided:
        return _finding(
            "message.dmarc.alignment",
            Status.ERROR,
            alignment.from_domain,
            f"DMARC not decided: the lookup of {', '.join(undecided)} failed (temperror)",
            detail=detail,
            reference=RFC_DMARC,
            data=alignment.to_dict(),
            fix="Retry; if it persists, check the nameservers that did not answer.",
        )
    cause = _dmarc_cause(alignment, network.dkim)
    policy = network.dmarc.policy if network.dmarc else "none"
    return _finding(
        "message.dmarc.alignment",
        Status.FAIL if network.dmarc else Status.WARN,
        alignment.from_domain,
        f"DMARC fails: no SPF or DKIM pass aligned with {alignment.from_domain} (p={policy})",
        detail=detail,
        reference=RFC_DMARC,
        cause=cause,
        data=alignment.to_dict(),
        fix=_DMARC_FIX.get(cause, "Make DKIM sign with d= the From domain."),
    )


def _undecided(alignment: Alignment, network: NetworkResults) -> list[str]:
    """Failed lookups that could have made DMARC pass: then it is a temperror, not a fail.

    Only a DKIM signature or an SPF result for an aligned domain could change the verdict
    (RFC 7489 section 6.6.2), and without the record there is no policy to apply.
    """
    from_domain = alignment.from_domain
    failed = [
        f"the DKIM key of d={v.domain} s={v.selector}"
        for v in network.dkim
        if v.result == "temperror" and aligned(v.domain, from_domain, alignment.adkim)
    ]
    spf_domain = alignment.spf_domain
    if alignment.spf_result == "temperror" and spf_domain:
        if aligned(spf_domain, from_domain, alignment.aspf):
            failed.append(f"SPF for {spf_domain}")
    if any(not a.ok for a in network.dmarc_answers):
        failed.append("the DMARC record")
    return failed


_DMARC_FIX = {
    "dns.dkim.not_aligned": "DKIM passes only for another domain: sign with d= the From domain "
    "(for SES: verify the domain identity and enable Easy DKIM, publishing its three CNAMEs).",
    "dns.dkim.unsigned": "Sign with DKIM for the From domain; SPF alone does not survive "
    "forwarding and aligns only with a custom MAIL FROM.",
}


def _alignment_detail(alignment: Alignment) -> str:
    lines = [
        f"DKIM aligned passes: {', '.join(alignment.dkim_aligned) or 'none'}",
        f"DKIM passes for other domains: {', '.join(alignment.dkim_unaligned) or 'none'}",
        f"SPF {alignment.spf_result or 'unknown'} for {alignment.spf_domain or '?'}: "
        + ("aligned" if alignment.spf_aligned else "not aligned"),
        f"modes: adkim={alignment.adkim} aspf={alignment.aspf}",
    ]
    return "\n".join(lines)


def _dmarc_cause(alignment: Alignment, verdicts: Sequence[DkimVerdict]) -> str:
    if alignment.dkim_unaligned:
        return "dns.dkim.not_aligned"
    if not verdicts:
        return "dns.dkim.unsigned"
    return _dkim_cause(verdicts[0]) if verdicts[0].result != "pass" else "dns.dkim.not_aligned"


def _dmarc_disagreement(alignment: Alignment, facts: MessageFacts) -> list[Finding]:
    findings: list[Finding] = []
    for recorded in facts.receiver_results("dmarc"):
        said = recorded.result
        if (said in ("pass", "bestguesspass")) == (alignment.result == "pass"):
            continue
        findings.append(
            _finding(
                "message.dmarc.disagrees",
                Status.WARN,
                alignment.from_domain,
                f"The receiver recorded dmarc={said}, alignment computed now gives "
                f"{alignment.result}",
                detail="DNS (keys, SPF, DMARC record) changed since delivery, or the receiver "
                "used other inputs (ARC, local overrides).",
                reference=RFC_DMARC,
            )
        )
    return findings


# -- anti-spam --------------------------------------------------------------------------


def antispam_findings(parsed: ParsedMessage, facts: MessageFacts) -> list[Finding]:
    """Receivers' spam verdicts in words, and Microsoft's composite authentication."""
    findings = [_spam_finding(v) for v in spamheaders.decode_spam_headers(parsed)]
    for recorded in facts.receiver_results("compauth"):
        failed = recorded.result == "fail"
        findings.append(
            _finding(
                "message.antispam.compauth",
                Status.WARN if failed else Status.INFO,
                facts.from_domain or "From",
                spamheaders.decode_compauth(recorded.result, recorded.reason),
                reference=spamheaders.MS_DOC,
            )
        )
    return findings


def _spam_finding(verdict: spamheaders.SpamVerdict) -> Finding:
    return _finding(
        f"message.antispam.{verdict.source}",
        Status.FAIL if verdict.spam else Status.INFO,
        verdict.header,
        verdict.summary,
        detail="\n".join(f"{k}: {v} - {m}" for k, v, m in verdict.words),
        reference=spamheaders.MS_DOC if verdict.source == "microsoft" else "",
        cause=verdict.cause if verdict.spam else "",
        data=dict(verdict.data),
    )
