"""The Python API: the commands' work as functions, synchronous and asynchronous.

``import maildoctor`` gives these names (each loads its layer on first use)::

    report = maildoctor.diagnose("admin@example.com", recipients=["user@example.org"])
    report = maildoctor.check_domain("example.com")
    records = maildoctor.classify_bounces("bounces/")
    report = maildoctor.probe_relay("smtp.example.com", port=587)

Each returns the same frozen :class:`~maildoctor.model.Report` (or, for bounces,
:class:`~maildoctor.bounce.model.DeliveryStatus` records) the CLI prints. The ``a``-prefixed
twins (``adiagnose``, ``acheck_domain``, ``aclassify_bounces``, ``aprobe_relay``) are
coroutines for code that already runs an event loop; the plain names run one of their own
and refuse to run inside one (call the twin there). Nothing here prints.

Network settings shared by the functions that speak to the network:

* ``nameservers``: DNS servers to ask (``"192.0.2.53"``, ``"127.0.0.1:5353"``); default the
  system's (then host names the caller typed, such as a relay, resolve as in other tools:
  the hosts file, then ``getaddrinfo``).
* ``timeout``: seconds for each network step; ``retries``: extra DNS rounds after a timeout.
* ``ca_file``: an extra PEM CA bundle to trust; ``verify``: False to carry on past
  certificate problems (they are still reported).
"""

from __future__ import annotations

import asyncio
import sys
import time
import types
from collections.abc import Coroutine, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import InputError

if TYPE_CHECKING:
    from .bounce.model import DeliveryStatus
    from .context import Context
    from .diagnose import DiagnoseRequest
    from .model import Report
    from .secrets import Secret

__all__ = [
    "DiagnoseModule",
    "acheck_domain",
    "aclassify_bounces",
    "adiagnose",
    "aprobe_relay",
    "check_domain",
    "classify_bounces",
    "diagnose",
    "diagnose_module",
    "probe_relay",
]

T = TypeVar("T")


