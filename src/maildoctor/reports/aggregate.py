"""DMARC aggregate reports: XML bytes to :class:`AggregateReport`.

Both schemas in use are read: RFC 7489 appendix C (no namespace, or the draft namespace
``http://dmarc.org/dmarc-xml/0.1``) and RFC 9990 (DMARCbis, namespace
``urn:ietf:params:xml:ns:dmarc-2.0``, with ``np``, ``testing``, ``discovery_method``,
``generator`` and ``human_result``). Elements are matched by local name, so a reporter's
own namespace (Microsoft declares ``xsd``/``xsi`` prefixes; some generators put every
element in a namespace) does not matter.

Nothing named in a document is ever read or fetched, and entities cannot expand: a document
with a document type declaration (the only place entities and external references can be
declared) is parsed by defusedxml, which refuses entity declarations and external references
(the "billion laughs", XXE). A document without one, in an ASCII-compatible encoding (the
``<!DOCTYPE`` would be visible as bytes), is parsed by the standard library's C parser:
with no DTD it has no entity to expand and nothing external to load, and it is several
times faster than defusedxml's pure-Python parser. A document
that declares one charset and holds another (Latin-1 bytes in a "UTF-8" report) is read as
Latin-1, with a warning. Counts are taken exactly as written; a count that is not a
non-negative integer makes the report invalid rather than silently wrong.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError, XMLParser

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

_ASCII_SUPERSETS = frozenset(
    {b"utf-8", b"utf8", b"us-ascii", b"ascii", b"iso-8859-1", b"latin-1", b"latin1"}
)

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
    root, namespace, warnings = _parse_xml(data)
    if root.tag != "feedback":
        raise ReportError(f"not a DMARC aggregate report: the root element is <{root.tag}>")
    return _report(root, namespace, warnings)


def _parse_xml(data: bytes) -> tuple[Element, str, list[str]]:
    try:
        root, namespace = _fromstring(data)
        return root, namespace, []
    except ParseError as exc:
        if not _latin1_mislabelled(data, exc):
            raise ReportError(f"not well-formed XML: {_one_line(str(exc))}") from None
    try:
        root, namespace = _fromstring(_relabel(data))
    except ParseError as exc:
        raise ReportError(f"not well-formed XML: {_one_line(str(exc))}") from None
    return root, namespace, ["the XML is not in the charset it declares; read as Latin-1"]


_DEFAULT_NS = re.compile(rb"""<feedback(\s[^>]*?)?\sxmlns\s*=\s*(["'])([^"'<>]*)\2""")


def _neutralise(data: bytes) -> tuple[bytes, str]:
    """Turn the root's default namespace into an unused prefix's, so elements parse with
    plain names (faster than renaming every element afterwards); returns the namespace."""
    found = _DEFAULT_NS.match(data, data.find(b"<feedback"))
    if found is None:
        return data, ""
    start = found.start(2) - 1  # the "=" before the quote
    name_at = data.rfind(b"xmlns", 0, start)
    return data[:name_at] + b"xmlns:_md_ns" + data[name_at + 5 :], found[3].decode("latin-1")


def _fromstring(data: bytes) -> tuple[Element, str]:
    """The document's root with local names only, and the root's namespace."""
    declared = ""
    try:
        if _plain(data):
            data, declared = _neutralise(data)
            parser = XMLParser()
            parser.feed(data)
            root: Element = parser.close()
        else:
            root = _defused(data)
    except RecursionError:
        raise ReportError("XML nested too deeply") from None
    if root.tag[:1] == "{":  # a prefixed root, or a document defusedxml read
        namespace = root.tag[1:].partition("}")[0]
        _strip_namespaces(root)
        return root, namespace
    root_end = data.find(b">", max(data.find(b"<feedback"), 0))
    if data.find(b"xmlns", root_end) >= 0:
        _strip_namespaces(root)  # a namespace declared below the root
    return root, declared


def _defused(data: bytes) -> Element:
    """Parse with defusedxml: entity declarations and external references refused."""
    from defusedxml import DefusedXmlException  # loaded for the rare document with a DTD
    from defusedxml.ElementTree import fromstring

    try:
        root: Element = fromstring(data, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as exc:
        raise ReportError(f"hostile XML refused: {type(exc).__name__}") from None
    return root


def _plain(data: bytes) -> bool:
    """No DTD, in an encoding where one would show as ASCII bytes (UTF-8, Latin-1, ASCII)."""
    if b"<!DOCTYPE" in data or data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return False
    declared = _DECLARED.match(data)
    return declared is None or declared[1].lower() in _ASCII_SUPERSETS


def _strip_namespaces(root: Element) -> None:
    """Element names without their namespace: reports are read by local name."""
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and tag[:1] == "{":
            element.tag = tag.rpartition("}")[2]


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


def _children(element: Element | None) -> dict[str, Element]:
    """The first child of each name."""
    found: dict[str, Element] = {}
    if element is not None:
        for child in element:
            found.setdefault(child.tag, child)
    return found


def _text(element: Element | None) -> str:
    if element is None or element.text is None:
        return ""
    return element.text.strip()[:MAX_TEXT]


def _lower(element: Element | None) -> str:
    if element is None or element.text is None:
        return ""
    return element.text.strip()[:MAX_TEXT].lower()


def _all(element: Element | None, name: str) -> list[Element]:
    return [] if element is None else [e for e in element if e.tag == name]


def _report(root: Element, namespace: str, warnings: list[str]) -> AggregateReport:
    top = _children(root)
    meta_element = top.get("report_metadata")
    meta = _children(meta_element)
    if meta_element is None:
        warnings.append("no <report_metadata>")
    if "policy_published" not in top:
        warnings.append("no <policy_published>")
    dates = _children(meta.get("date_range"))
    records = _records(root)
    if not records and "policy_published" not in top:
        raise ReportError("not a DMARC aggregate report: no <policy_published> and no <record>")
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
        errors=tuple(
            _text(e) for e in (() if meta_element is None else meta_element) if e.tag == "error"
        ),
        warnings=tuple(warnings),
    )


def _epoch(element: Element | None, name: str, warnings: list[str]) -> int | None:
    text = _text(element)
    if not text:
        warnings.append(f"no <date_range><{name}>")
        return None
    try:
        return int(float(text))
    except (ValueError, OverflowError):
        warnings.append(f"<{name}> is not a number: {text[:40]!r}")
        return None


def _policy(element: Element | None) -> PolicyPublished:
    tags = _children(element)
    return PolicyPublished(
        domain=_lower(tags.get("domain")).rstrip("."),
        p=_lower(tags.get("p")),
        sp=_lower(tags.get("sp")),
        np=_lower(tags.get("np")),
        adkim=_lower(tags.get("adkim")),
        aspf=_lower(tags.get("aspf")),
        pct=_lower(tags.get("pct")),
        fo=_lower(tags.get("fo")),
        testing=_lower(tags.get("testing")),
        discovery_method=_lower(tags.get("discovery_method")),
    )


def _records(root: Element) -> tuple[Record, ...]:
    records: list[Record] = []
    for child in root:
        if child.tag != "record":
            continue
        if len(records) >= MAX_RECORDS:
            raise ReportError(f"more than {MAX_RECORDS} records; not read")
        records.append(_record(child, len(records) + 1))
    return tuple(records)


def _record(element: Element, number: int) -> Record:
    """One ``<record>``: the hot loop, so find()/findtext() (in C) and no helper calls."""
    row = element.find("row")
    ip = count = ""
    evaluated = None
    if row is not None:
        ip = (row.findtext("source_ip") or "").strip()[:MAX_TEXT]
        count = (row.findtext("count") or "").strip()
        evaluated = row.find("policy_evaluated")
    if evaluated is None:  # misplaced outside <row> by some generators
        evaluated = element.find("policy_evaluated")
    disposition = dkim = spf = ""
    reasons: tuple[Reason, ...] = ()
    if evaluated is not None:
        disposition = (evaluated.findtext("disposition") or "").strip()[:MAX_TEXT].lower()
        dkim = (evaluated.findtext("dkim") or "").strip()[:MAX_TEXT].lower()
        spf = (evaluated.findtext("spf") or "").strip()[:MAX_TEXT].lower()
        if evaluated.find("reason") is not None:
            reasons = _reasons(evaluated)
    ids = element.find("identifiers")
    header_from = envelope_from = envelope_to = ""
    if ids is not None:
        header_from = (ids.findtext("header_from") or "").strip()[:MAX_TEXT].lower()
        envelope_from = (ids.findtext("envelope_from") or "").strip()[:MAX_TEXT].lower()
        envelope_to = (ids.findtext("envelope_to") or "").strip()[:MAX_TEXT].lower()
    dkim_results, spf_results = _auth(element.find("auth_results"))
    return Record(
        source_ip=ip,
        count=_count(count, number),
        disposition=disposition,
        dkim=dkim,
        spf=spf,
        reasons=reasons,
        header_from=header_from,
        envelope_from=envelope_from,
        envelope_to=envelope_to,
        dkim_results=dkim_results,
        spf_results=spf_results,
    )


def _auth(auth: Element | None) -> tuple[tuple[DkimResult, ...], tuple[SpfResult, ...]]:
    if auth is None:
        return (), ()
    dkim: list[DkimResult] = []
    spf: list[SpfResult] = []
    for result in auth:
        if result.tag == "dkim":
            dkim.append(_dkim(result))
        elif result.tag == "spf":
            spf.append(_spf(result))
    return tuple(dkim), tuple(spf)


def _reasons(evaluated: Element) -> tuple[Reason, ...]:
    reasons = []
    for field in evaluated:
        if field.tag == "reason":
            parts = _fields(field)
            kind = parts.get("type", "").lower()
            reasons.append(Reason(type=kind, comment=parts.get("comment", "")))
    return tuple(reasons)


def _fields(element: Element) -> dict[str, str]:
    """Each child's stripped text by name (the first of each name)."""
    found: dict[str, str] = {}
    for field in element:
        found.setdefault(field.tag, (field.text or "").strip()[:MAX_TEXT])
    return found


def _dkim(element: Element) -> DkimResult:
    human = element.findtext("human_result")
    return DkimResult(
        domain=(element.findtext("domain") or "").strip()[:MAX_TEXT].lower(),
        selector=(element.findtext("selector") or "").strip()[:MAX_TEXT],
        result=(element.findtext("result") or "").strip()[:MAX_TEXT].lower(),
        human_result=human.strip()[:MAX_TEXT] if human else "",
    )


def _spf(element: Element) -> SpfResult:
    human = element.findtext("human_result")
    return SpfResult(
        domain=(element.findtext("domain") or "").strip()[:MAX_TEXT].lower(),
        scope=(element.findtext("scope") or "").strip()[:MAX_TEXT].lower(),
        result=(element.findtext("result") or "").strip()[:MAX_TEXT].lower(),
        human_result=human.strip()[:MAX_TEXT] if human else "",
    )


def _count(text: str, number: int) -> int:
    if not text.isdigit() or not text.isascii():
        shown = repr(text[:40]) if text else "missing"
        raise ReportError(f"record {number}: count {shown} is not a non-negative integer")
    return int(text)
