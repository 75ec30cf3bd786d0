"""``diagnose``: run every layer the evidence allows, at once, then correlate.

The only orchestrator (MODELS.md section 1). Each layer is reached through a small
:class:`LayerAdapter` whose ``run`` imports the layer's typed entry point directly (inside
the function: start-up matters) and returns a :class:`~maildoctor.model.LayerResult`.
Adapters run concurrently (``asyncio.gather``); an adapter that cannot run says why in
a ``skipped`` or ``error`` finding (``diagnose.<adapter>``) - a layer is never silently
left out. A bug inside one layer is reported as an internal error of that layer (exit
code 3 unless something failed), never as "skipped", and never takes the others down.
The findings then go to :func:`maildoctor.correlate.correlate`, which draws the
independent root causes.

Adding a layer is one change here: write ``async def _<name>(request, ctx) ->
LayerResult`` calling the layer's entry point, and add one :class:`LayerAdapter` row to
:data:`ADAPTERS` (docs/ARCHITECTURE.md).

Adapters (:data:`ADAPTERS`), with what lets them run:

==========  ==========  ==========================================================
name        layer       runs when
==========  ==========  ==========================================================
dns         dns         always: the sender's domain (SPF, DMARC, DKIM, MX, PTR, DKIM
                        selector discovery, DNSSEC, BIMI)
blocklist   dns         always: every sending IP the evidence names (``--sending-ip``,
                        Received, bounces, logs) and the sender's and link domains
recipient   transport   ``recipients`` given: the recipients' MX (and port 25)
relay       client      ``relay`` given: the SMTP relay dialogue up to AUTH
postfix     client      ``postfix`` given: main.cf/master.cf/password map, offline
ses         provider    ``provider="ses"`` or a relay ``email-smtp.<region>...``
account     provider    ``provider`` sendgrid or postmark, keys in the environment
bounce      recipient   ``bounces`` given
reports     recipient   ``reports`` given: DMARC aggregate/failure and SMTP TLS reports
headers     message     ``headers`` given
logs        message     ``logs`` given
==========  ==========  ==========================================================
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .context import Context
from .correlate import analyse
from .diagnose_request import DEFAULT_RELAY_PORT as DEFAULT_RELAY_PORT
from .diagnose_request import AdapterRun as AdapterRun
from .diagnose_request import (
    DiagnoseRequest,
    LayerAdapter,
    LayerUnavailable,
    Relay,
    evidence_regions,
    parse_relay,
)
from .errors import InputError
from .model import Finding, Layer, LayerResult, Report, Status
from .secrets import redact
from .workers import in_thread

if TYPE_CHECKING:
    from .bounce.model import DeliveryStatus
    from .provider.ses.facts import SesFacts
    from .reports.analyze import Digest

__all__ = [
    "ADAPTERS",
    "DiagnoseRequest",
    "LayerAdapter",
    "LayerUnavailable",
    "ProgressEvent",
    "Relay",
    "diagnose",
    "evidence_regions",
    "parse_relay",
    "with_postfix_relay",
]

log = logging.getLogger(__name__)


class ProgressState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressEvent:
    """What the progress display is told: an adapter started or ended."""

    adapter: str
    state: ProgressState
    findings: int = 0
    detail: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


async def diagnose(
    request: DiagnoseRequest,
    *,
    ctx: Context,
    adapters: Sequence[LayerAdapter] | None = None,
    progress: ProgressCallback | None = None,
) -> Report:
    """Diagnose why mail from ``request.sender`` is not delivered.

    Args:
        request: The evidence available.
        ctx: Resolver, timeouts, TLS trust settings for every layer.
        adapters: The layers to run (default :data:`ADAPTERS`); tests inject fakes.
        progress: Called as each adapter starts and ends (for a progress display).

    Returns:
        A report with every layer's findings (including why a layer did not run), the
        root causes drawn from them, and per-layer metadata.

    Raises:
        InputError: if the request is unusable (raised when it is built).
    """
    chosen = ADAPTERS if adapters is None else tuple(adapters)
    start = time.perf_counter()
    runs = await asyncio.gather(*(_run(a, request, ctx, progress) for a in chosen))
    findings = tuple(f for run in runs for f in run.findings)
    findings += _nothing_checked(runs, request)
    findings += await _mail_from_spf(findings, request, ctx)
    drawn = analyse(
        findings,
        sender_domain=request.sender_domain,
        relay_host=request.relay.host if request.relay else "",
    )
    return Report(
        command="diagnose",
        subject=_subject(request),
        findings=findings,
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta={"request": request.describe(), "layers": {r.name: r.meta() for r in runs}},
        causes=drawn.causes,
        defects=drawn.defects,
        correlated=True,
    )


def with_postfix_relay(request: DiagnoseRequest) -> DiagnoseRequest:
    """The request with the relay and login its Postfix holds (``postfix`` given, no relay).

    Raises:
        InputError: when the configuration cannot be read.
    """
    from .postfix import relay_login

    found = relay_login(request.postfix) if request.postfix and not request.relay else None
    if found is None:
        return request
    host, port, user, password = found
    if password is None:  # no entry for the relay: keep the login that was given
        return replace(request, relay=Relay(host=host, port=port))
    relay = Relay(host=host, port=port)
    return replace(request, relay=relay, relay_user=user, relay_password=password)


def _subject(request: DiagnoseRequest) -> str:
    if not request.recipients:
        return request.sender
    return f"{request.sender} -> {', '.join(request.recipients)}"


@dataclass(frozen=True, slots=True, kw_only=True)
class _Run:
    name: str
    layer: Layer
    state: ProgressState
    findings: tuple[Finding, ...]
    elapsed_ms: float
    reason: str = ""

    def meta(self) -> dict[str, Any]:
        return {
            "layer": str(self.layer),
            "state": str(self.state),
            "findings": len(self.findings),
            "elapsed_ms": round(self.elapsed_ms, 1),
            "reason": self.reason,
        }


async def _run(
    adapter: LayerAdapter,
    request: DiagnoseRequest,
    ctx: Context,
    progress: ProgressCallback | None,
) -> _Run:
    start = time.perf_counter()
    reason = _skip_reason(adapter, request)
    if reason:
        result = _not_run(adapter, request, Status.SKIPPED, reason, start)
    else:
        _notify(progress, ProgressEvent(adapter=adapter.name, state=ProgressState.RUNNING))
        result = await _guarded(adapter, request, ctx, start)
    _notify(
        progress,
        ProgressEvent(
            adapter=adapter.name,
            state=result.state,
            findings=len(result.findings),
            detail=result.reason,
        ),
    )
    return result


def _skip_reason(adapter: LayerAdapter, request: DiagnoseRequest) -> str | None:
    if adapter.name in request.skip:
        return f"skipped on request (--skip {adapter.name})"
    return adapter.needs(request)


async def _guarded(
    adapter: LayerAdapter, request: DiagnoseRequest, ctx: Context, start: float
) -> _Run:
    """Run one adapter; whatever goes wrong becomes a finding, never an exception."""
    limit = request.layer_timeout or max(12 * ctx.timeout, 10.0)
    try:
        result = await asyncio.wait_for(_load_and_run(adapter, request, ctx), timeout=limit)
    except LayerUnavailable as exc:
        return _not_run(adapter, request, exc.status, exc.reason, start)
    except TimeoutError:
        reason = f"{adapter.name} did not finish within {limit:g} s"
        return _not_run(adapter, request, Status.ERROR, reason, start)
    except InputError as exc:
        return _not_run(adapter, request, Status.ERROR, _clean(str(exc), request), start)
    except Exception as exc:  # noqa: BLE001 - the orchestrator's boundary: reported, not hidden
        return _internal_error(adapter, request, exc, start)
    tagged = tuple(_tag(f, adapter.name) for f in result.findings)
    return _Run(
        name=adapter.name,
        layer=adapter.layer,
        state=ProgressState.DONE,
        findings=tagged,
        elapsed_ms=(time.perf_counter() - start) * 1000,
    )


def _internal_error(
    adapter: LayerAdapter, request: DiagnoseRequest, exc: Exception, start: float
) -> _Run:
    """A bug in a layer: an error finding that names the layer and the exception.

    Checks never raise for a broken domain, server or credential, so anything that
    escapes a layer is maildoctor's own fault; it is logged with its traceback and the
    report is incomplete (exit code 3) - it is never shown as "skipped".
    """
    log.error("internal error in the %s layer", adapter.name, exc_info=exc)
    reason = _clean(f"internal error (a maildoctor bug): {type(exc).__name__}: {exc}", request)
    run = _not_run(adapter, request, Status.ERROR, reason, start)
    (finding,) = run.findings
    data = {**finding.data, "internal_error": True, "exception": type(exc).__name__}
    return replace(run, findings=(replace(finding, data=data),))


async def _load_and_run(
    adapter: LayerAdapter, request: DiagnoseRequest, ctx: Context
) -> LayerResult[Any]:
    """Import the layer (in a worker: a slow import must not stall the others), then run
    it; both count against the layer's deadline."""
    await in_thread(adapter.preload)
    return await adapter.run(request, ctx)


