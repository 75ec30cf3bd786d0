"""From findings to independent root causes: a pure function driven by rule tables.

Every layer reports what it saw as :class:`~maildoctor.model.Finding` objects; a finding
that indicates a root cause names its catalogue id in ``cause``. :func:`correlate` turns
those findings into the *independent* causes of the failure:

1. Only ``fail`` and ``warn`` findings with a ``cause`` count. ``error`` and ``skipped``
   findings never become causes (they are "could not tell", not "something is wrong").
2. Findings are grouped by cause id, after resolving aliases (another layer's name for
   the same catalogue entry): the same 535 seen in a bounce and by the live probe is one
   cause with two pieces of evidence.
3. Groups whose ids are listed in the same :data:`RULES` entry are merged, and the merged
   cause takes the id that comes first in that rule (its precedence, most specific
   first, like Sisimai's ``ClassOrder``). ``same`` rules join one failure seen from
   several layers (a 535, a stale password, a deleted IAM key); ``explains`` rules join a
   recipient's verdict to the sender-side defect that explains it (a DMARC rejection and
   the missing Easy DKIM records). Ids in no rule, or in different rules, stay separate.
4. Each cause gets a confidence from the number of independent sources behind it
   (:func:`source_of`), lowered by one step when other evidence contradicts it
   (:data:`CONFLICTS` marked ``weakens``, and any ``pass`` of the very same check on the
   same subject). Other conflicts are caveats: shown, without lowering confidence.

Severity: a cause is ``fail`` if any finding behind it failed, otherwise ``warn`` (an
advisory, such as ``p=none``), which does not change the exit code.

Then the candidates are judged (:mod:`maildoctor.reasoning`): two causes read from the
same evidence that contradict each other (the login worked / was refused) keep the one the
stronger evidence supports, the other listed as conflicting evidence; the DMARC condition
(aligned SPF *and* aligned DKIM must both fail) makes one cause with alternative fixes
when both sides are broken; and what the world shows did not stop this mail (the other
DMARC mechanism works, the record is off the mail's path, a copy passed) becomes a
*defect*: reported after the causes with whom it hurts, never exit code 1.
:func:`analyse` returns both; :func:`correlate` the causes only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from . import catalogue
from .model import Confidence, Finding, Layer, RootCause, Status
from .reasoning import apply_conditions, refine_findings, resolve_contradictions, world_of

__all__ = [
    "CONFLICTS",
    "RULES",
    "ConflictRule",
    "Correlation",
    "MergeRule",
    "Relation",
    "Verdict",
    "analyse",
    "correlate",
    "source_of",
    "supporting_findings",
    "verdict",
]

log = logging.getLogger(__name__)

#: Finding statuses that can make a root cause.
ACTIONABLE = frozenset({Status.FAIL, Status.WARN})

LAYER_ORDER = tuple(Layer)
CONFIDENCE_ORDER = (Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW)


class Relation(StrEnum):
    """Why the ids of one rule are merged."""

    SAME = "same"  # one underlying failure, seen from several layers
    EXPLAINS = "explains"  # the earlier ids are the sender-side reason for the later symptoms


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeRule:
    """Ids that are one root cause when found together.

    Attributes:
        name: A short name for the rule (shown in the docs).
        relation: same failure, or defect-explains-symptom.
        ids: Catalogue ids in precedence order, most specific first; the first one present
            names the merged cause.
        why: One sentence for the docs.
    """

    name: str
    relation: Relation
    ids: tuple[str, ...]
    why: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ConflictRule:
    """Evidence that contradicts a cause.

    The rule applies to a cause that includes any id in ``causes``. A finding contradicts it
    when it *passed* a check whose id starts with one of ``passed_checks`` - unless it comes
    from a source that also reported the failure (a DNS ``pass`` on one SPF aspect does not
    contradict a DNS ``fail`` on another) - or when it carries one of ``with_causes``.

    ``weakens``: the contradiction questions the cause itself (a live login that works),
    so confidence drops one step; otherwise it only questions the usual explanation of a
    verdict the recipient did give (DKIM keys published, yet DMARC failed), and is shown
    without lowering confidence.
    """

    causes: frozenset[str]
    message: str
    passed_checks: tuple[str, ...] = ()
    with_causes: frozenset[str] = frozenset()
    weakens: bool = True


_CREDENTIALS = (
    "client.smtp_auth.raw_secret_as_password",
    "client.smtp_auth.wrong_formula",
    "client.smtp_auth.malformed_password",
    "client.smtp_auth.username_not_access_key",
    "client.smtp_auth.wrong_region_password",
    "client.smtp_auth.temporary_key",
    # A key made inactive is not stale: reactivating it is a fix, so IAM's word names it.
    "provider.ses.smtp_key_inactive",
    # A password derived from a rotated key: the key's deletion is the evidence for it,
    # and the fix is in the client (a password from the current key).
    "client.smtp_auth.stale_ses_password",
    "provider.ses.smtp_key_deleted",
    "client.smtp_auth.legacy_v2_password",
    "client.smtp_auth.failed",
)
_DMARC = (
    "provider.ses.byodkim_key_missing",
    "provider.ses.byodkim_unverified",
    "provider.ses.dkim_cname_missing",
    "provider.ses.dkim_cname_wrong",
    "provider.ses.dkim_failed",
    "provider.ses.dkim_pending",
    "provider.ses.dkim_disabled",
    "provider.ses.email_identity_only",
    "dns.dkim.key_missing",
    "message.dkim.body_modified",
    "message.dkim.signature_invalid",
    "recipient.report.dkim_failing",
    "dns.dkim.unsigned",
    "dns.dkim.not_aligned",
    "recipient.rejected.dkim",
    "recipient.rejected.dmarc",
    "recipient.rejected.authentication_level",
    "recipient.rejected.unauthenticated",
    "recipient.rejected.authentication",
    "recipient.filtered.spoof",
)
_SPF = (
    "dns.spf.lookup_limit",
    "dns.spf.permerror",
    "dns.spf.missing",
    "dns.spf.ip_not_permitted",
    "recipient.rejected.spf",
)
#: The custom MAIL FROM domain's SPF record: another record than the apex's, on SES mail's
#: path where the apex's is not, so never merged with it.
_MAIL_FROM_SPF = (
    "provider.ses.mail_from_spf_multiple",
    "dns.mailfrom.spf_permerror",
    "provider.ses.mail_from_spf_missing",
    "provider.ses.mail_from_spf_incomplete",
)

#: Merge rules. Each id appears in at most one rule, and only catalogue ids (not aliases)
#: appear (a test enforces both).
RULES: tuple[MergeRule, ...] = (
    MergeRule(
        name="smtp-credentials",
        relation=Relation.SAME,
        ids=_CREDENTIALS,
        why=(
            "A 535 in a bounce, a 535 from the live probe, a password that does not match the "
            "current key and a deleted or inactive IAM key are one broken credential, fixed "
            "once in the client."
        ),
    ),
    MergeRule(
        name="ses-identity",
        relation=Relation.SAME,
        ids=(
            "provider.ses.identity_wrong_region",
            "provider.ses.region_mismatch",
            "provider.ses.identity_unverified",
        ),
        why="An identity verified only in another region is an unverified one in this region.",
    ),
    MergeRule(
        name="ses-sandbox",
        relation=Relation.SAME,
        ids=("provider.ses.sandbox_recipient_unverified", "provider.ses.sandbox"),
        why="An unverified recipient refused in the sandbox is the sandbox itself.",
    ),
    MergeRule(
        name="ses-account",
        relation=Relation.SAME,
        ids=("provider.ses.account_shutdown", "provider.ses.sending_paused"),
        why="A shut-down account is an account whose sending is paused.",
    ),
    MergeRule(
        name="ses-limits",
        relation=Relation.SAME,
        ids=("provider.ses.quota_exceeded", "provider.ses.throttled"),
        why="A throttling reply after the daily quota is used up is the quota.",
    ),
    MergeRule(
        name="dmarc-alignment",
        relation=Relation.EXPLAINS,
        ids=_DMARC,
        why=(
            "A DMARC or authentication rejection by the recipient is explained by the missing "
            "aligned DKIM signature; the most specific sender-side defect names the cause."
        ),
    ),
    MergeRule(
        name="spf",
        relation=Relation.EXPLAINS,
        ids=_SPF,
        why="An SPF rejection by the recipient is explained by a broken or missing SPF record.",
    ),
    MergeRule(
        name="mail-from-spf",
        relation=Relation.SAME,
        ids=_MAIL_FROM_SPF,
        why="The MAIL FROM domain's SPF record seen by SES's checks and by evaluating it is one "
        "record, fixed once.",
    ),
    MergeRule(
        name="mail-from-mx",
        relation=Relation.EXPLAINS,
        ids=(
            "provider.ses.mail_from_mx_missing",
            "provider.ses.mail_from_mx_multiple",
            "provider.ses.mail_from_mx_wrong_region",
            "provider.ses.mail_from_mx_wrong",
            "provider.ses.mail_from_unverified",
        ),
        why="SES leaves a custom MAIL FROM domain unverified because of its MX record.",
    ),
    MergeRule(
        name="reverse-dns",
        relation=Relation.EXPLAINS,
        ids=("dns.ptr.missing", "dns.ptr.not_forward_confirmed", "recipient.rejected.ptr"),
        why="A 5.7.25 rejection is explained by the sending IP's missing reverse DNS.",
    ),
    MergeRule(
        name="blocklist",
        relation=Relation.EXPLAINS,
        ids=("dns.blocklist.ip_listed", "recipient.blocked_ip"),
        why="A rejection for the sending IP is explained by that IP's blocklist listing.",
    ),
)

_DKIM_CONFLICT = (
    "DNS or SES reports DKIM in order ({summary}), yet the mail failed DKIM/DMARC: it was "
    "probably signed with another domain (SES signs d=amazonses.com for an email-only "
    "identity), altered in transit, or the records changed since the bounce."
)

#: Contradicting evidence, checked for every cause.
CONFLICTS: tuple[ConflictRule, ...] = (
    ConflictRule(
        causes=frozenset(_DMARC),
        passed_checks=("dns.dkim", "provider.ses.dkim"),
        message=_DKIM_CONFLICT,
        weakens=False,
    ),
    ConflictRule(
        causes=frozenset(_DMARC),
        passed_checks=("recipient.report.source_passing",),
        message=(
            "DMARC aggregate reports show the sending service's mail passing DMARC at "
            "receivers ({summary}): the failure was fixed since, or comes from another "
            "sender or identity."
        ),
    ),
    ConflictRule(
        causes=frozenset({"recipient.rejected.dmarc"}),
        with_causes=frozenset({"dns.dmarc.policy_none"}),
        message=(
            "The recipient rejected for DMARC while the published policy is p=none: the "
            "rejection came from the receiver's own requirements (Outlook.com 5.7.515, Gmail "
            "5.7.26) or the record changed since the bounce."
        ),
        weakens=False,
    ),
    ConflictRule(
        causes=frozenset({"recipient.rejected.spf"}),
        passed_checks=("dns.spf",),
        message=(
            "SPF looks right from here ({summary}), yet the recipient reported an SPF failure: "
            "it evaluated another MAIL FROM domain (SES's default amazonses.com, or a custom "
            "MAIL FROM subdomain) or another sending IP."
        ),
        weakens=False,
    ),
    ConflictRule(
        causes=frozenset(_CREDENTIALS),
        passed_checks=("client.smtp_auth",),
        message=(
            "The live probe logged in with the password given to maildoctor ({summary}): the "
            "failing client holds a different password, or it was fixed after the bounce."
        ),
    ),
    ConflictRule(
        causes=frozenset(
            {"provider.ses.identity_unverified", "provider.ses.identity_wrong_region"}
        ),
        passed_checks=("provider.ses.identity",),
        message=(
            "SES reports the identity verified ({summary}): the rejection came from another "
            "region or account, or the identity was verified after the bounce."
        ),
    ),
    ConflictRule(
        causes=frozenset({"provider.ses.recipient_suppressed"}),
        passed_checks=("provider.ses.suppression",),
        message=(
            "SES says the address is not suppressed now ({summary}): it was removed after the "
            "bounce, or the bounce came from another region's list."
        ),
    ),
    ConflictRule(
        causes=frozenset({"recipient.blocked_ip"}),
        passed_checks=("dns.blocklist.clean",),
        message=(
            "The public blocklists checked do not list the address now ({summary}): the block "
            "is the receiver's own (a Microsoft ban, a tenant block list) or the listing has "
            "expired since the bounce."
        ),
        weakens=False,
    ),
)


def _rule_index(rules: Sequence[MergeRule]) -> Mapping[str, MergeRule]:
    index: dict[str, MergeRule] = {}
    for rule in rules:
        for cause_id in rule.ids:
            if cause_id in index:
                raise ValueError(f"{cause_id} is in rules {index[cause_id].name} and {rule.name}")
            index[cause_id] = rule
    return index


_RULE_OF = _rule_index(RULES)


@dataclass(frozen=True, slots=True, kw_only=True)
class Correlation:
    """What :func:`analyse` draws from findings.

    Attributes:
        causes: Causes of this non-delivery (fail) and advisories (warn), sorted.
        defects: Defects found on the way that did not stop this mail, sorted.
    """

    causes: tuple[RootCause, ...]
    defects: tuple[RootCause, ...]


def analyse(
    findings: Iterable[Finding],
    *,
    sender_domain: str = "",
    relay_host: str = "",
    rules: Sequence[MergeRule] = RULES,
    conflicts: Sequence[ConflictRule] = CONFLICTS,
) -> Correlation:
    """Turn findings into independent root causes, and defects that did not stop this mail.

    Args:
        findings: Findings from any number of layers, in any order.
        sender_domain: The From domain (tells the apex SPF record from others).
        relay_host: The sender's own submission relay (tells its refusals from a
            recipient's).
        rules: Merge rules (default :data:`RULES`).
        conflicts: Conflict rules (default :data:`CONFLICTS`).

    Returns:
        The causes (failures first, then by layer, confidence and id) and the defects.

    Raises:
        ValueError: if an id appears in two merge rules.
    """
    all_findings = refine_findings(tuple(findings), sender_domain, relay_host)
    candidates = resolve_contradictions(_candidates(all_findings, rules, conflicts), all_findings)
    world = world_of(all_findings, sender_domain)
    causes, defects = apply_conditions(candidates, world)
    return Correlation(
        causes=tuple(sorted(causes, key=_sort_key)), defects=tuple(sorted(defects, key=_sort_key))
    )


def correlate(
    findings: Iterable[Finding],
    *,
    sender_domain: str = "",
    rules: Sequence[MergeRule] = RULES,
    conflicts: Sequence[ConflictRule] = CONFLICTS,
) -> tuple[RootCause, ...]:
    """The causes of :func:`analyse` (without the defects).

    Raises:
        ValueError: if an id appears in two merge rules.
    """
    return analyse(findings, sender_domain=sender_domain, rules=rules, conflicts=conflicts).causes


def _candidates(
    all_findings: tuple[Finding, ...],
    rules: Sequence[MergeRule],
    conflicts: Sequence[ConflictRule],
) -> list[RootCause]:
    """Group and merge findings into candidate causes (before conditions are applied)."""
    rule_of = _RULE_OF if rules is RULES else _rule_index(rules)
    by_id: dict[str, list[Finding]] = {}
    for f in all_findings:
        if f.cause and f.status in ACTIONABLE:
            by_id.setdefault(catalogue.canonical(f.cause), []).append(f)
    buckets: dict[str, list[str]] = {}
    for cause_id in by_id:
        rule = rule_of.get(cause_id)
        buckets.setdefault(rule.name if rule else cause_id, []).append(cause_id)
    causes = []
    for ids in buckets.values():
        ranked = _rank(ids, rule_of)
        group = [f for cause_id in ranked for f in by_id[cause_id]]
        causes.append(_build(ranked, group, all_findings, conflicts))
    return causes


def _rank(ids: Sequence[str], rule_of: Mapping[str, MergeRule]) -> list[str]:
    """Order merged ids by their rule's precedence (ids in no rule stand alone)."""
    rule = rule_of.get(ids[0])
    if rule is None:
        return list(ids)
    return sorted(ids, key=rule.ids.index)


