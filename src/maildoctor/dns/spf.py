"""SPF (RFC 7208): the public entry points.

* :func:`check_host` - evaluate a domain's policy for one client IP and sender
  (from :mod:`.spf_eval`); returns an :class:`SpfResult` with the decision path.
* :func:`check_spf` - lint a domain's whole include/redirect tree for
  ``maildoctor dns``; returns findings (``dns.spf.*``).
* :func:`spf_for_ip` - the ``dns.spf.ip_verdict`` finding for one IP, for
  ``maildoctor dns --ip`` and ``maildoctor spf``.
* :func:`parse_record`, :func:`record_findings` - pure helpers over one record.

Module map::

    spf_macro     macro strings (section 7): parse, validate, expand
    spf_parse     record text -> terms with positions (sections 4.5, 4.6.1, 5, 6)
    spf_eval      check_host() over the Resolver protocol (sections 4-6)
    spf_lint      the include/redirect tree with lookup and void counts
    spf_findings  tree / result -> findings
"""

from __future__ import annotations

from dataclasses import replace

from ..context import Context
from ..model import Finding, Status
from .spf_eval import (
    DEFAULT_EXPLANATION,
    MAX_LOOKUPS,
    MAX_VOID_LOOKUPS,
    SpfResult,
    SpfStep,
    SpfVerdict,
    check_host,
)
from .spf_findings import format_path, record_findings, tree_findings, verdict_finding
from .spf_lint import SpfNode, VoidCount, build_tree
from .spf_parse import Mechanism, Modifier, SpfRecord, SyntaxProblem, parse_record

__all__ = [
    "DEFAULT_EXPLANATION",
    "MAX_LOOKUPS",
    "MAX_VOID_LOOKUPS",
    "Mechanism",
    "Modifier",
    "SpfNode",
    "SpfRecord",
    "SpfResult",
    "SpfStep",
    "SpfVerdict",
    "SyntaxProblem",
    "VoidCount",
    "build_tree",
    "check_host",
    "check_spf",
    "format_path",
    "helo_finding",
    "parse_record",
    "record_findings",
    "spf_for_ip",
    "tree_findings",
    "verdict_finding",
]


async def check_spf(domain: str, *, ctx: Context, required: bool = False) -> tuple[Finding, ...]:
    """Lint the SPF policy of ``domain`` and everything it includes.

    Args:
        domain: The domain (the MAIL FROM domain whose policy receivers evaluate).
        ctx: The run's context; only ``ctx.resolver`` is used.
        required: Report a missing record as ``fail`` (for a domain known to send
            mail) instead of ``warn``.

    Returns:
        ``dns.spf.*`` findings; DNS failures are ``error`` findings, never "no record".
    """
    tree = await build_tree(domain, resolver=ctx.resolver)
    return tree_findings(tree, required=required)


async def spf_for_ip(
    ip: str,
    domain: str,
    *,
    ctx: Context,
    helo: str | None = None,
    sender: str | None = None,
) -> Finding:
    """Evaluate ``domain``'s SPF policy for one client IP.

    Args:
        ip: The sending IP.
        domain: The MAIL FROM (or HELO) domain.
        ctx: The run's context (resolver and clock).
        helo: The HELO name, for ``%{h}`` macros.
        sender: The full MAIL FROM address; ``postmaster@<domain>`` when None.

    Returns:
        The ``dns.spf.ip_verdict`` finding: pass -> pass; fail, softfail and
        permerror -> fail; temperror -> error; neutral and none -> warn. Its
        ``data`` holds the result, the decision path and the counts.

    Raises:
        InputError: if ``ip`` is not an IP address.
    """
    result = await check_host(
        ip,
        sender if sender is not None else f"postmaster@{domain}",
        helo,
        resolver=ctx.resolver,
        clock=ctx.clock,
    )
    return verdict_finding(result)


async def helo_finding(ip: str, helo: str, *, ctx: Context) -> Finding:
    """``dns.spf.helo``: the HELO name's own SPF record evaluated for the sending IP.

    RFC 7208 section 2.3: ``check_host(ip, helo, postmaster@helo)``. A failing HELO
    record is an advisory (warn): some receivers reject on it, and it is the only SPF
    identity of bounces, but DMARC uses the MAIL FROM identity.
    """
    result = await check_host(
        ip, f"postmaster@{helo}", helo, resolver=ctx.resolver, clock=ctx.clock
    )
    finding = verdict_finding(result)
    status = Status.WARN if finding.status is Status.FAIL else finding.status
    return replace(
        finding,
        check="dns.spf.helo",
        status=status,
        summary=f"HELO {helo}: {finding.summary}",
        data={**finding.data, "role": "helo"},
    )
