"""Microsoft 365 / Exchange Online non-delivery reports (NDRs).

Exchange Online writes an RFC 3464 report whose human part ends with "Diagnostic
information for administrators": ``Generating server:`` (the Microsoft host that
wrote the NDR), then per recipient the address, the remote server's host name, and
``Remote Server returned '<reply>'``. Microsoft's advice is to read both before
blaming either side (REFERENCE.md section 5): the generating server tells whether
Microsoft refused the message itself or relayed another server's refusal.

Recognised as Sisimai's Office365 module does (two of: an "Undeliverable:"
subject, ``X-MS-Exchange-*`` / ``X-Microsoft-Antispam*`` headers, a Received or
Message-ID host under ``.prod.outlook.com`` / ``.outbound.protection.outlook.com``).
"""

from __future__ import annotations

import re

from .._scan import finish
from .._text import is_email
from ..model import DeliveryStatus, Draft
from ..parse import Mail
from . import rfc3464

NAME = "office365"

_HEADERS = (
    "x-ms-exchange-message-is-ndr", "x-microsoft-antispam-prvs",
    "x-exchange-antispam-report-test", "x-exchange-antispam-report-cfa-test",
    "x-ms-exchange-crosstenant-originalarrivaltime", "x-ms-exchange-crosstenant-fromentityheader",
    "x-ms-exchange-transport-crosstenantheadersstamped",
)  # fmt: skip
_MICROSOFT_HOST = re.compile(r".+\.(?:outbound\.protection|prod)\.outlook\.com\b", re.I)
_GENERATING = re.compile(r"^Generating server: *([A-Za-z0-9.-]+)", re.M)
#: Lines after "Generating server:" that are read for the per-recipient remote host.
_DETAIL_LINES = 400


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an Exchange Online NDR; None for other messages."""
    if _score(mail) < 2:
        return None
    return finish(with_ndr_details(rfc3464.drafts(mail), mail.report), NAME)


def _score(mail: Mail) -> int:
    score = int("Undeliverable:" in mail.subject)
    score += sum(1 for name in _HEADERS if name in mail.headers)
    score += any(_MICROSOFT_HOST.match(r) for r in mail.headers.get("received", ()))
    score += _MICROSOFT_HOST.search(mail.header("message-id")) is not None
    return score


def with_ndr_details(drafts: list[Draft], report: str) -> list[Draft]:
    """Fill ``generating_server``, each recipient's remote host and the remote text.

    The remote server's words are what follows ``Remote Server returned`` for the
    recipient; the rest of the NDR is Microsoft's advice, which would only blur the
    reason. Without that line the RFC 3464 reader's text is kept.
    """
    generating, remote = ndr_details(report)
    returned = _returned(report)
    for draft in drafts:
        key = draft.recipient.lower()
        draft.generating_server = draft.generating_server or generating
        draft.rhost = draft.rhost or remote.get(key, "")
        if key in returned:
            draft.diagnosis = returned[key]
    return drafts


_RETURNED = re.compile(
    r"^([^\s@]+@[^\s@]+)\s*\n(?:\S+\n)?Remote Server +returned '(.+?)'\s*$", re.M | re.I
)


def _returned(report: str) -> dict[str, str]:
    """recipient -> the reply quoted in ``Remote Server returned '...'``."""
    return {m.group(1).lower(): m.group(2) for m in _RETURNED.finditer(report)}


def ndr_details(report: str) -> tuple[str, dict[str, str]]:
    """(generating server, recipient -> remote server) from "Diagnostic information".

    ::

        Generating server: BN8PR01MB0001.namprd01.prod.outlook.com

        user@example.net
        mx.example.net
        Remote Server returned '550 5.1.1 ...'
    """
    match = _GENERATING.search(report)
    if match is None:
        return "", {}
    lines = report[match.end() :].split("\n", _DETAIL_LINES)[:_DETAIL_LINES]
    remote: dict[str, str] = {}
    for n, line in enumerate(lines[:-1]):
        address = line.strip()
        if not is_email(address):
            continue
        host = lines[n + 1].strip().rstrip(".")
        if host and "." in host and not any(c in host for c in " @'<>"):
            remote.setdefault(address.lower(), host.lower())
    return match.group(1).rstrip(".").lower(), remote