def _build(
    ids: Sequence[str],
    group: Sequence[Finding],
    everything: Sequence[Finding],
    conflict_rules: Sequence[ConflictRule],
) -> RootCause:
    entry = catalogue.CATALOGUE.get(ids[0])
    if entry is None:
        log.warning("cause %s is not in the catalogue", ids[0])
    conflicts, weakened = _conflicts(ids, group, everything, conflict_rules)
    sources = tuple(dict.fromkeys(source_of(f) for f in group))
    notes = [n for i in ids if (e := catalogue.CATALOGUE.get(i)) for n in e.notes]
    return RootCause(
        id=ids[0],
        layer=entry.layer if entry else group[0].layer,
        title=entry.title if entry else group[0].summary,
        severity=Status.FAIL if any(f.status == Status.FAIL for f in group) else Status.WARN,
        confidence=_confidence(len(sources), weakened),
        explanation=entry.explanation if entry else "(not in the catalogue)",
        fix=entry.fix if entry else (),
        specific_fix=_unique(f.fix for f in group if f.fix),
        does_not_fix=entry.does_not_fix if entry else (),
        references=entry.references if entry else _unique(f.reference for f in group),
        findings=_unique(f.check for f in group),
        evidence=_unique(e.id for f in group for e in f.evidence),
        related=_unique([*ids[1:], *(f.cause for f in group if f.cause not in ids)]),
        subjects=_unique(f.subject for f in group if f.subject),
        sources=sources,
        conflicts=conflicts,
        notes=_unique(notes),
    )


