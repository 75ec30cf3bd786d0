"""The result model: evidence, findings and reports.

Everything a check learns is data. A broken domain, a server that says no or a
missing permission is a :class:`Finding`, never an exception. Each finding
carries the :class:`Evidence` it rests on (what was asked, who answered, the
raw answer), a stable check id, the layer it belongs to, a status, the RFC or
vendor reference behind the verdict and, where something is wrong, the fix.

Exit codes (DESIGN.md "Results, not exceptions"):

* 0 - nothing wrong found
* 1 - at least one failure (a root cause)
* 2 - bad usage or unreadable input (raised by the CLI, never by a check)
* 3 - some checks could not complete, and nothing failed
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import Any, Generic, TypeVar

#: 1.1 added ``causes`` (root causes from :mod:`maildoctor.correlate`). 1.2 added
#: ``tool_version`` and ``generated_at`` (which maildoctor made the report, and when), and
#: ``defects`` (found on the way, did not stop this mail) with, on each cause, ``kind``,
#: ``harms``, ``demoted_by``, ``alternatives`` and ``overruled``.
SCHEMA_VERSION = "1.2"

__all__ = [
    "SCHEMA_VERSION",
    "Confidence",
    "Evidence",
    "Alternative",
    "CauseKind",
    "ExitCode",
    "Finding",
    "FindingMaker",
    "Layer",
    "LayerResult",
    "Report",
    "RootCause",
    "Status",
]


class Layer(StrEnum):
    """Where along the mail's path a check or a cause belongs (DESIGN.md "Layers")."""

    CLIENT = "client"
    PROVIDER = "provider"
    DNS = "dns"
    TRANSPORT = "transport"
    RECIPIENT = "recipient"
    MESSAGE = "message"


class Status(StrEnum):
    """The verdict of one finding.

    ``error`` means the check could not run to a verdict (a timeout, a refused
    query); ``skipped`` means it was not attempted, with the reason in the
    finding. Neither is ever a pass.
    """

    PASS = "pass"
    INFO = "info"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"
    SKIPPED = "skipped"


