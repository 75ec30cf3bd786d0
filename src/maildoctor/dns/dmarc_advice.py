"""What DMARC record to publish next: a pure function over the parsed record.

The rollout is ``p=none`` (monitor with aggregate reports) -> ``p=quarantine`` ->
``p=reject``. Two facts shape the advice (REFERENCE.md sections 5 and 6, and the
mistakes listed in DESIGN.md):

* ``fo=`` only shapes *failure* reports, so without ``ruf=`` it does nothing:
  recommend adding ``ruf=`` or dropping ``fo=``.
* With ``p=quarantine`` Microsoft 365 / Exchange Online quarantines failing mail
  *silently*: no bounce reaches the sender, which hides the very failure being
  debugged. Only ``p=reject`` makes Exchange Online answer 550 5.7.509.

:func:`recommend` returns an :class:`Advice`; :func:`advice_finding` turns it
into the ``dns.dmarc.recommendation`` finding, with ``data["record"]`` holding
the exact TXT value to publish at ``_dmarc.<domain>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Evidence, Finding, Layer, Status
from .dmarc_record import POLICIES, REMOVED_TAGS, DmarcRecord, ReportUri, Severity

__all__ = ["Advice", "AdviceContext", "advice_finding", "recommend", "render_record"]

REF_ADVICE = "RFC 9989 §4.7; Microsoft Learn: How Microsoft 365 handles inbound email failing DMARC"

SILENT_QUARANTINE = (
    "With p=quarantine, Microsoft 365 / Exchange Online quarantines failing mail silently: "
    "no bounce reaches the sender, so a delivery failure you are debugging disappears from "
    "view. Only p=reject makes Exchange Online refuse the message with 550 5.7.509."
)

ROLLOUT = (
    ("none", "p=none with rua=: monitor the aggregate reports until every legitimate source "
     "passes SPF or DKIM aligned with the domain (typically weeks)."),
    ("quarantine", "p=quarantine: failing mail is sent to spam or quarantine. Exchange Online "
     "does this silently (no bounce), so keep it short and watch the reports."),
    ("reject", "p=reject: failing mail is refused during the SMTP transaction and the sender "
     "gets a bounce (Exchange Online: 550 5.7.509), so a broken source shows at once."),
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class AdviceContext:
    """What the engine knows beyond the record.

    Attributes:
        domain: The domain the record is for.
        microsoft365: Mail goes to Microsoft 365 / Exchange Online recipients.
        authentication_ready: Every legitimate source is known to pass aligned
            SPF or DKIM (``True``), known not to (``False``), or unknown (``None``).
        report_address: Where aggregate reports should go when ``rua=`` is missing.
        unauthorized: Report destination domains that have not authorized the
            reports (RFC 9990 section 4); their URIs are dropped.
    """

    domain: str
    microsoft365: bool = False
    authentication_ready: bool | None = None
    report_address: str | None = None
    unauthorized: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Advice:
    """The next record and why.

    Attributes:
        name: Where to publish (``_dmarc.<domain>``).
        record: The exact TXT value to publish next.
        current: The record in place now, if any.
        next_policy: The ``p=`` of the next record.
        changes: Each change from the current record, with its reason.
        rollout: The rollout stages, the next one marked.
        warnings: What could go wrong with the current or next record.
    """

    name: str
    record: str
    current: str | None
    next_policy: str
    changes: tuple[str, ...]
    rollout: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def unchanged(self) -> bool:
        """The recommended record says the same as the published one (tag order aside)."""
        return self.current is not None and _tag_map(self.current) == _tag_map(self.record)


def _tag_map(record: str) -> dict[str, str]:
    pairs = (part.split("=", 1) for part in record.split(";") if "=" in part)
    return {k.strip().lower(): v.strip() for k, v in pairs}


def render_record(tags: list[tuple[str, str]]) -> str:
    """``[("v", "DMARC1"), ("p", "none")]`` -> ``"v=DMARC1; p=none"``."""
    return "; ".join(f"{name}={value}" for name, value in tags)


def recommend(record: DmarcRecord | None, context: AdviceContext) -> Advice:
    """Work out the record to publish next.

    Args:
        record: The policy record in place (``None`` when there is none).
        context: What else is known (Microsoft 365 recipients, readiness).

    Returns:
        The advice; it never raises.
    """
    current = record.policy if record is not None and record.is_dmarc else None
    nxt = next_policy(current, context)
    changes: list[str] = []
    tags = [("v", "DMARC1"), ("p", nxt)]
    if current != nxt:
        changes.append(_policy_change(current, nxt))
    tags += _kept_tags(record, nxt, changes, context)
    return Advice(
        name=f"_dmarc.{context.domain}",
        record=render_record(tags),
        current=record.raw if record is not None else None,
        next_policy=nxt,
        changes=tuple(changes),
        rollout=_rollout(nxt),
        warnings=_warnings(current, nxt, context),
    )


def next_policy(current: str | None, context: AdviceContext) -> str:
    """One step up the ladder, unless authentication is not ready.

    With Microsoft 365 recipients, ``none`` only moves to ``quarantine`` once
    authentication is known to be ready: quarantining silently while a failure
    is being debugged hides it.
    """
    if current is None:
        return "none"
    if current == "reject" or context.authentication_ready is False:
        return current
    if current == "none" and context.microsoft365 and context.authentication_ready is not True:
        return "none"
    return POLICIES[POLICIES.index(current) + 1]


def _policy_change(current: str | None, nxt: str) -> str:
    if current is None:
        return "publish a record with p=none: monitoring first, nothing is blocked yet"
    return f"p={current} -> p={nxt}: the next rollout stage"


def _kept_tags(
    record: DmarcRecord | None, nxt: str, changes: list[str], context: AdviceContext
) -> list[tuple[str, str]]:
    """Carry the valid tags over, fix or drop the rest, add what is missing."""
    tags: list[tuple[str, str]] = []
    if record is not None:
        tags += _carried_policies(record, changes)
        tags += _carried_testing(record, nxt, changes)
    tags += _reporting(record, changes, context)
    if record is not None:
        _note_dropped(record, changes)
    return tags


def _carried_policies(record: DmarcRecord, changes: list[str]) -> list[tuple[str, str]]:
    tags: list[tuple[str, str]] = []
    for tag in ("sp", "np", "adkim", "aspf", "psd"):
        value = record.value(tag)
        if value is None:
            continue
        if tag == "psd" and record.psd == "y":
            changes.append("dropped psd=y: only public suffix operators (registries) publish it")
        elif _valid(record, tag):
            tags.append((tag, str(getattr(record, tag))))
        else:
            changes.append(f"dropped {tag}={value}: not a valid value, receivers ignore it")
    return tags


def _valid(record: DmarcRecord, tag: str) -> bool:
    return not any(p.tag == tag and p.severity is Severity.ERROR for p in record.problems)


def _carried_testing(record: DmarcRecord, nxt: str, changes: list[str]) -> list[tuple[str, str]]:
    if record.t != "y":
        return []
    if record.policy == nxt:
        return [("t", "y")]
    changes.append("dropped t=y: testing mode asks receivers to apply a weaker policy")
    return []


def _reporting(
    record: DmarcRecord | None, changes: list[str], context: AdviceContext
) -> list[tuple[str, str]]:
    """``rua`` (added when missing), ``ruf``, and ``fo`` only when ``ruf`` is there."""
    rua = _authorized_uris(record.rua if record else (), changes, context)
    ruf = _authorized_uris(record.ruf if record else (), changes, context)
    if not rua:
        rua = [f"mailto:{context.report_address or 'dmarc-reports@' + context.domain}"]
        changes.append(
            f"added rua={rua[0]}: without aggregate reports you cannot see which sources fail "
            "DMARC (use an address that exists, or a report processor's, authorized per RFC 9990)"
        )
    tags = [("rua", ",".join(rua))]
    if ruf:
        tags.append(("ruf", ",".join(ruf)))
        if record is not None and record.has("fo") and _valid(record, "fo"):
            tags.append(("fo", ":".join(record.fo)))
    elif record is not None and record.has("fo"):
        changes.append(fo_without_ruf_text(record))
    return tags


def _authorized_uris(
    uris: tuple[ReportUri, ...], changes: list[str], context: AdviceContext
) -> list[str]:
    kept = []
    for uri in uris:
        if uri.domain and uri.domain in context.unauthorized:
            changes.append(
                f"dropped {uri.uri}: {uri.domain} has not authorized reports for "
                f"{context.domain} (RFC 9990 §4), so receivers will not send there"
            )
        else:
            kept.append(uri.uri)
    return kept


def fo_without_ruf_text(record: DmarcRecord) -> str:
    """Why ``fo=`` without ``ruf=`` does nothing, and the two ways out."""
    return (
        f"dropped fo={record.value('fo')}: fo= only selects when failure reports are sent, and "
        "there is no ruf= to send them to, so it does nothing. Either drop it (done here) or "
        "add ruf=mailto:<address> (few receivers send failure reports)."
    )


def _note_dropped(record: DmarcRecord, changes: list[str]) -> None:
    for tag in REMOVED_TAGS:
        if record.has(tag):
            note = f"dropped {tag}={record.value(tag)}: removed by RFC 9989"
            if tag == "pct" and record.pct is not None and record.pct < 100:
                note += f" (RFC 7489 receivers applied the policy to {record.pct}% only)"
            changes.append(note)
    known = {"v", "p", "sp", "np", "adkim", "aspf", "t", "psd", "rua", "ruf", "fo", *REMOVED_TAGS}
    for name, value in record.tags:
        if name not in known:
            changes.append(f"dropped {name}={value}: not a DMARC tag")


def _rollout(nxt: str) -> tuple[str, ...]:
    lines = []
    for number, (policy, text) in enumerate(ROLLOUT, start=1):
        marker = " <- next" if policy == nxt else ""
        lines.append(f"{number}. {text}{marker}")
    return tuple(lines)


def _warnings(current: str | None, nxt: str, context: AdviceContext) -> tuple[str, ...]:
    warnings: list[str] = []
    if "quarantine" in (current, nxt):
        warnings.append(SILENT_QUARANTINE)
    if context.authentication_ready is False:
        warnings.append(
            "Authentication is not ready (see the DKIM and MAIL FROM findings): do not "
            "strengthen the policy until every legitimate source passes aligned DKIM or SPF."
        )
    elif current == "none" and nxt == "none" and context.microsoft365:
        warnings.append(
            "Mail goes to Microsoft 365: stay at p=none until the reports show every source "
            "aligned; p=quarantine there would hide failures (no bounce)."
        )
    return tuple(warnings)


def advice_finding(
    advice: Advice, *, context: AdviceContext, evidence: tuple[Evidence, ...] = ()
) -> Finding:
    """The ``dns.dmarc.recommendation`` finding.

    A record that is already the one to have is a pass (nothing to publish again); one
    that is right for now but carries a caveat is a warning without a "publish" fix;
    only a record that should change asks for the new one to be published.
    """
    detail = [*(f"change: {c}" for c in advice.changes), "rollout:", *advice.rollout]
    detail += [f"warning: {w}" for w in advice.warnings]
    if advice.unchanged:
        status = Status.WARN if advice.warnings else Status.PASS
        summary = f'the DMARC record at {advice.name} is the one to have now: "{advice.record}"'
        fix = ""
    else:
        status = Status.WARN
        summary = f'publish at {advice.name}: "{advice.record}"'
        fix = f'publish TXT "{advice.record}" at {advice.name}'
    return Finding(
        check="dns.dmarc.recommendation",
        layer=Layer.DNS,
        status=status,
        subject=advice.name,
        summary=summary,
        detail="\n".join(detail),
        evidence=evidence,
        reference=REF_ADVICE,
        fix=fix,
        data={
            "record": advice.record,
            "name": advice.name,
            "current": advice.current,
            "next_policy": advice.next_policy,
            "changes": list(advice.changes),
            "warnings": list(advice.warnings),
            "microsoft365": context.microsoft365,
        },
    )