def source_of(finding: Finding) -> str:
    """The independent source a finding comes from.

    :func:`maildoctor.diagnose.diagnose` records the layer adapter that produced each finding
    in ``data["origin"]`` (``bounce``, ``relay``, ``ses``, ``dns``...). Without it, the source
    of the first piece of evidence is used, then the layer.
    """
    origin = finding.data.get("origin") if finding.data else None
    if isinstance(origin, str) and origin:
        return origin
    if finding.evidence:
        return finding.evidence[0].source
    return str(finding.layer)


def _confidence(sources: int, conflicted: bool) -> Confidence:
    """Two or more independent sources: high; one: medium; a conflict lowers it one step."""
    level = 0 if sources >= 2 else 1
    if conflicted:
        level += 1
    return CONFIDENCE_ORDER[min(level, 2)]


def _conflicts(
    ids: Sequence[str],
    group: Sequence[Finding],
    everything: Sequence[Finding],
    rules: Sequence[ConflictRule],
) -> tuple[tuple[str, ...], bool]:
    """The conflict messages, and whether any of them weakens the cause."""
    messages = list(_same_check_passed(group, everything))
    weakened = bool(messages)
    for rule in rules:
        if rule.causes.isdisjoint(ids):
            continue
        contrary = [f for f in everything if _contradicts(rule, f, group)]
        if contrary:
            messages.append(rule.message.format(summary=_summaries(contrary)))
            weakened = weakened or rule.weakens
    return _unique(messages), weakened


