"""The DNS evidence beyond the core checks: blocklists, DKIM selector discovery, DNSSEC, BIMI.

:func:`check_extras` runs the ones asked for concurrently; ``maildoctor dns`` asks for them
with options (``--blocklist``/``--dnsbl``, ``--discover-selectors``, ``--dnssec``, ``--bimi``,
``--extended`` for all), ``diagnose`` for all of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass

from ..context import Context
from ..model import Finding

__all__ = ["Extras", "check_extras"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Extras:
    """Which extra checks to run.

    Attributes:
        blocklist: Look the domain (and ``ip``) up on the DNS blocklists.
        zones: Extra blocklist zones (``--dnsbl``); implies ``blocklist``.
        discover: Discover DKIM selectors (signatures in ``message``, providers, common names).
        dnssec: Is the zone signed, does its chain validate, does the resolver set AD.
        bimi: The BIMI record, logo and VMC.
    """

    blocklist: bool = False
    zones: tuple[str, ...] = ()
    discover: bool = False
    dnssec: bool = False
    bimi: bool = False

    @classmethod
    def everything(cls, zones: Sequence[str] = ()) -> Extras:
        return cls(blocklist=True, zones=tuple(zones), discover=True, dnssec=True, bimi=True)

    @property
    def any(self) -> bool:
        return self.blocklist or bool(self.zones) or self.discover or self.dnssec or self.bimi


async def check_extras(
    domain: str,
    extras: Extras,
    *,
    ctx: Context,
    ip: str | None = None,
    selectors: Sequence[str] = (),
    message: bytes | None = None,
) -> tuple[Finding, ...]:
    """Run the extra checks asked for, concurrently.

    Args:
        domain: The sender's domain (validated by the caller).
        extras: Which checks.
        ctx: The run's context.
        ip: A sending IP for the blocklists.
        selectors: DKIM selectors the user named (discovery tries them too).
        message: A message whose DKIM signatures name selectors.

    Raises:
        ValueError: for an ``extras.zones`` entry that is not a DNS name.
    """
    runs: list[Awaitable[tuple[Finding, ...]]] = []
    if extras.blocklist or extras.zones:
        from .blocklist import check_blocklists, select_lists

        lists = select_lists(extras.zones)
        runs.append(check_blocklists([ip] if ip else [], [domain], ctx=ctx, lists=lists))
    if extras.discover:
        from .selectors import discover_selectors

        runs.append(discover_selectors(domain, ctx=ctx, message=message, given=selectors))
    if extras.dnssec:
        from .dnssec import check_dnssec

        runs.append(check_dnssec(domain, ctx=ctx))
    if extras.bimi:
        from .bimi import check_bimi

        runs.append(check_bimi(domain, ctx=ctx))
    results = await asyncio.gather(*runs)
    return tuple(f for found in results for f in found)
