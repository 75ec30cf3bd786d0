"""Ask the first questions of a domain check before the checks themselves are loaded.

A cold ``maildoctor dns`` spends tens of milliseconds importing the check
modules. The first round of questions (the apex TXT and MX, the DMARC names,
the DKIM selectors, the MAIL FROM and PTR names) does not depend on any of that
code, so the CLI sends it first and imports while the answers are on the wire.
It also follows the chains that make the critical path - SPF ``include:`` and
``redirect=`` targets (at most :data:`MAX_DEPTH` deep, as RFC 7208 section 4.6.4
bounds them) and the addresses of MX hosts - with nothing more than a regular
expression. The checks then ask the same questions and the resolver's in-flight
coalescing hands them the answers; a wrong guess costs one unused query.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # this module loads before dnspython: see maildoctor.dns.early
    from .resolver import DnsAnswer, Resolver

__all__ = ["first_round", "prefetch"]

#: RFC 9989 section 4.10: the DMARC tree walk asks at most this many names.
MAX_WALK = 8
#: SPF allows 10 DNS-querying terms in all (RFC 7208 section 4.6.4).
MAX_DEPTH = 10
#: Targets of include: and redirect= without macros (a macro needs the client's data).
_SPF_TARGET = re.compile(r"(?:^|\s)[+?~-]?(?:include:|redirect=)([^\s%]+)(?=\s|$)", re.I)


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
    from .resolver import DnsResolver

    _load_record_types()
    baseline = resolver.udp.sent if isinstance(resolver, DnsResolver) else 0
    tasks = [_ask(resolver, name, rdtype, depth=0) for name, rdtype in questions]
    if isinstance(resolver, DnsResolver):
        # Questions already on the wire (adopted, coalesced) send nothing new: bounded.
        await resolver.udp.until_sent(baseline + len(tasks), turns=20)


def _load_record_types() -> None:
    """dnspython loads record-type modules on first use. Load the ones answers carry now,
    so that reading an answer never waits on the import lock while the checks load."""
    import dns.rdtypes.ANY.CNAME
    import dns.rdtypes.ANY.MX
    import dns.rdtypes.ANY.PTR
    import dns.rdtypes.ANY.TXT
    import dns.rdtypes.IN.A
    import dns.rdtypes.IN.AAAA  # noqa: F401


def _ask(resolver: Resolver, name: str, rdtype: str, *, depth: int) -> asyncio.Future[DnsAnswer]:
    task = asyncio.ensure_future(resolver.query(name, rdtype))
    task.add_done_callback(_follower(resolver, depth))
    return task


def _follower(resolver: Resolver, depth: int) -> Callable[[asyncio.Future[DnsAnswer]], None]:
    def follow(task: asyncio.Future[DnsAnswer]) -> None:
        if task.cancelled() or task.exception() is not None or depth >= MAX_DEPTH:
            return
        for name, rdtype in next_questions(task.result()):
            _ask(resolver, name, rdtype, depth=depth + 1)

    return follow


def next_questions(answer: DnsAnswer) -> list[tuple[str, str]]:
    """The questions an answer makes certain to come: SPF targets, MX host addresses."""
    if not answer.exists:
        return []
    if answer.rdtype == "TXT":
        spf = [r for r in answer.records if r.lower().startswith("v=spf1")]
        targets = {t.rstrip(".").lower() for r in spf for t in _SPF_TARGET.findall(r)}
        return [(t, "TXT") for t in sorted(targets)]
    if answer.rdtype == "MX":
        hosts = [r.exchange for r in answer.mx().records if not r.is_null][:MAX_DEPTH]
        return [(h, t) for h in hosts for t in ("A", "AAAA")]
    return []