def _clean(text: str, request: DiagnoseRequest) -> str:
    """Exception text, without any secret the request holds, on one short line."""
    text = redact(text, request.relay_password, request.relay_secret)
    return " ".join(text.split())[:300]


def _tag(finding: Finding, origin: str) -> Finding:
    """Record which adapter produced a finding (correlate counts independent sources)."""
    if finding.data.get("origin"):
        return finding
    return replace(finding, data={**finding.data, "origin": origin})


def _not_run(
    adapter: LayerAdapter, request: DiagnoseRequest, status: Status, reason: str, start: float
) -> _Run:
    state = ProgressState.SKIPPED if status == Status.SKIPPED else ProgressState.ERROR
    verb = "not checked" if status == Status.SKIPPED else "could not be checked"
    finding = Finding(
        check=f"diagnose.{adapter.name}",
        layer=adapter.layer,
        status=status,
        subject=_subject(request),
        summary=f"{adapter.name} layer {verb}: {reason}",
        data={"origin": adapter.name, "reason": reason},
    )
    return _Run(
        name=adapter.name,
        layer=adapter.layer,
        state=state,
        findings=(finding,),
        elapsed_ms=(time.perf_counter() - start) * 1000,
        reason=reason,
    )


def _nothing_checked(runs: Sequence[_Run], request: DiagnoseRequest) -> tuple[Finding, ...]:
    """If no layer ran at all, say so as an error: an empty diagnosis is not a clean one."""
    if any(r.state == ProgressState.DONE for r in runs):
        return ()
    return (
        Finding(
            check="diagnose.nothing_checked",
            layer=Layer.DNS,
            status=Status.ERROR,
            subject=_subject(request),
            summary="no layer could be checked, so nothing can be said about delivery",
            data={"origin": "diagnose"},
        ),
    )


