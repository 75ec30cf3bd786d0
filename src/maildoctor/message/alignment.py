"""DMARC identifier alignment (RFC 7489 section 3.1; RFC 9989 keeps the same rules).

DMARC passes when SPF or DKIM passes *for a domain aligned with the From
domain*: in ``relaxed`` mode the two share an organizational domain, in
``strict`` mode they are equal (RFC 7489 sections 3.1.1 and 3.1.2). The mode comes
from the From domain's DMARC record (``adkim=``/``aspf=``, default relaxed).

The record is discovered by the DNS layer's RFC 9989 tree walk
(:func:`maildoctor.dns.orgdomain.tree_walk`), the same discovery ``maildoctor dns``
reports; organizational domains for relaxed alignment come from its Public Suffix
List reading (:func:`maildoctor.dns.orgdomain.psl_org_domain`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..dns.resolver import DnsAnswer, Resolver

__all__ = [
    "Alignment",
    "DmarcPolicy",
    "aligned",
    "evaluate_alignment",
    "fetch_dmarc",
    "org_domain",
]


def org_domain(domain: str) -> str:
    """The organizational domain of ``domain`` (RFC 7489 section 3.2), lower-case.

    A name that is itself a public suffix, or that the list cannot place, is
    its own organizational domain.
    """
    from ..dns.orgdomain import psl_org_domain

    domain = domain.strip().rstrip(".").lower()
    return psl_org_domain(domain) or domain


def aligned(a: str, b: str, mode: str = "r") -> bool:
    """Whether two domains align: equal (``s``) or same organizational domain (``r``)."""
    a, b = a.rstrip(".").lower(), b.rstrip(".").lower()
    if not a or not b:
        return False
    if mode == "s":
        return a == b
    return a == b or org_domain(a) == org_domain(b)


@dataclass(frozen=True, slots=True, kw_only=True)
class DmarcPolicy:
    """The DMARC record that governs the From domain.

    Attributes:
        domain: Where the record was found (``_dmarc.`` stripped).
        tags: Its tags, lower-case names.
        applies_to_subdomain: True when found at the organizational domain for a
            subdomain, so ``sp=`` applies (RFC 7489 section 6.6.3).
    """

    domain: str
    tags: Mapping[str, str] = field(default_factory=dict)
    applies_to_subdomain: bool = False
    raw: str = ""

    @property
    def adkim(self) -> str:
        return "s" if self.tags.get("adkim", "r").lower() == "s" else "r"

    @property
    def aspf(self) -> str:
        return "s" if self.tags.get("aspf", "r").lower() == "s" else "r"

    @property
    def policy(self) -> str:
        p = self.tags.get("p", "").lower()
        if self.applies_to_subdomain:
            return self.tags.get("sp", p).lower()
        return p


async def fetch_dmarc(
    from_domain: str, *, resolver: Resolver
) -> tuple[DmarcPolicy | None, tuple[DnsAnswer, ...]]:
    """Discover the DMARC record for ``from_domain`` by the DNS layer's RFC 9989 tree walk.

    Args:
        from_domain: The RFC5322.From domain.
        resolver: maildoctor's resolver.

    Returns:
        ``(policy or None, the lookups made)``. A lookup that did not reach a
        definite answer before a policy was found leaves the policy None; the
        answers say why.
    """
    from ..context import Context
    from ..dns.orgdomain import tree_walk

    walk = await tree_walk(from_domain.rstrip(".").lower(), ctx=Context(resolver=resolver))
    answers = tuple(step.answer for step in walk.steps)
    if walk.failed is not None:
        answers += (walk.failed.answer,)
    step = walk.policy
    record = step.record if step is not None else None  # parsed once, by the walk
    if step is None or record is None:
        return None, answers
    tags = dict(reversed(record.tags))  # the first value of a repeated tag wins
    sub = step.name != walk.domain  # found above the From domain: sp= applies
    return DmarcPolicy(
        domain=step.name, tags=tags, applies_to_subdomain=sub, raw=step.records[0]
    ), answers


@dataclass(frozen=True, slots=True, kw_only=True)
class Alignment:
    """What DMARC would conclude from the given authentication results.

    Attributes:
        from_domain: RFC5322.From domain.
        result: ``pass`` or ``fail``.
        dkim_aligned: ``d=`` of passing signatures that align with From.
        dkim_unaligned: ``d=`` of passing signatures that do not align.
        spf_domain: The domain SPF was checked for (MAIL FROM, else HELO).
        spf_result: The SPF result used.
        spf_aligned: Whether SPF passed for an aligned domain.
        adkim: ``r`` or ``s``.
        aspf: ``r`` or ``s``.
    """

    from_domain: str
    result: str
    dkim_aligned: tuple[str, ...] = ()
    dkim_unaligned: tuple[str, ...] = ()
    spf_domain: str = ""
    spf_result: str = ""
    spf_aligned: bool = False
    adkim: str = "r"
    aspf: str = "r"

    def to_dict(self) -> dict[str, object]:
        return {
            "from_domain": self.from_domain,
            "result": self.result,
            "dkim_aligned": list(self.dkim_aligned),
            "dkim_unaligned": list(self.dkim_unaligned),
            "spf_domain": self.spf_domain,
            "spf_result": self.spf_result,
            "spf_aligned": self.spf_aligned,
            "adkim": self.adkim,
            "aspf": self.aspf,
        }


def evaluate_alignment(
    from_domain: str,
    *,
    dkim_pass_domains: Iterable[str],
    spf_result: str,
    spf_domain: str,
    adkim: str = "r",
    aspf: str = "r",
) -> Alignment:
    """DMARC's verdict from authentication results (RFC 7489 section 4.2).

    Args:
        from_domain: RFC5322.From domain.
        dkim_pass_domains: ``d=`` of every DKIM signature that passed.
        spf_result: SPF result for ``spf_domain`` (``pass``, ``fail``...), or "".
        spf_domain: The MAIL FROM domain (or HELO when MAIL FROM was empty).
        adkim: DKIM alignment mode.
        aspf: SPF alignment mode.

    Returns:
        The alignment verdict.
    """
    passes = list(dict.fromkeys(d.lower() for d in dkim_pass_domains if d))
    good = tuple(d for d in passes if aligned(d, from_domain, adkim))
    spf_ok = spf_result == "pass" and aligned(spf_domain, from_domain, aspf)
    return Alignment(
        from_domain=from_domain,
        result="pass" if good or spf_ok else "fail",
        dkim_aligned=good,
        dkim_unaligned=tuple(d for d in passes if d not in good),
        spf_domain=spf_domain,
        spf_result=spf_result,
        spf_aligned=spf_ok,
        adkim=adkim,
        aspf=aspf,
    )