def _summaries(findings: Sequence[Finding], limit: int = 2) -> str:
    """``check: summary`` of the first contradicting findings, and how many more there are."""
    shown = "; ".join(f"{f.check}: {f.summary}" for f in findings[:limit])
    more = len(findings) - limit
    return f"{shown}; and {more} more" if more > 0 else shown


def _contradicts(rule: ConflictRule, f: Finding, group: Sequence[Finding]) -> bool:
    if f.cause and catalogue.canonical(f.cause) in rule.with_causes and f.status in ACTIONABLE:
        return True
    if f.status != Status.PASS:
        return False
    if not any(f.check.startswith(p) for p in rule.passed_checks):
        return False
    # A pass from a source that itself reported the failure is another aspect of the same
    # observation (one SPF record: syntax fine, lookups over the limit), not a contradiction.
    return source_of(f) not in {source_of(g) for g in group}


def _same_check_passed(group: Sequence[Finding], everything: Sequence[Finding]) -> list[str]:
    """The very check that failed passed on the same subject in another observation.

    Checks made per region (``data["region"]``: SES's suppression list is per region) only
    contradict each other within one region.
    """
    failed = {(f.check, f.subject): f for f in group}
    return [
        f"{f.check} passed for {f.subject or 'the same subject'} in another observation "
        f"({source_of(f)}: {f.summary})"
        for f in everything
        if f.status == Status.PASS
        and (f.check, f.subject) in failed
        and _same_region(f, failed[(f.check, f.subject)])
    ]


