"""Organizational domains and DMARC policy discovery, in both readings.

RFC 9989 (section 4.10) finds the DMARC policy record and the Organizational
Domain with a *DNS tree walk*: ask ``_dmarc.<name>`` for the Author Domain,
then for its parents, at most eight queries, stopping at a record that carries
``psd=y`` or ``psd=n``. RFC 7489 (sections 3.2 and 6.6.3) used the Public Suffix
List instead: the Organizational Domain is the public suffix plus one label, and
only the Author Domain and that one name are asked.

Both readings are computed from one set of answers, so a finding can say which
reading it used and whether the other would disagree. Interpretation is pure
(:func:`interpret_walk`); :func:`tree_walk` only issues the queries, all at once
(the walk's names are known in advance, so the critical path is one round trip;
the resolver coalesces the queries other checks share).
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from publicsuffixlist import PublicSuffixList

from ..context import Context
from ..model import Evidence
from .dmarc_record import DmarcRecord, is_dmarc_record, parse_dmarc
from .resolver import DnsAnswer

__all__ = [
    "MAX_WALK_QUERIES",
    "TreeWalk",
    "WalkStep",
    "interpret_walk",
    "psl_org_domain",
    "tree_walk",
    "walk_targets",
]

#: RFC 9989 section 4.10: the walk never asks more than eight names.
MAX_WALK_QUERIES = 8
#: Once a name has this many labels or more, the walk jumps to its seven rightmost.
_JUMP_LABELS = 7

REF_WALK = "RFC 9989 §4.10"
REF_ORG = "RFC 9989 §4.10.2"
REF_PSL = "RFC 7489 §3.2, §6.6.3"


_PSL_LOCK = threading.Lock()


@functools.cache
def _load_psl() -> PublicSuffixList:
    return PublicSuffixList()


def _psl() -> PublicSuffixList:
    """The bundled Public Suffix List, ICANN and private sections (loaded once, read-only).

    Loading takes tens of milliseconds, so :func:`tree_walk` loads it in a worker
    thread while its queries are on the wire; the lock makes every caller share
    that one load.
    """
    with _PSL_LOCK:
        return _load_psl()


def psl_org_domain(name: str | None) -> str | None:
    """The RFC 7489 Organizational Domain: the public suffix plus one label.

    Unlisted TLDs count as public suffixes (the PSL's implicit ``*`` rule) and
    the private section is included, as in the PSL's own test vectors.

    Args:
        name: A domain, any case, U-labels or A-labels.

    Returns:
        The registrable domain in lower case, or ``None`` when the name is itself
        a public suffix, empty, or malformed (leading dot, empty label).
    """
    if not name:
        return None
    name = name.strip().lower()
    if name.endswith(".") and not name.endswith(".."):
        name = name[:-1]
    if not name or name.startswith(".") or ".." in name:
        return None
    result = _psl().privatesuffix(name)
    return result if isinstance(result, str) else None


def walk_targets(domain: str) -> tuple[str, ...]:
    """The names whose ``_dmarc`` records the tree walk asks for, in order.

    RFC 9989 section 4.10 steps 4-8: start at the Author Domain; a name with
    eight or more labels is shortened to its seven rightmost, otherwise the
    leftmost label is removed, until one label is left. At most eight names.
    """
    labels = domain.split(".")
    targets = [domain]
    count = len(labels)
    while count > 1:
        count = min(count - 1, _JUMP_LABELS)
        targets.append(".".join(labels[-count:]))
    return tuple(targets)


@dataclass(frozen=True, slots=True, kw_only=True)
class WalkStep:
    """One name asked during the walk and what it held.

    Attributes:
        name: The domain (without ``_dmarc.``).
        answer: The TXT answer for ``_dmarc.<name>``.
        records: The TXT strings that start with ``v=DMARC1``.
    """

    name: str
    answer: DnsAnswer
    records: tuple[str, ...] = ()

    @property
    def multiple(self) -> bool:
        """More than one DMARC record: all are discarded (RFC 9989 section 4.10 step 2)."""
        return len(self.records) > 1

    @property
    def record(self) -> DmarcRecord | None:
        """The one DMARC record here, parsed, or ``None`` (none, or several)."""
        return parse_dmarc(self.records[0]) if len(self.records) == 1 else None

    @property
    def psd(self) -> str | None:
        record = self.record
        return record.psd if record is not None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class TreeWalk:
    """Both readings of policy discovery for one Author Domain.

    Attributes:
        domain: The Author Domain.
        steps: The walk's steps that were interpreted, Author Domain first.
        failed: The first step whose lookup did not give a definite answer; the
            walk could not go past it, so what follows is uncertain.
        org_domain: The RFC 9989 Organizational Domain.
        policy: The step whose record applies to ``domain`` (RFC 9989), if any.
        psl_org: The RFC 7489 (Public Suffix List) Organizational Domain.
        psl_policy: The step whose record RFC 7489 would apply, if any.
    """

    domain: str
    steps: tuple[WalkStep, ...]
    failed: WalkStep | None
    org_domain: str
    policy: WalkStep | None
    psl_org: str | None
    psl_policy: WalkStep | None

    @property
    def complete(self) -> bool:
        return self.failed is None

    @property
    def author(self) -> WalkStep | None:
        """The Author Domain's own step, if its lookup was definite."""
        return self.steps[0] if self.steps else None

    @property
    def readings_differ(self) -> bool:
        """True when RFC 7489's PSL reading gives another org domain or policy record."""
        psl_org = self.psl_org or self.domain
        same_policy = _step_name(self.policy) == _step_name(self.psl_policy)
        return psl_org != self.org_domain or not same_policy

    def evidence(self) -> tuple[Evidence, ...]:
        steps = [*self.steps, *([self.failed] if self.failed else [])]
        if self.psl_policy is not None and self.psl_policy not in steps:
            steps.append(self.psl_policy)
        return tuple(s.answer.evidence() for s in steps)


def _step_name(step: WalkStep | None) -> str | None:
    return step.name if step is not None else None


def dmarc_strings(answer: DnsAnswer) -> tuple[str, ...]:
    """The TXT strings of an answer that are DMARC records (RFC 9989 section 4.10 step 2)."""
    return tuple(r for r in answer.records if is_dmarc_record(r)) if answer.exists else ()


def interpret_walk(domain: str, answers: Mapping[str, DnsAnswer]) -> TreeWalk:
    """Apply RFC 9989 section 4.10 and RFC 7489 section 6.6.3 to fetched answers.

    Args:
        domain: The Author Domain (lower case, A-labels).
        answers: ``{name: answer for _dmarc.<name> TXT}`` covering
            :func:`walk_targets` and the PSL Organizational Domain.

    Returns:
        Both readings. A lookup that did not end definitely stops the walk there.
    """
    steps: list[WalkStep] = []
    failed: WalkStep | None = None
    for name in walk_targets(domain):
        answer = answers[name]
        step = WalkStep(name=name, answer=answer, records=dmarc_strings(answer))
        if not answer.ok:
            failed = step
            break
        steps.append(step)
        if step.psd in ("y", "n"):  # step 2 / step 7: a psd tag ends the walk
            break
    org = select_org_domain(domain, steps)
    psl_org = psl_org_domain(domain)
    return TreeWalk(
        domain=domain,
        steps=tuple(steps),
        failed=failed,
        org_domain=org,
        policy=_policy_step(steps, org),
        psl_org=psl_org,
        psl_policy=_psl_policy(domain, psl_org, answers),
    )


def select_org_domain(domain: str, steps: list[WalkStep]) -> str:
    """RFC 9989 section 4.10.2: the Organizational Domain from the walk's records.

    From the longest name to the shortest: a record with ``psd=n`` marks the
    Organizational Domain; one with ``psd=y`` (other than the Author Domain's)
    marks a public suffix, so the name one label below it is the Organizational
    Domain; otherwise the name with the fewest labels that has a record. With no
    record at all the Author Domain is its own Organizational Domain.
    """
    labels = domain.split(".")
    for index, step in enumerate(steps):
        if step.psd == "n":
            return step.name
        if step.psd == "y" and index > 0:
            return ".".join(labels[-(step.name.count(".") + 2) :])
    with_record = [s for s in steps if s.record is not None]
    return with_record[-1].name if with_record else domain


def _policy_step(steps: list[WalkStep], org: str) -> WalkStep | None:
    """The record that applies: the Author Domain's, else the Organizational Domain's.

    When the Organizational Domain was found below a ``psd=y`` record and has no
    record of its own, the public suffix operator's record applies.
    """
    if steps and steps[0].record is not None:
        return steps[0]
    for step in steps:
        if step.name == org and step.record is not None:
            return step
    psd = next((s for s in steps if s.psd == "y"), None)
    return psd if psd is not None and psd is not steps[0] else None


def _psl_policy(
    domain: str, psl_org: str | None, answers: Mapping[str, DnsAnswer]
) -> WalkStep | None:
    """RFC 7489 section 6.6.3: the Author Domain's record, else the PSL org domain's.

    Several records at a name end discovery there: no policy.
    """
    for name in (domain, psl_org):
        if name is None or name not in answers:
            return None
        answer = answers[name]
        step = WalkStep(name=name, answer=answer, records=dmarc_strings(answer))
        if step.records or not answer.ok:
            return step if step.record is not None else None
        if name == psl_org:
            break
    return None


async def tree_walk(domain: str, *, ctx: Context) -> TreeWalk:
    """Query every name the walk may need at once, then interpret.

    Args:
        domain: The Author Domain (validated, lower case, A-labels).
        ctx: The run's context (resolver).

    Returns:
        The :class:`TreeWalk`; DNS failures are recorded in it, never raised.
    """
    names = list(walk_targets(domain))
    psl_task = asyncio.ensure_future(asyncio.to_thread(psl_org_domain, domain))
    answers = list(await asyncio.gather(*(ctx.resolver.query(f"_dmarc.{n}", "TXT") for n in names)))
    psl_org = await psl_task  # the PSL loaded in a thread while the queries were out
    if psl_org is not None and psl_org not in names:
        names.append(psl_org)
        answers.append(await ctx.resolver.query(f"_dmarc.{psl_org}", "TXT"))
    return interpret_walk(domain, dict(zip(names, answers, strict=True)))