class Confidence(StrEnum):
    """How firmly a root cause rests on its evidence (see :mod:`maildoctor.correlate`)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class CauseKind(StrEnum):
    """The two kinds of result :mod:`maildoctor.correlate` draws from findings.

    ``cause``: a reason *this* mail was not delivered (with severity fail, exit code 1).
    ``defect``: something wrong found on the way that did not stop this mail (the mail
    passed DMARC through the other mechanism, or the record lies off this mail's path);
    worth fixing, listed after the causes with whom it hurts, never exit code 1.
    """

    CAUSE = "cause"
    DEFECT = "defect"


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1
    USAGE = 2
    INCOMPLETE = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """One observation: what was asked, who answered and what they said.

    Attributes:
        id: Unique within a report (``dns:TXT:example.com``), referenced by findings.
        source: The protocol or input it came from (``dns``, ``smtp``, ``aws``, ``file``).
        query: What was asked, in the protocol's own words.
        server: Who answered (``127.0.0.1:53``, a host name, an AWS endpoint), if anyone.
        outcome: How the exchange ended (``answer``, ``nxdomain``, ``timeout``, ``535``...).
        raw: The raw answer as text; never holds secrets.
        elapsed_ms: How long the exchange took, if it was a network exchange.
    """

    id: str
    source: str
    query: str
    server: str | None = None
    outcome: str = ""
    raw: tuple[str, ...] = ()
    elapsed_ms: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "query": self.query,
            "server": self.server,
            "outcome": self.outcome,
            "raw": list(self.raw),
            "elapsed_ms": None if self.elapsed_ms is None else round(self.elapsed_ms, 1),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """The verdict of one check on one subject.

    Attributes:
        check: Stable check id, dotted, layer first (``dns.spf.lookup_limit``).
        layer: The layer the check belongs to.
        status: pass / info / warn / fail / error / skipped.
        subject: What was checked (a domain, a host, a selector, an address).
        summary: One line for people.
        detail: Longer explanation, optional.
        evidence: The observations the verdict rests on.
        reference: The RFC section or vendor document behind the verdict.
        fix: What to do, when something is wrong.
        cause: The catalogue id of the root cause this finding points to, if any.
        data: Structured extras for machines (counts, parsed tags...).
    """

    check: str
    layer: Layer
    status: Status
    subject: str
    summary: str
    detail: str = ""
    evidence: tuple[Evidence, ...] = ()
    reference: str = ""
    fix: str = ""
    cause: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "layer": str(self.layer),
            "status": str(self.status),
            "subject": self.subject,
            "summary": self.summary,
            "detail": self.detail,
            "evidence": [e.to_dict() for e in self.evidence],
            "reference": self.reference,
            "fix": self.fix,
            "cause": self.cause,
            "data": _jsonable(self.data),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Alternative:
    """One of several fixes of which any one is enough (a condition of "A and B" failing).

    Attributes:
        id: Catalogue id of the defect this fix repairs.
        title: That defect, in words.
        fix: The steps.
        effort: 1 (a DNS record) .. 3 (a new set-up); alternatives are listed by effort.
        effort_note: Why it costs what it costs, in words.
        leaves: What stays broken if only this alternative is taken, computed from the world.
    """

    id: str
    title: str
    fix: tuple[str, ...] = ()
    effort: int = 2
    effort_note: str = ""
    leaves: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "fix": list(self.fix),
            "effort": self.effort,
            "effort_note": self.effort_note,
            "leaves": list(self.leaves),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RootCause:
    """One independent reason mail is not delivered, built by :func:`maildoctor.correlate`.

    Attributes:
        id: Catalogue id of the cause (the most specific of the merged ids).
        layer: The layer the cause belongs to.
        title: One line for people (from the catalogue).
        severity: ``fail`` when any finding behind it failed, else ``warn`` (an advisory).
        confidence: high / medium / low, from the number and kind of independent evidence.
        explanation: Why this breaks delivery (from the catalogue).
        fix: The catalogue's fix steps.
        specific_fix: The fixes the findings themselves proposed for this case.
        does_not_fix: What this fix will not cure.
        references: RFC sections and vendor documents.
        findings: Check ids of the findings it rests on.
        evidence: Ids of the :class:`Evidence` it rests on.
        related: The other catalogue ids merged into this cause.
        subjects: What the findings were about (addresses, domains, hosts).
        sources: The independent kinds of evidence (``bounce``, ``relay``, ``aws``...).
        conflicts: Where other evidence disagrees, in words.
        notes: Catalogue ids of notes (corrections to common advice) that go with it.
        kind: ``cause`` of this non-delivery, or ``defect`` found on the way.
        harms: For a defect: whom it hurts, since it did not stop this mail.
        demoted_by: For a defect: the evidence or reasoning that shows it did not stop it.
        alternatives: Fixes of which any one is enough, cheapest first (empty: one fix).
        overruled: Ids of causes that contradicted this one and were set aside.
    """

    id: str
    layer: Layer
    title: str
    severity: Status = Status.FAIL
    confidence: Confidence = Confidence.MEDIUM
    explanation: str = ""
    fix: tuple[str, ...] = ()
    specific_fix: tuple[str, ...] = ()
    does_not_fix: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    kind: CauseKind = CauseKind.CAUSE
    harms: str = ""
    demoted_by: tuple[str, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    overruled: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        """This cause's id followed by the ids merged into it."""
        return (self.id, *self.related)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "layer": str(self.layer),
            "title": self.title,
            "severity": str(self.severity),
            "confidence": str(self.confidence),
            "explanation": self.explanation,
            "fix": list(self.fix),
            "specific_fix": list(self.specific_fix),
            "does_not_fix": list(self.does_not_fix),
            "references": list(self.references),
            "findings": list(self.findings),
            "evidence": list(self.evidence),
            "related": list(self.related),
            "subjects": list(self.subjects),
            "sources": list(self.sources),
            "conflicts": list(self.conflicts),
            "notes": list(self.notes),
            "kind": str(self.kind),
            "harms": self.harms,
            "demoted_by": list(self.demoted_by),
            "alternatives": [a.to_dict() for a in self.alternatives],
            "overruled": list(self.overruled),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """All findings of one command run, and the root causes drawn from them.

    Attributes:
        causes: Causes of this non-delivery (severity fail) and advisories (warn).
        defects: Defects found on the way that did not stop this mail (never exit 1).
        correlated: The findings went through :mod:`maildoctor.correlate`: every failing
            finding that names a cause is accounted for by ``causes`` or ``defects``.
    """

    command: str
    subject: str
    findings: tuple[Finding, ...]
    elapsed_ms: float = 0.0
    meta: Mapping[str, Any] = field(default_factory=dict)
    causes: tuple[RootCause, ...] = ()
    defects: tuple[RootCause, ...] = ()
    correlated: bool = False

    #: When the report was made: UTC, ISO 8601 to the second (``2026-12-04T16:52:03Z``).
    generated_at: str = field(default_factory=lambda: utc_now(), compare=False)

    @property
    def tool_version(self) -> str:
        """The maildoctor version that made the report."""
        import maildoctor

        return str(maildoctor.__version__)

    @property
    def exit_code(self) -> ExitCode:
        if any(c.severity == Status.FAIL for c in self.causes):
            return ExitCode.PROBLEMS
        if self.correlated:
            # A failing finding that names a cause became a cause or a defect; only an
            # uncatalogued failure still counts on its own.
            return exit_code_for(
                f for f in self.findings if not (f.cause and f.status is Status.FAIL)
            )
        return exit_code_for(self.findings)

    def by_status(self, *statuses: Status) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status in statuses)

    def to_dict(self) -> dict[str, Any]:
        counts = {str(s): 0 for s in Status}
        for f in self.findings:
            counts[str(f.status)] += 1
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": "maildoctor",
            "tool_version": self.tool_version,
            "generated_at": self.generated_at,
            "command": self.command,
            "subject": self.subject,
            "exit_code": int(self.exit_code),
            "counts": counts,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "meta": _jsonable(self.meta),
            "findings": [f.to_dict() for f in self.findings],
            "causes": [c.to_dict() for c in self.causes],
            "defects": [c.to_dict() for c in self.defects],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        from .escaping import json_safe

        return json_safe(json.dumps(self.to_dict(), indent=indent, ensure_ascii=False))