def _notify(progress: ProgressCallback | None, event: ProgressEvent) -> None:
    if progress is None:
        return
    try:
        progress(event)
    except Exception:  # noqa: BLE001 - a display problem must not stop a diagnosis
        log.debug("progress callback failed", exc_info=True)


# -- adapters ---------------------------------------------------------------------------
# Each adapter imports its layer's entry point directly, inside the function so that
# `maildoctor diagnose` starts without loading every layer; ``preload`` makes the same
# imports in a worker thread while the other layers already run.


def _preload_dns() -> None:
    from .dns import check, extras, mx  # noqa: F401


async def _dns(request: DiagnoseRequest, ctx: Context) -> LayerResult[None]:
    from .dns.check import check_dns

    core = await check_dns(
        request.sender_domain,
        ctx=ctx,
        ip=request.sending_ip,
        mail_from=request.mail_from,
        selectors=request.selectors,
        microsoft365=await _recipients_on_microsoft365(request, ctx),
        helo=request.helo,
    )
    return replace(core, findings=core.findings + await _dns_extras(request, ctx))


async def _dns_extras(request: DiagnoseRequest, ctx: Context) -> tuple[Finding, ...]:
    """DKIM selector discovery (with the message's signatures), DNSSEC and BIMI."""
    from .dns.extras import Extras, check_extras

    message = await in_thread(_message_bytes, request.headers)
    extras = Extras(discover=True, dnssec=True, bimi=True)
    return await check_extras(
        request.sender_domain, extras, ctx=ctx, selectors=request.selectors, message=message
    )


