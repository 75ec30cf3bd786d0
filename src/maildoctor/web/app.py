"""The ASGI app behind ``maildoctor serve``: four pages over the library's own functions.

- **Diagnose** (``/diagnose``): the form becomes a ``DiagnoseRequest``; the run's
  progress streams to ``/jobs/ID/events`` (server-sent events) and the finished
  page shows the verdict, the causes and the HTML report, with downloads.
- **Explain** (``/explain``): a reply line, a pasted bounce, or a cause id.
- **Domain** (``/domain``): the ``dns`` check, with the DMARC record to publish next.
- **Headers** (``/headers``): hops and authentication verdicts of pasted headers.

Pages are rendered on the server by Jinja2 with autoescaping; the only script is
``/static/app.js`` (progress, copy button, file drop), allowed by a strict CSP. See
:mod:`maildoctor.web.security` for the token, CSRF and limits.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..context import Context
from ..dns.nameserver import Nameserver
from ..errors import InputError
from ..model import Report, Status
from ..secrets import Secret
from .forms import MAX_FILE, MAX_FILES, FormInput, build_request, echoed
from .jobs import Job, JobStore
from .security import CSRF_COOKIE, SecurityMiddleware, csrf_ok, new_csrf

__all__ = ["ServeSettings", "create_app"]

#: The report's own CSP (served inside a sandboxed frame of this origin).
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; "
    "frame-ancestors 'self'"
)
_REPORT_TYPES = {"html": "text/html", "json": "application/json", "md": "text/markdown"}


@dataclass(frozen=True, slots=True, kw_only=True)
class ServeSettings:
    """How the server's checks reach the world (the same knobs as the commands').

    Attributes:
        nameservers: DNS servers to ask; empty for the system's.
        timeout: Seconds per network step.
        retries: Extra DNS rounds after a timeout.
        ca_file: Extra CA bundle trusted for SMTP TLS (private relays, the demo).
        verify_tls: False to carry on past certificate problems.
        endpoint_url: AWS endpoint (moto in tests and the demo); credentials always
            come from this server's environment, never from the page.
        token: Required on every request when set (non-loopback binds).
        defaults: Values the Diagnose form starts with (the demo fills the incident's).
        default_password: Used when the password field is left empty (the demo's stored
            relay password, held here so the page never shows it).
        context_factory: Builds each check's Context instead (the demo's loopback world).
    """

    nameservers: tuple[Nameserver, ...] = ()
    timeout: float = 5.0
    retries: int = 1
    ca_file: str | None = None
    verify_tls: bool = True
    endpoint_url: str | None = None
    token: str | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    default_password: Secret | None = field(default=None, repr=False)
    context_factory: Callable[[], Context] | None = None

    def context(self) -> Context:
        """A fresh Context for one check (its own DNS cache)."""
        if self.context_factory is not None:
            return self.context_factory()
        from ..dns.resolver import DnsResolver

        resolver = DnsResolver(
            list(self.nameservers) or None, timeout=self.timeout, retries=self.retries
        )
        return Context(
            resolver=resolver,
            timeout=self.timeout,
            ca_file=self.ca_file,
            verify_tls=self.verify_tls,
        )


def _replace(ctx: Context, **changes: Any) -> Context:
    import dataclasses

    return dataclasses.replace(ctx, **changes)


Handler = Callable[[Request], Awaitable[Response]]


def create_app(settings: ServeSettings) -> Any:
    """The ASGI application (Starlette inside the security middleware)."""
    env = Environment(
        loader=PackageLoader("maildoctor.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    jobs = JobStore(settings.context)
    pages = _Pages(settings, env, jobs)
    static = StaticFiles(directory=str(Path(__file__).with_name("static")))
    routes = [
        Route("/", pages.index),
        Route("/diagnose", pages.diagnose_form, methods=["GET"]),
        Route("/diagnose", pages.diagnose_submit, methods=["POST"]),
        Route("/jobs/{job}", pages.job),
        Route("/jobs/{job}/events", pages.events),
        Route("/jobs/{job}/report.{fmt}", pages.download),
        Route("/explain", pages.explain, methods=["GET", "POST"]),
        Route("/domain", pages.domain, methods=["GET", "POST"]),
        Route("/headers", pages.headers, methods=["GET", "POST"]),
        Mount("/static", app=static),
    ]
    return SecurityMiddleware(Starlette(routes=routes), token=settings.token)


class _Pages:
    def __init__(self, settings: ServeSettings, env: Environment, jobs: JobStore) -> None:
        self.settings = settings
        self.env = env
        self.jobs = jobs

    # -- rendering ---------------------------------------------------------------------

    def render(
        self, request: Request, name: str, title: str, status: int = 200, **values: Any
    ) -> Response:
        csrf = request.cookies.get(CSRF_COOKIE) or new_csrf()
        page = self.env.get_template(name).render(
            title=title, page=name.removesuffix(".html"), csrf=csrf, version=__version__, **values
        )
        response = HTMLResponse(page, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != csrf:
            response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
        return response

    async def form(
        self, request: Request
    ) -> tuple[dict[str, str], dict[str, list[tuple[str, bytes]]]]:
        """Text fields and files of a POST, within the caps; CSRF checked.

        Raises:
            InputError: a missing or wrong CSRF value, or too many or too large parts.
        """
        async with request.form(max_files=MAX_FILES, max_fields=50, max_part_size=MAX_FILE) as data:
            fields: dict[str, str] = {}
            files: dict[str, list[tuple[str, bytes]]] = {}
            for name, value in data.multi_items():
                if isinstance(value, UploadFile):
                    content = await value.read(MAX_FILE + 1)
                    if len(content) > MAX_FILE:
                        raise InputError(f"a file is over {MAX_FILE // 2**20} MB")
                    files.setdefault(name, []).append((value.filename or "", content))
                else:
                    fields[name] = str(value)
        if not csrf_ok(request.cookies.get(CSRF_COOKIE), fields.get("csrf")):
            raise InputError("the form expired or came from elsewhere: load the page and try again")
        return fields, files

    # -- pages ---------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        return self.render(request, "index.html", "Why is my mail not arriving?")

    async def diagnose_form(self, request: Request) -> Response:
        return self.render(request, "diagnose.html", "Diagnose", form=dict(self.settings.defaults))

    async def diagnose_submit(self, request: Request) -> Response:
        fields: dict[str, str] = {}
        try:
            fields, files = await self.form(request)
            diagnose, workdir = build_request(
                FormInput(fields=fields, files=files),
                endpoint_url=self.settings.endpoint_url,
                default_password=self.settings.default_password,
            )
        except (InputError, ValueError) as exc:
            return self.render(
                request, "diagnose.html", "Diagnose", 400, form=echoed(fields), error=_one_line(exc)
            )
        job = self.jobs.start(diagnose, workdir)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    async def job(self, request: Request) -> Response:
        job = self._job(request)
        if job is None:
            return self.render(
                request,
                "index.html",
                "Not found",
                404,
                error="no such diagnosis (it may have expired)",
            )
        latest = {event["adapter"]: event for event in job.events}  # each layer's last state
        values: dict[str, Any] = {
            "job": job,
            "latest": list(latest.values()),
            "causes": (),
            "verdict": "",
        }
        if job.report is not None:
            values.update(causes=_failing(job.report), verdict=_verdict(job.report))
        return self.render(request, "job.html", "Diagnosis", **values)

    async def events(self, request: Request) -> Response:
        job = self._job(request)
        if job is None:
            return Response("no such diagnosis\n", status_code=404, media_type="text/plain")

        async def stream() -> Any:
            async for event in job.stream():
                yield f"event: layer\ndata: {json.dumps(event)}\n\n"
            yield "event: done\ndata: {}\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    async def download(self, request: Request) -> Response:
        job, fmt = self._job(request), request.path_params["fmt"]
        if job is None or job.report is None or fmt not in _REPORT_TYPES:
            return Response("no such report\n", status_code=404, media_type="text/plain")
        body = _render_report(job.report, fmt)
        headers = {"content-security-policy": REPORT_CSP}
        if "view" not in request.query_params:
            headers["content-disposition"] = f'attachment; filename="maildoctor-report.{fmt}"'
        return Response(body, media_type=f"{_REPORT_TYPES[fmt]}; charset=utf-8", headers=headers)

    async def explain(self, request: Request) -> Response:
        if request.method == "GET":
            return self.render(request, "explain.html", "Explain", what="", items=())
        try:
            fields, _ = await self.form(request)
            what = fields.get("what", "")
            items = _explained(what)
        except InputError as exc:
            return self.render(
                request, "explain.html", "Explain", 400, what="", items=(), error=_one_line(exc)
            )
        return self.render(request, "explain.html", "Explain", what=what, items=items)

    async def domain(self, request: Request) -> Response:
        if request.method == "GET":
            return self.render(request, "domain.html", "Domain", domain="")
        domain = ""
        try:
            fields, _ = await self.form(request)
            domain = fields.get("domain", "").strip()
            from ..dns.check import check_domain

            report = await check_domain(domain, ctx=self.settings.context())
        except InputError as exc:
            return self.render(
                request, "domain.html", "Domain", 400, domain=domain, error=_one_line(exc)
            )
        advice = next((f for f in report.findings if f.check == "dns.dmarc.recommendation"), None)
        record = str(advice.data.get("record", "")) if advice is not None else ""
        return self.render(
            request,
            "domain.html",
            "Domain",
            domain=domain,
            job=self.jobs.add(report),
            record=record,
            record_name=advice.subject if advice is not None else "",
        )

    async def headers(self, request: Request) -> Response:
        if request.method == "GET":
            return self.render(request, "headers.html", "Headers", raw="")
        try:
            fields, _ = await self.form(request)
            raw = fields.get("raw", "")
            report = await self._headers_report(raw)
        except InputError as exc:
            return self.render(
                request, "headers.html", "Headers", 400, raw="", error=_one_line(exc)
            )
        chain = next((f for f in report.findings if f.check == "message.received.chain"), None)
        return self.render(
            request,
            "headers.html",
            "Headers",
            raw=raw,
            job=self.jobs.add(report),
            hops=chain.data.get("hops", []) if chain is not None else [],
            verdicts=[f for f in report.findings if f.check.startswith("message.auth")],
        )

    async def _headers_report(self, raw: str) -> Report:
        from ..message.check import check_headers

        data = raw.replace("\r\n", "\n").encode("utf-8", "surrogateescape")
        if not data.strip():
            raise InputError("paste the message's headers")
        start = time.perf_counter()
        findings = await check_headers(data, ctx=self.settings.context())
        for f in findings:
            if f.check == "message.headers.parse" and f.status is Status.ERROR:
                raise InputError("that does not look like an email message's headers")
        return Report(
            command="headers",
            subject="pasted headers",
            findings=findings,
            elapsed_ms=(time.perf_counter() - start) * 1000,
        )

    def _job(self, request: Request) -> Job | None:
        return self.jobs.get(request.path_params["job"])


# -- helpers -----------------------------------------------------------------------------


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:300]


def _failing(report: Report) -> Sequence[Any]:
    return [c for c in report.causes if c.severity == Status.FAIL]


def _verdict(report: Report) -> str:
    from ..correlate import verdict
    from ..report.html import VERDICT

    return VERDICT[str(verdict(report.findings, report.causes))]


def _render_report(report: Report, fmt: str) -> str:
    if fmt == "json":
        return report.to_json()
    if fmt == "md":
        from ..report.markdown import render_markdown

        return render_markdown(report, verbose=True)
    from ..report.html import render_html

    return render_html(report, verbose=True)


def _explained(what: str) -> list[dict[str, Any]]:
    """What the Explain page shows for a cause id, a reply line or a pasted bounce."""
    from .explain import explain_text

    return explain_text(what)
