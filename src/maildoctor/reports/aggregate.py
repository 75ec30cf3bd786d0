"""DMARC aggregate reports: XML bytes to :class:`AggregateReport`.

Both schemas in use are read: RFC 7489 appendix C (no namespace, or the draft namespace
``http://dmarc.org/dmarc-xml/0.1``) and RFC 9990 (DMARCbis, namespace
``urn:ietf:params:xml:ns:dmarc-2.0``, with ``np``, ``testing``, ``discovery_method``,
``generator`` and ``human_result``). Elements are matched by local name, so a reporter's
own namespace (Microsoft declares ``xsd``/``xsi`` prefixes; some generators put every
element in a namespace) does not matter.

The XML is parsed by defusedxml: entity declarations (the "billion laughs") and external
references are refused, so nothing named in the document is ever read or fetched. A document
that declares one charset and holds another (Latin-1 bytes in a "UTF-8" report) is read as
Latin-1, with a warning. Counts are taken exactly as written; a count that is not a
non-negative integer makes the report invalid rather than silently wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .model import (
    AggregateReport,
    DkimResult,
    PolicyPublished,
    Reason,
    Record,
    SpfResult,
)

__all__ = ["DMARCBIS_NAMESPACE", "MAX_RECORDS", "ReportError", "parse_aggregate"]

#: The RFC 9990 namespace.
DMARCBIS_NAMESPACE = "urn:ietf:params:xml:ns:dmarc-2.0"
#: Most ``<record>`` elements read from one report (real reports hold a few thousand).
MAX_RECORDS = 1_000_000
#: Longest free text kept from a report (comments, human_result, error).
MAX_TEXT = 1000

_T = TypeVar("_T")

_DECLARED = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']+)[\"']", re.I)


class ReportError(ValueError):
    """The input is not a readable report; the message is one line, for people."""


def parse_aggregate(data: bytes) -> AggregateReport:
    """Read one DMARC aggregate report.

    Args:
        data: The XML document (already decompressed).

    Returns:
        The report.

    Raises:
        ReportError: For input that is not well-formed XML, is hostile (entities, external
            references), is not a ``<feedback>`` document, or has an unreadable count.
    """
    root, warnings = _parse_xml(data)
    namespace, name = _split(root.tag)
    if name != "feedback":
        raise ReportError(f"not a DMARC aggregate report: the root element is <{name}>")
    return _report(root, namespace, warnings)


def _parse_xml(data: bytes) -> tuple[Element, list[str]]:
    try:
        return _fromstring(data), []
    except ParseError as exc:
        if not _latin1_mislabelled(data, exc):
            raise ReportError(f"not well-formed XML: {_one_line(str(exc))}") from None
    relabelled = _relabel(data)
    try:
        root = _fromstring(relabelled)
    except ParseError as exc:
        raise ReportError(f"not well-formed XML: {_one_line(str(exc))}") from None
    return root, ["the XML is not in the charset it declares; read as Latin-1"]


def _fromstring(data: bytes) -> Element:
    try:
        root: Element = fromstring(data, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as exc:
        raise ReportError(f"hostile XML refused: {type(exc).__name__}") from None
    except RecursionError:
        raise ReportError("XML nested too deeply") from None
    return root


def _latin1_mislabelled(data: bytes, exc: ParseError) -> bool:
    """A token error in a document that is not valid in its declared UTF-8."""
    if "invalid token" not in str(exc) and "not well-formed" not in str(exc):
        return False
    declared = _DECLARED.match(data)
    if declared and declared[1].lower() not in (b"utf-8", b"utf8"):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _relabel(data: bytes) -> bytes:
    text = data.decode("latin-1")
    declared = _DECLARED.match(data)
    if declared:  # drop the declaration: the str is re-encoded as UTF-8 below
        text = text[declared.end() :].split("?>", 1)[-1]
    return text.encode("utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


def _split(tag: str) -> tuple[str, str]:
    if tag[:1] == "{":
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(element: Element | None) -> dict[str, Element]:
    """The first child of each local name."""
    found: dict[str, Element] = {}
    if element is None:
        return found
    for child in element:
        if isinstance(child.tag, str):  # comments and processing instructions are not
            found.setdefault(_local(child.tag), child)
    return found


def _text(element: Element | None, *, lower: bool = False) -> str:
    if element is None or element.text is None:
        return ""
    text = element.text.strip()[:MAX_TEXT]
    return text.lower() if lower else text


def _report(root: Element, namespace: str, warnings: list[str]) -> AggregateReport:
    top = _children(root)
    meta = _children(top.get("report_metadata"))
    if "report_metadata" not in top:
        warnings.append("no <report_metadata>")
    if "policy_published" not in top:
        warnings.append("no <policy_published>")
    dates = _children(meta.get("date_range"))
    records = _records(root)
    if not records:
        warnings.append("no <record>: the report covers no message")
    return AggregateReport(
        org_name=_text(meta.get("org_name")),
        email=_text(meta.get("email")),
        extra_contact_info=_text(meta.get("extra_contact_info")),
        report_id=_text(meta.get("report_id")),
        begin=_epoch(dates.get("begin"), "begin", warnings),
        end=_epoch(dates.get("end"), "end", warnings),
        policy=_policy(top.get("policy_published")),
        records=records,
        schema="rfc9990" if namespace == DMARCBIS_NAMESPACE else "rfc7489",
        namespace=namespace,
        version=_text(top.get("version")),
        generator=_text(meta.get("generator")),
        errors=_errors(top.get("report_metadata")),
        warnings=tuple(warnings),
    )


def _errors(meta: Element | None) -> tuple[str, ...]:
    if meta is None:
        return ()
    return tuple(_text(e) for e in meta if isinstance(e.tag, str) and _local(e.tag) == "error")


def _epoch(element: Element | None, name: str, warnings: list[str]) -> int | None:
    text = _text(element)
    if not text:
        warnings.append(f"no <date_range><{name}>")
        return None
    try:
        return int(float(text))
    except ValueError:
        warnings.append(f"<{name}> is not a number: {text[:40]!r}")
        return None


def _policy(element: Element | None) -> PolicyPublished:
    tags = _children(element)

    def tag(name: str) -> str:
        return _text(tags.get(name), lower=name != "domain").lower()

    return PolicyPublished(
        domain=tag("domain"),
        p=tag("p"),
        sp=tag("sp"),
        np=tag("np"),
        adkim=tag("adkim"),
        aspf=tag("aspf"),
        pct=tag("pct"),
        fo=tag("fo"),
        testing=tag("testing"),
        discovery_method=tag("discovery_method"),
    )


def _records(root: Element) -> tuple[Record, ...]:
    records: list[Record] = []
    for child in root:
        if not isinstance(child.tag, str) or _local(child.tag) != "record":
            continue
        if len(records) >= MAX_RECORDS:
            raise ReportError(f"more than {MAX_RECORDS} records; not read")
        records.append(_record(child, len(records) + 1))
    return tuple(records)


def _record(element: Element, number: int) -> Record:
    parts = _children(element)
    row = _children(parts.get("row"))
    evaluated = parts.get("policy_evaluated") or _find(parts.get("row"), "policy_evaluated")
    policy = _children(evaluated)
    ids = _children(parts.get("identifiers"))
    auth = parts.get("auth_results")
    return Record(
        source_ip=_text(row.get("source_ip")),
        count=_count(row.get("count"), number),
        disposition=_text(policy.get("disposition"), lower=True),
        dkim=_text(policy.get("dkim"), lower=True),
        spf=_text(policy.get("spf"), lower=True),
        reasons=_reasons(evaluated),
        header_from=_text(ids.get("header_from"), lower=True),
        envelope_from=_text(ids.get("envelope_from"), lower=True),
        envelope_to=_text(ids.get("envelope_to"), lower=True),
        dkim_results=_auth(auth, "dkim", _dkim),
        spf_results=_auth(auth, "spf", _spf),
    )


def _find(element: Element | None, name: str) -> Element | None:
    return _children(element).get(name)


def _count(element: Element | None, number: int) -> int:
    text = _text(element)
    if not text.isdigit():
        shown = repr(text[:40]) if text else "missing"
        raise ReportError(f"record {number}: count {shown} is not a non-negative integer")
    return int(text)


def _reasons(evaluated: Element | None) -> tuple[Reason, ...]:
    if evaluated is None:
        return ()
    reasons = []
    for child in evaluated:
        if isinstance(child.tag, str) and _local(child.tag) == "reason":
            parts = _children(child)
            reasons.append(
                Reason(
                    type=_text(parts.get("type"), lower=True), comment=_text(parts.get("comment"))
                )
            )
    return tuple(reasons)


def _auth(auth: Element | None, name: str, build: Callable[[Element], _T]) -> tuple[_T, ...]:
    if auth is None:
        return ()
    return tuple(build(c) for c in auth if isinstance(c.tag, str) and _local(c.tag) == name)


def _dkim(element: Element) -> DkimResult:
    parts = _children(element)
    return DkimResult(
        domain=_text(parts.get("domain"), lower=True),
        selector=_text(parts.get("selector")),
        result=_text(parts.get("result"), lower=True),
        human_result=_text(parts.get("human_result")),
    )


def _spf(element: Element) -> SpfResult:
    parts = _children(element)
    return SpfResult(
        domain=_text(parts.get("domain"), lower=True),
        scope=_text(parts.get("scope"), lower=True),
        result=_text(parts.get("result"), lower=True),
        human_result=_text(parts.get("human_result")),
    )