def _run(coro: Coroutine[Any, Any, T], twin: str) -> T:
    """Run ``coro`` on a loop of its own; inside a running loop, say to await the twin."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    coro.close()
    raise RuntimeError(
        f"maildoctor: an event loop is already running here; use `await maildoctor.{twin}(...)`"
    )


def make_context(
    nameservers: Sequence[str] | None = None,
    *,
    timeout: float = 5.0,
    retries: int = 1,
    ca_file: str | None = None,
    verify: bool = True,
) -> Context:
    """The run's :class:`~maildoctor.context.Context` from plain settings.

    Args:
        nameservers: ``IP``, ``IP:PORT``, ``[IPv6]:PORT`` or a host name each; None for
            the system's.
        timeout: Seconds for each network step.
        retries: Extra DNS rounds after a timeout.
        ca_file: An extra PEM CA bundle to trust for TLS.
        verify: False to carry on past certificate problems (still reported).

    Returns:
        A context; host names the caller typed use the system resolver when
        ``nameservers`` is None.

    Raises:
        InputError: for a nameserver that cannot be parsed or resolved.
    """
    from .context import Context
    from .dns.nameserver import parse_nameserver
    from .dns.resolver import DnsResolver

    try:
        servers = [parse_nameserver(n) for n in nameservers] if nameservers else None
    except ValueError as exc:
        raise InputError(str(exc)) from None
    resolver = DnsResolver(servers, timeout=timeout, retries=retries)
    return Context(
        resolver=resolver,
        timeout=timeout,
        ca_file=ca_file,
        verify_tls=verify,
        system_hosts=servers is None,
    )


def _secret(value: str | Secret | None) -> Secret | None:
    from .secrets import Secret

    if value is None or isinstance(value, Secret):
        return value
    return Secret(value) if value else None


def _request(sender: str | DiagnoseRequest, evidence: dict[str, Any]) -> DiagnoseRequest:
    from .diagnose import DiagnoseRequest, parse_relay

    if isinstance(sender, DiagnoseRequest):
        if evidence:
            raise TypeError("give a DiagnoseRequest or keyword evidence, not both")
        return sender
    fields = dict(evidence)
    for name in ("recipients", "selectors", "scan_regions"):
        if isinstance(fields.get(name), str):
            fields[name] = (fields[name],)
        if fields.get(name) is not None:
            fields[name] = tuple(fields[name])
    for name in ("bounces", "logs"):
        value = fields.get(name)
        if value is not None:
            fields[name] = tuple(Path(p) for p in ([value] if isinstance(value, str) else value))
    if fields.get("headers") is not None:
        fields["headers"] = Path(fields["headers"])
    if isinstance(fields.get("relay"), str):
        fields["relay"] = parse_relay(fields["relay"])
    for name in ("relay_password", "relay_secret"):
        if name in fields:
            fields[name] = _secret(fields[name])
    if "skip" in fields:
        fields["skip"] = frozenset(fields["skip"])
    try:
        return DiagnoseRequest(sender=sender, **fields)
    except TypeError as exc:
        raise TypeError(f"maildoctor.diagnose: {exc}") from None


async def adiagnose(
    sender: str | DiagnoseRequest,
    *,
    nameservers: Sequence[str] | None = None,
    timeout: float = 5.0,
    retries: int = 1,
    ca_file: str | None = None,
    verify: bool = True,
    **evidence: Any,
) -> Report:
    """Diagnose why mail from ``sender`` is not delivered (the coroutine of :func:`diagnose`).

    Args:
        sender: The From address, or a complete :class:`~maildoctor.diagnose.DiagnoseRequest`.
        nameservers: DNS servers to ask; None for the system's.
        timeout: Seconds for each network step.
        retries: Extra DNS rounds after a timeout.
        ca_file: An extra PEM CA bundle to trust (private relays).
        verify: False to carry on past certificate problems (still reported).
        **evidence: Any field of ``DiagnoseRequest``: ``recipients``, ``bounces`` (paths),
            ``headers`` (a path), ``logs`` (paths), ``relay`` (``"HOST[:PORT]"``),
            ``relay_user``, ``relay_password`` (str or Secret), ``provider``, ``region``,
            ``profile``, ``sending_ip``, ``selectors``, ``mail_from``, ``probe_mx``...

    Returns:
        The report: every layer's findings and the independent root causes.

    Raises:
        InputError: for unusable evidence (a bad address, relay or nameserver).
    """
    from .diagnose import diagnose as run_diagnosis

    request = _request(sender, evidence)
    ctx = make_context(
        nameservers, timeout=timeout, retries=retries, ca_file=ca_file, verify=verify
    )
    return await run_diagnosis(request, ctx=ctx)


def diagnose(sender: str | DiagnoseRequest, **options: Any) -> Report:
    """Diagnose why mail from ``sender`` is not delivered: every layer the evidence allows.

    Args:
        sender: The From address, or a complete :class:`~maildoctor.diagnose.DiagnoseRequest`.
        **options: The network settings and evidence of :func:`adiagnose`.

    Returns:
        The report: every layer's findings and the independent root causes.

    Raises:
        InputError: for unusable evidence (a bad address, relay or nameserver).
        RuntimeError: when called inside a running event loop (await :func:`adiagnose`).
    """
    return _run(adiagnose(sender, **options), "adiagnose")


async def acheck_domain(
    domain: str,
    *,
    ip: str | None = None,
    mail_from: str | None = None,
    selectors: Iterable[str] = (),
    nameservers: Sequence[str] | None = None,
    timeout: float = 5.0,
    retries: int = 1,
) -> Report:
    """Check a sending domain's DNS (the coroutine of :func:`check_domain`).

    Args:
        domain: The From domain.
        ip: A sending IP: its PTR, forward confirmation and SPF verdict.
        mail_from: The MAIL FROM domain, if it differs.
        selectors: DKIM selectors to check.
        nameservers: DNS servers to ask; None for the system's.
        timeout: Seconds for each DNS exchange.
        retries: Extra rounds after a timeout.

    Returns:
        The ``dns`` report: SPF, DMARC, DKIM, MX, MAIL FROM and PTR findings.

    Raises:
        InputError: for a malformed domain, IP or selector.
    """
    from .dns.check import check_domain as run_check

    ctx = make_context(nameservers, timeout=timeout, retries=retries)
    return await run_check(domain, ctx=ctx, ip=ip, mail_from=mail_from, selectors=tuple(selectors))


def check_domain(domain: str, **options: Any) -> Report:
    """Check a sending domain's DNS: SPF, DMARC, DKIM keys, MX, MAIL FROM, PTR.

    Args:
        domain: The From domain.
        **options: ``ip``, ``mail_from``, ``selectors`` and the network settings of
            :func:`acheck_domain`.

    Returns:
        The ``dns`` report, as ``maildoctor dns`` prints it.

    Raises:
        InputError: for a malformed domain, IP or selector.
        RuntimeError: when called inside a running event loop (await :func:`acheck_domain`).
    """
    return _run(acheck_domain(domain, **options), "acheck_domain")


def classify_bounces(*paths: str | Path) -> tuple[DeliveryStatus, ...]:
    """Classify bounces, DSNs, ARF reports and SES notifications.

    Args:
        *paths: Files (.eml, mbox, JSON), maildirs or directories.

    Returns:
        One frozen :class:`~maildoctor.bounce.model.DeliveryStatus` per bounced recipient,
        in input order: reason, codes, the remote server's words, layer and root cause.

    Raises:
        InputError: when a path cannot be read.
    """
    from .bounce.classify import classify_path

    return tuple(record for path in paths for record in classify_path(path))


async def aclassify_bounces(*paths: str | Path) -> tuple[DeliveryStatus, ...]:
    """:func:`classify_bounces` in a worker thread, for code running an event loop.

    Args:
        *paths: Files (.eml, mbox, JSON), maildirs or directories.

    Returns:
        The records, as :func:`classify_bounces` returns them.

    Raises:
        InputError: when a path cannot be read.
    """
    return await asyncio.to_thread(classify_bounces, *paths)


async def aprobe_relay(
    host: str,
    *,
    port: int | None = None,
    tls: str | None = None,
    user: str | None = None,
    password: str | Secret | None = None,
    mail_from: str | None = None,
    rcpt_to: Iterable[str] = (),
    client: str | None = None,
    nameservers: Sequence[str] | None = None,
    timeout: float = 5.0,
    retries: int = 1,
    ca_file: str | None = None,
    verify: bool = True,
) -> Report:
    """Probe an SMTP relay step by step (the coroutine of :func:`probe_relay`).

    Args:
        host: The relay's host name (resolved as in the caller's other tools) or address.
        port: TCP port; default 587 (465 for implicit TLS).
        tls: ``starttls``, ``implicit`` or ``none``; default implied by the port.
        user: SMTP username; AUTH is tested only with a username and a password.
        password: The SMTP password (str or Secret); never printed or reported.
        mail_from: Envelope sender for MAIL FROM (no envelope when None).
        rcpt_to: Envelope recipients for RCPT TO. No message is ever sent.
        client: A client preset whose constraints to check (``gmail-send-as``).
        nameservers: DNS servers to ask; None for the system's.
        timeout: Seconds for each network step.
        retries: Extra DNS rounds after a timeout.
        ca_file: An extra PEM CA bundle to trust (private relays).
        verify: False to carry on past certificate problems (still reported).

    Returns:
        The ``smtp`` report: one finding per step (resolve, connect, banner, EHLO,
        STARTTLS, certificate, AUTH, envelope).

    Raises:
        InputError: for a bad host, port, TLS mode, preset or address.
    """
    from .model import Report
    from .smtp.probe import probe_smtp

    ctx = make_context(
        nameservers, timeout=timeout, retries=retries, ca_file=ca_file, verify=verify
    )
    start = time.perf_counter()
    findings = await probe_smtp(
        host,
        port=port,
        tls=tls,
        user=user,
        password=_secret(password),
        mail_from=mail_from,
        rcpt_to=tuple(rcpt_to),
        client=client,
        ctx=ctx,
    )
    return Report(
        command="smtp",
        subject=host,
        findings=findings,
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta={"user": user},
    )


def probe_relay(host: str, **options: Any) -> Report:
    """Probe an SMTP relay: resolve, connect, banner, EHLO, STARTTLS, AUTH, envelope.

    Args:
        host: The relay's host name or address.
        **options: ``port``, ``tls``, ``user``, ``password``, ``mail_from``, ``rcpt_to``,
            ``client`` and the network settings of :func:`aprobe_relay`.

    Returns:
        The ``smtp`` report, as ``maildoctor smtp`` prints it.

    Raises:
        InputError: for a bad host, port, TLS mode, preset or address.
        RuntimeError: when called inside a running event loop (await :func:`aprobe_relay`).
    """
    return _run(aprobe_relay(host, **options), "aprobe_relay")


class DiagnoseModule(types.ModuleType):
    """The module ``maildoctor.diagnose``, callable as the function :func:`diagnose`.

    Importing a submodule sets it as an attribute of its package, so the module
    ``maildoctor.diagnose`` and a function of that name cannot both be
    ``maildoctor.diagnose``. The package hands out the module with this class
    (:func:`diagnose_module`): it keeps its names (``DiagnoseRequest``, the async
    ``diagnose``) and ``maildoctor.diagnose(...)`` runs a diagnosis.
    """

    def __call__(self, sender: str | DiagnoseRequest, **options: Any) -> Report:
        """Diagnose why mail from ``sender`` is not delivered (see :func:`diagnose`).

        Args:
            sender: The From address, or a complete ``DiagnoseRequest``.
            **options: The network settings and evidence of :func:`adiagnose`.

        Returns:
            The report: every layer's findings and the independent root causes.
        """
        return diagnose(sender, **options)


def diagnose_module() -> types.ModuleType:
    """The module ``maildoctor.diagnose``, made callable (see :class:`DiagnoseModule`).

    Returns:
        The module, whose call runs :func:`diagnose`.
    """
    import maildoctor.diagnose  # noqa: F401 - binds the package only: no attribute lookup

    module = sys.modules["maildoctor.diagnose"]
    if not isinstance(module, DiagnoseModule):
        module.__class__ = DiagnoseModule
    return module