@dataclass(frozen=True, slots=True)
class FindingMaker:
    """Builds findings of one check family: ``FindingMaker("dns.mx", Layer.DNS, REF)``.

    Calling it with the check's last part, status, subject and summary (and any
    other :class:`Finding` field by keyword) keeps call sites short.
    """

    prefix: str
    layer: Layer
    reference: str = ""

    def __call__(
        self,
        check: str,
        status: Status,
        subject: str,
        summary: str,
        *,
        detail: str = "",
        evidence: tuple[Evidence, ...] = (),
        reference: str | None = None,
        fix: str = "",
        cause: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> Finding:
        return Finding(
            check=f"{self.prefix}.{check}",
            layer=self.layer,
            status=status,
            subject=subject,
            summary=summary,
            detail=detail,
            evidence=evidence,
            reference=self.reference if reference is None else reference,
            fix=fix,
            cause=cause,
            data=dict(data or {}),
        )


def utc_now() -> str:
    """The current time as a report states it: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def exit_code_for(findings: Iterable[Finding]) -> ExitCode:
    """0 if nothing is wrong, 1 on any failure, else 3 if a check could not complete."""
    statuses = {f.status for f in findings}
    if Status.FAIL in statuses:
        return ExitCode.PROBLEMS
    if Status.ERROR in statuses:
        return ExitCode.INCOMPLETE
    return ExitCode.OK


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, StrEnum):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "to_dict"):
        return _jsonable(value.to_dict())
    return str(value)


FactsT = TypeVar("FactsT")


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerResult(Generic[FactsT]):
    """What one layer's check hands to ``diagnose``: its findings, and facts others need.

    Attributes:
        findings: The layer's findings, in its own order.
        facts: Typed facts another layer or the report needs (the layer's own type), or
            ``None`` when it has none to share.
    """

    findings: tuple[Finding, ...]
    facts: FactsT | None = None