def _same_region(a: Finding, b: Finding) -> bool:
    ra, rb = a.data.get("region"), b.data.get("region")
    return not (ra and rb and ra != rb)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _sort_key(cause: RootCause) -> tuple[int, int, int, str]:
    return (
        0 if cause.severity == Status.FAIL else 1,
        LAYER_ORDER.index(cause.layer),
        CONFIDENCE_ORDER.index(cause.confidence),
        cause.id,
    )


def supporting_findings(cause: RootCause, findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings a root cause rests on (for renderers)."""
    ids = set(cause.ids)
    return tuple(f for f in findings if f.cause in ids and f.status in ACTIONABLE)


class Verdict(StrEnum):
    """The one-word outcome of a diagnosis."""

    PROBLEMS = "problems"  # at least one root cause (or an uncatalogued failure)
    INCOMPLETE = "incomplete"  # no cause found, but some checks could not complete
    ADVISORIES = "advisories"  # only warnings
    HEALTHY = "healthy"  # everything that could be checked passed


def verdict(findings: Sequence[Finding], causes: Sequence[RootCause]) -> Verdict:
    """Summarise a diagnosis; a run with errors is never called healthy.

    Args:
        findings: All findings of the run.
        causes: The root causes drawn from them.

    Returns:
        The verdict.
    """
    statuses = {f.status for f in findings}
    # A failing finding that names a cause is judged through the causes (it may be a defect
    # that did not stop this mail); an uncatalogued failure counts on its own.
    uncatalogued = any(f.status == Status.FAIL and not f.cause for f in findings)
    if any(c.severity == Status.FAIL for c in causes) or uncatalogued:
        return Verdict.PROBLEMS
    if Status.ERROR in statuses or not statuses - {Status.SKIPPED}:
        return Verdict.INCOMPLETE
    if causes or statuses & {Status.WARN, Status.FAIL}:
        return Verdict.ADVISORIES
    return Verdict.HEALTHY