def _message_bytes(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            return fh.read(10 * 1024 * 1024)
    except OSError:
        return None  # the headers layer reports an unreadable file


def _preload_blocklist() -> None:
    from .dns import blocklist, blocklist_sources  # noqa: F401

    _preload_logs()  # what reading the evidence imports: never inside a worker that may
    _preload_bounce()  # be abandoned at the deadline while it holds an import lock


async def _blocklist(request: DiagnoseRequest, ctx: Context) -> LayerResult[None]:
    from .dns.blocklist_sources import check_evidence_blocklists

    found = await check_evidence_blocklists(
        ctx=ctx,
        sending_ip=request.sending_ip,
        sender_domain=request.sender_domain,
        headers=request.headers,
        bounces=request.bounces,
        logs=request.logs,
        zones=request.dnsbl,
    )
    return LayerResult(findings=found)


async def _recipients_on_microsoft365(request: DiagnoseRequest, ctx: Context) -> bool | None:
    """True when a recipient's MX is Exchange Online: the DMARC advice must then hold
    ``p=none`` until alignment is proven, since ``p=quarantine`` is silent there.

    ``None`` (let the DNS layer guess from the sender's own MX) when no recipient is.
    """
    from .dns.check import MICROSOFT365_MX_SUFFIX
    from .dns.mx import mx_hosts

    results = await asyncio.gather(*(mx_hosts(d, ctx=ctx) for d in request.recipient_domains))
    hit = any(h.exchange.endswith(MICROSOFT365_MX_SUFFIX) for r in results for h in r.hosts)
    return True if hit else None


def _preload_recipient() -> None:
    from .dns import mx  # noqa: F401
    from .smtp import mx_probe  # noqa: F401


async def _recipient(request: DiagnoseRequest, ctx: Context) -> LayerResult[None]:
    results = await asyncio.gather(
        *(_recipient_domain(d, request, ctx) for d in request.recipient_domains)
    )
    return LayerResult(findings=tuple(f for found in results for f in found))


async def _recipient_domain(
    domain: str, request: DiagnoseRequest, ctx: Context
) -> tuple[Finding, ...]:
    if request.probe_mx:
        from .smtp.mx_probe import check_mx as probe_mx

        return await probe_mx(domain, port=request.mx_port, ctx=ctx)
    from .dns.mx import check_mx

    return await check_mx(domain, ctx=ctx, role="recipient")


def _preload_relay() -> None:
    from .smtp import probe  # noqa: F401


async def _relay(request: DiagnoseRequest, ctx: Context) -> LayerResult[None]:
    from .smtp.probe import probe_smtp

    assert request.relay is not None  # guaranteed by needs
    found = await probe_smtp(
        request.relay.host,
        port=request.relay.port,
        user=request.relay_user,
        password=request.relay_password,
        secret=request.relay_secret,
        mail_from=request.sender,
        rcpt_to=request.recipients,
        client=request.client,
        provider=request.provider,
        ctx=ctx,
    )
    return LayerResult(findings=found)


def _preload_ses() -> None:
    from .provider import aws  # noqa: F401
    from .provider.ses import driver  # noqa: F401


async def _ses(request: DiagnoseRequest, ctx: Context) -> LayerResult[SesFacts]:
    from .provider.aws import credentials_problem, default_region
    from .provider.ses.driver import check_ses

    status = Status.ERROR if request.provider else Status.SKIPPED
    if not (request.endpoint_url or ctx.aws_endpoint_url or ctx.aws_client_factory):
        problem = await in_thread(credentials_problem, request.profile)
        if problem:
            raise LayerUnavailable(problem, status=status)
    named = await asyncio.to_thread(evidence_regions, request)
    region = request.effective_region or next(iter(named), None) or default_region(request.profile)
    if not region:
        raise LayerUnavailable("no AWS region: give --region or set AWS_REGION", status=status)
    result = await check_ses(
        ctx=ctx,
        region=region,
        profile=request.profile,
        sender=request.sender,
        recipients=request.recipients,
        smtp_user=request.relay_user,
        endpoint_url=request.endpoint_url,
        smtp_endpoint=request.relay.host if request.relay else None,
        scan_regions=request.scan_regions,
    )
    others = [r for r in named if r != region][:MAX_EVIDENCE_REGIONS]
    extra = await asyncio.gather(*(_suppression_in(r, request, ctx) for r in others))
    found = tuple(_in_region(f, region) for f in result.findings)
    return LayerResult(
        findings=found + tuple(f for found_in in extra for f in found_in), facts=result.facts
    )


def _in_region(finding: Finding, region: str) -> Finding:
    """Record the region of a per-region check (correlate compares like with like)."""
    if finding.check != "provider.ses.suppression" or finding.data.get("region"):
        return finding
    return replace(finding, data={**finding.data, "region": region})


#: Other regions named by the evidence whose suppression lists are looked at, at most.
MAX_EVIDENCE_REGIONS = 2


async def _suppression_in(
    region: str, request: DiagnoseRequest, ctx: Context
) -> tuple[Finding, ...]:
    """The suppression list of another region the evidence names (it is per region: an SES
    notification from us-west-2 is about us-west-2's list, whatever region is configured)."""
    from .provider.ses.driver import check_ses

    if not request.recipients:
        return ()
    found = await check_ses(
        ctx=ctx,
        region=region,
        profile=request.profile,
        sender=request.sender,
        recipients=request.recipients,
        endpoint_url=request.endpoint_url,
        scan_regions=(region,),
    )
    return tuple(
        _in_region(f, region) for f in found.findings if f.check == "provider.ses.suppression"
    )


def _preload_account() -> None:
    from .provider import accounts  # noqa: F401


def _preload_postfix() -> None:
    from . import postfix  # noqa: F401


async def _account(request: DiagnoseRequest, ctx: Context) -> LayerResult[None]:
    from .provider.accounts import check_from_environment, missing_keys

    service = request.effective_provider
    found = await check_from_environment(service, request.sender, request.recipients, ctx.timeout)
    if found is None:
        raise LayerUnavailable(missing_keys(service))
    return LayerResult(findings=found)


async def _postfix(request: DiagnoseRequest, ctx: Context) -> LayerResult[None]:
    from .postfix import check_directory

    assert request.postfix is not None  # guaranteed by needs
    found = await asyncio.to_thread(check_directory, request.postfix, request.relay_secret)
    return LayerResult(findings=found)


def _preload_bounce() -> None:
    from . import bounce  # noqa: F401


async def _bounce(request: DiagnoseRequest, ctx: Context) -> LayerResult[None]:
    from .bounce import classify_path, to_findings
    from .bounce.sender import other_sender_finding, sender_test

    records: list[DeliveryStatus] = []
    for path in request.bounces:
        records += await in_thread(_all, classify_path, _readable(path))
    if not records:
        raise LayerUnavailable("the bounce files hold no bounced recipient", status=Status.ERROR)
    domains = (request.sender_domain, (request.mail_from or "").rpartition("@")[2])
    about_us = await in_thread(sender_test, domains)  # loads the PSL once
    ours: list[DeliveryStatus] = []
    others: list[Finding] = []
    for n, record in enumerate(records):
        if about_us(record.sender):
            ours.append(record)
        else:
            others.append(other_sender_finding(record, n, request.sender))
    return LayerResult(findings=to_findings(ours) + tuple(others))


def _preload_reports() -> None:
    from .reports import check  # noqa: F401


async def _reports(request: DiagnoseRequest, ctx: Context) -> LayerResult[Digest]:
    from .reports.check import check_reports

    paths = [_readable(path) for path in request.reports]
    result = await check_reports(paths, sender_domain=request.sender_domain, ctx=ctx)
    if result.facts is not None and result.facts.nothing_read:
        raise LayerUnavailable(result.facts.nothing_read, status=Status.ERROR)
    return result


def _preload_headers() -> None:
    from .message import check  # noqa: F401


async def _headers(request: DiagnoseRequest, ctx: Context) -> LayerResult[None]:
    from .message.check import check_headers

    assert request.headers is not None  # guaranteed by needs
    raw = _readable(request.headers).read_bytes()
    return LayerResult(findings=await check_headers(raw, ctx=ctx))


def _preload_logs() -> None:
    from .bounce import reasons  # noqa: F401  (analyze imports it on first use)
    from .logs import analyze  # noqa: F401
    from .message import received  # noqa: F401


async def _logs(request: DiagnoseRequest, ctx: Context) -> LayerResult[None]:
    from .logs.analyze import analyze_logs, log_findings

    for path in request.logs:
        _readable(path)
    summary = await in_thread(analyze_logs, list(request.logs))
    return LayerResult(findings=log_findings(summary))


def _all(function: Callable[[Path], Iterable[DeliveryStatus]], path: Path) -> list[DeliveryStatus]:
    return list(function(path))


def _readable(path: Path) -> Path:
    if not path.exists():
        raise LayerUnavailable(f"{path} does not exist", status=Status.ERROR)
    return path


def _needs_recipients(request: DiagnoseRequest) -> str | None:
    return None if request.recipients else "no --to address given"


def _needs_relay(request: DiagnoseRequest) -> str | None:
    return None if request.relay else "no --relay given"


def _needs_provider(request: DiagnoseRequest) -> str | None:
    if request.effective_provider is None:
        return "no --provider given and the relay is not an SES endpoint"
    if request.effective_provider != "ses":
        return f"the SES account layer does not apply to {request.effective_provider}"
    return None


def _needs_postfix(request: DiagnoseRequest) -> str | None:
    return None if request.postfix else "no --postfix given"


def _needs_account(request: DiagnoseRequest) -> str | None:
    ok = request.effective_provider in ("sendgrid", "postmark")
    return None if ok else "the service account layer checks SendGrid or Postmark (--provider)"


def _needs_bounces(request: DiagnoseRequest) -> str | None:
    return None if request.bounces else "no --bounce given"


def _needs_reports(request: DiagnoseRequest) -> str | None:
    return None if request.reports else "no --reports given"


def _needs_headers(request: DiagnoseRequest) -> str | None:
    return None if request.headers else "no --headers given"


def _needs_logs(request: DiagnoseRequest) -> str | None:
    return None if request.logs else "no --log given"


#: The default layers, in report order. Adding a layer: one row here (and its ``_<name>``).
ADAPTERS: tuple[LayerAdapter, ...] = (
    LayerAdapter(
        name="relay",
        layer=Layer.CLIENT,
        run=_relay,
        needs=_needs_relay,
        preload=_preload_relay,
    ),
    LayerAdapter(
        name="postfix",
        layer=Layer.CLIENT,
        run=_postfix,
        needs=_needs_postfix,
        preload=_preload_postfix,
    ),
    LayerAdapter(
        name="ses",
        layer=Layer.PROVIDER,
        run=_ses,
        needs=_needs_provider,
        preload=_preload_ses,
    ),
    LayerAdapter(
        name="account",
        layer=Layer.PROVIDER,
        run=_account,
        needs=_needs_account,
        preload=_preload_account,
    ),
    LayerAdapter(name="dns", layer=Layer.DNS, run=_dns, preload=_preload_dns),
    LayerAdapter(
        name="blocklist",
        layer=Layer.DNS,
        run=_blocklist,
        preload=_preload_blocklist,
    ),
    LayerAdapter(
        name="recipient",
        layer=Layer.TRANSPORT,
        run=_recipient,
        needs=_needs_recipients,
        preload=_preload_recipient,
    ),
    LayerAdapter(
        name="bounce",
        layer=Layer.RECIPIENT,
        run=_bounce,
        needs=_needs_bounces,
        preload=_preload_bounce,
    ),
    LayerAdapter(
        name="reports",
        layer=Layer.RECIPIENT,
        run=_reports,
        needs=_needs_reports,
        preload=_preload_reports,
    ),
    LayerAdapter(
        name="headers",
        layer=Layer.MESSAGE,
        run=_headers,
        needs=_needs_headers,
        preload=_preload_headers,
    ),
    LayerAdapter(
        name="logs",
        layer=Layer.MESSAGE,
        run=_logs,
        needs=_needs_logs,
        preload=_preload_logs,
    ),
)


# -- what one layer's findings tell another ---------------------------------------------------


async def _mail_from_spf(
    findings: Sequence[Finding], request: DiagnoseRequest, ctx: Context
) -> tuple[Finding, ...]:
    """Evaluate the custom MAIL FROM's SPF record that the SES account names.

    The DNS layer evaluates ``--mail-from`` when given; otherwise the MAIL FROM domain is
    known only once SES has answered, and its record - the one SES mail is checked
    against - must still be evaluated (a record containing ``include:amazonses.com`` can
    be a permerror).
    """
    domains = {
        str(f.data["mail_from_domain"])
        for f in findings
        if f.check == "provider.ses.mail_from" and f.data.get("mail_from_domain")
    }
    done = {f.subject for f in findings if f.check == "dns.mailfrom.spf"}
    todo = sorted(domains - done)
    if not todo:
        return ()
    from .dns.mailfrom import check_mail_from

    try:
        ips = (request.sending_ip,) if request.sending_ip else ()
        limit = request.layer_timeout or max(12 * ctx.timeout, 10.0)
        results = await asyncio.wait_for(
            asyncio.gather(
                *(check_mail_from(d, request.sender_domain, ctx=ctx, ips=ips) for d in todo)
            ),
            timeout=limit,
        )
    except Exception:  # noqa: BLE001 - the other layers' findings still stand
        log.debug("MAIL FROM evaluation failed", exc_info=True)
        return ()
    # The record and its alignment (aspf=s never aligns a subdomain); SES's own checks
    # already cover the MX.
    wanted = ("dns.mailfrom.spf", "dns.mailfrom.alignment")
    return tuple(_tag(f, "dns") for found in results for f in found if f.check in wanted)
