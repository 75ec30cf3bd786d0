"""``maildoctor serve``: the Diagnose, Explain, Domain and Headers pages on a local web server.

Binds 127.0.0.1:8025 by default. Bound to any other address it prints a token at start
and refuses every request without it. AWS credentials come from this server's
environment or profile, never from the page; relay passwords typed into the page are
used for that one check and never stored, shown or logged.
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import Any

import click

from ..dns.nameserver import Nameserver
from ..errors import InputError
from .common import tls_options

__all__ = ["command", "missing_web_extra", "serve"]

INSTALL_HINT = "maildoctor serve needs the web extra: pip install 'maildoctor[web]'"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(1, 65535), default=8025, show_default=True)
@click.option(
    "--nameserver",
    "nameservers",
    multiple=True,
    metavar="IP[:PORT]",
    help="DNS server the checks ask (repeatable); default: the system's.",
)
@click.option("--timeout", type=click.FloatRange(0.05, 120), default=5.0, show_default=True)
@tls_options
def command(
    host: str,
    port: int,
    nameservers: tuple[str, ...],
    timeout: float,
    ca_file: str | None,
    no_verify: bool,
) -> int:
    """Serve the diagnosis as local web pages (Diagnose, Explain, Domain, Headers)."""
    from ..dns.nameserver import parse_nameserver

    try:
        servers = tuple(parse_nameserver(n) for n in nameservers)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    token = None if _loopback(host) else secrets.token_urlsafe(24)
    settings = _settings(servers, timeout, ca_file, not no_verify, token)
    serve(settings, host=host, port=port)
    return 0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _settings(
    servers: tuple[Nameserver, ...],
    timeout: float,
    ca_file: str | None,
    verify: bool,
    token: str | None,
) -> Any:
    missing_web_extra()
    from ..web import ServeSettings

    return ServeSettings(
        nameservers=servers, timeout=timeout, ca_file=ca_file, verify_tls=verify, token=token
    )


def missing_web_extra() -> None:
    """Raise the install hint when the web extra is not installed.

    Raises:
        InputError: naming the exact install command.
    """
    try:
        import jinja2  # noqa: F401
        import multipart  # noqa: F401  (python-multipart, for uploads)
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise InputError(INSTALL_HINT) from None


def serve(settings: Any, *, host: str, port: int) -> None:
    """Run the app on uvicorn until interrupted; say where it is first."""
    import uvicorn

    from ..web import create_app

    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if settings.token:
        url += f"?token={settings.token}"
        click.echo(
            f"maildoctor serve: bound to {host}, so every visit needs the token in this link"
        )
    click.echo(f"maildoctor serve: open {url}  (Ctrl-C to stop)", err=False)
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
    )
