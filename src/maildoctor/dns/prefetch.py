"""Ask the first round of a domain check before the checks themselves are loaded.

A cold ``maildoctor dns`` spends tens of milliseconds importing the check
modules. The first round of questions (the apex TXT and MX, the DMARC names,
the DKIM selectors, the MAIL FROM and PTR names) does not depend on any of that
code, so the CLI sends it first and imports while the answers are on the wire;
the resolver's in-flight coalescing hands the answers to the checks later.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterable, Sequence

from .resolver import DnsAnswer, DnsResolver, Resolver

__all__ = ["first_round", "prefetch"]

#: RFC 9989 section 4.10: the DMARC tree walk asks at most this many names.
MAX_WALK = 8


def first_round(
    domain: str,
    *,
    selectors: Sequence[str] = (),
    mail_from: str | None = None,
    ip: str | None = None,
) -> list[tuple[str, str]]:
    """Questions every check of ``domain`` will ask before it has any answer."""
    domain = domain.strip().rstrip(".").lower()
    labels = domain.split(".")
    questions = [(domain, "TXT"), (domain, "MX")]
    questions += [
        (f"_dmarc.{'.'.join(labels[i:])}", "TXT") for i in range(min(len(labels), MAX_WALK))
    ]
    questions += [(f"{s}._domainkey.{domain}", "TXT") for s in selectors]
    if mail_from:
        questions += [(mail_from, "MX"), (mail_from, "TXT")]
    if ip:
        try:
            questions.append((ipaddress.ip_address(ip).reverse_pointer, "PTR"))
        except ValueError:
            pass
    return questions


async def prefetch(resolver: Resolver, questions: Iterable[tuple[str, str]]) -> None:
    """Start the questions and return once they have been sent (or a few loop turns).

    The answers land in the resolver's per-run cache; nothing is awaited here.
    """
    tasks = [asyncio.ensure_future(resolver.query(name, rdtype)) for name, rdtype in questions]
    for task in tasks:
        task.add_done_callback(_quiet)
    if not isinstance(resolver, DnsResolver):
        return
    for _ in range(20):  # the sockets open and the datagrams go out within a few turns
        if resolver.datagrams_sent >= len(tasks):
            return
        await asyncio.sleep(0)


def _quiet(task: asyncio.Future[DnsAnswer]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved: never "exception was never retrieved"
