"""Options and output shared by every subcommand."""

from __future__ import annotations

import asyncio
import errno
import os
import stat
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..dns.nameserver import Nameserver, parse_nameserver
from ..dns.udpmux import UdpPool

if TYPE_CHECKING:  # loaded when a run starts: `maildoctor dns` asks first (dns/early.py)
    from ..context import Context
    from ..dns.resolver import DnsResolver
    from ..dns.zone import ZoneResolver
    from ..model import Report

    RecordingResolver = DnsResolver | ZoneResolver

T = TypeVar("T")

FORMATS = ("text", "json")


def _nameservers(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> Any:
    try:
        return [parse_nameserver(v) for v in value] or None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


_FIXTURE = "maildoctor.dns_fixture"
_RECORD = "maildoctor.dns_record"
_RESOLVERS = "maildoctor.resolvers"


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def store(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value:
            ctx.meta[key] = value

    return store


def network_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--nameserver`` (repeatable), ``--timeout``, ``--retries``, ``--format`` and the
    DNS record/replay pair ``--dns-record FILE`` / ``--dns-fixture FILE``."""
    func = click.option(
        "--dns-record",
        type=click.Path(dir_okay=False, writable=True),
        expose_value=False,
        callback=_remember(_RECORD),
        metavar="FILE",
        help="Write every DNS answer of this run to FILE (zone data, for --dns-fixture).",
    )(func)
    func = click.option(
        "--dns-fixture",
        type=InputPath(),
        expose_value=False,
        callback=_remember(_FIXTURE),
        metavar="FILE",
        help="Answer DNS from FILE (written by --dns-record) instead of the network.",
    )(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="Output format.",
    )(func)
    func = click.option(
        "--retries",
        type=click.IntRange(0, 10),
        default=1,
        show_default=True,
        help="Extra rounds over the nameservers after a timeout.",
    )(func)
    func = click.option(
        "--timeout",
        type=click.FloatRange(0.05, 120),
        default=5.0,
        show_default=True,
        help="Seconds allowed for each network step.",
    )(func)
    func = click.option(
        "--nameserver",
        "nameservers",
        multiple=True,
        callback=_nameservers,
        metavar="IP[:PORT]",
        help="DNS server to ask (repeatable); default: the system's.",
    )(func)
    return func


def make_context(
    nameservers: list[Nameserver] | None,
    timeout: float,
    retries: int = 1,
    udp: UdpPool | None = None,
) -> Context:
    """The run's Context, honouring ``--dns-fixture`` and ``--dns-record``.

    The CLI is where a run's Context is built: a network resolver, or with
    ``--dns-fixture`` a resolver answering from the fixture without a socket.
    """
    from ..context import Context

    meta = _click_meta()
    resolver: RecordingResolver
    if _FIXTURE in meta:
        if nameservers:
            raise click.UsageError("--dns-fixture and --nameserver cannot be combined")
        resolver = _fixture_resolver(meta, timeout)
    else:
        from ..dns.resolver import DnsResolver

        resolver = DnsResolver(nameservers, timeout=timeout, retries=retries, udp=udp or UdpPool())
    if _RECORD in meta:
        _record(meta, resolver)
    return Context(resolver=resolver, timeout=timeout)


def dns_fixture_in_use() -> bool:
    """Whether ``--dns-fixture`` was given (no early questions to the network then)."""
    return _FIXTURE in _click_meta()


def dns_record_in_use() -> bool:
    """Whether ``--dns-record`` was given."""
    return _RECORD in _click_meta()


def _click_meta() -> dict[str, Any]:
    current = click.get_current_context(silent=True)
    return current.meta if current is not None else {}


def _fixture_resolver(meta: dict[str, Any], timeout: float) -> ZoneResolver:
    """Answer from the fixture in memory (the zone is read once per command)."""
    from ..dns.record import load_fixture
    from ..dns.zone import ZoneResolver, load_zone

    zone = meta.get(_FIXTURE + ".zone")
    if zone is None:
        zone = meta[_FIXTURE + ".zone"] = load_zone(load_fixture(meta[_FIXTURE]))
    return ZoneResolver(zone, timeout=timeout, label=f"fixture {meta[_FIXTURE]}")


def _record(meta: dict[str, Any], resolver: RecordingResolver) -> None:
    resolvers = meta.setdefault(_RESOLVERS, [])
    if not resolvers:
        click.get_current_context().call_on_close(lambda: _save_recording(meta))
    resolvers.append(resolver)


def _save_recording(meta: dict[str, Any]) -> None:
    from ..dns.record import save_fixture

    resolvers: list[RecordingResolver] = meta[_RESOLVERS]
    answers = [a for r in resolvers for a in r.answers()]
    try:
        save_fixture(meta[_RECORD], answers)
    except OSError as exc:
        click.echo(f"maildoctor: cannot write {meta[_RECORD]}: {exc}", err=True)


def run_async(coro: Awaitable[T]) -> T:
    """The one place the CLI enters the event loop."""
    return asyncio.run(coro)  # type: ignore[arg-type]


def emit(report: Report, fmt: str, *, verbose: bool = False) -> int:
    """Print a report in the chosen format and return its exit code."""
    if fmt == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        from ..report.text import render_text

        render_text(report, verbose=verbose)
    return int(report.exit_code)


# -- TLS trust and secrets (SMTP commands) ---------------------------------------------


def tls_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--ca-file PEM`` and ``--no-verify``, for every command that speaks TLS."""
    func = click.option(
        "--no-verify",
        is_flag=True,
        help="Carry on past certificate problems (they are still reported).",
    )(func)
    func = click.option(
        "--ca-file",
        type=InputPath(as_text=True),
        metavar="PEM",
        help="Also trust this CA bundle (private relays, tests).",
    )(func)
    return func


def with_tls(context: Context, ca_file: str | None, no_verify: bool) -> Context:
    """The context with the ``tls_options`` applied."""
    import dataclasses

    return dataclasses.replace(context, ca_file=ca_file, verify_tls=not no_verify)


class SecretInput:
    """Reads secrets from the environment, standard input or a hidden prompt - never argv.

    Standard input is read a line at a time, so several secrets can be piped in order
    (the secret key, then the stored password).
    """

    def __init__(self, stream: Any = None) -> None:
        self._stream = stream

    @property
    def stream(self) -> Any:
        return self._stream if self._stream is not None else sys.stdin

    def interactive(self) -> bool:
        try:
            return bool(self.stream.isatty())
        except (AttributeError, ValueError):
            return False

    def read(self, *, env: str | None, prompt: str, use_stdin: bool = True) -> Any:
        """The secret from ``env``, else the next stdin line, else a hidden prompt on a TTY.

        Returns:
            A :class:`~maildoctor.secrets.Secret`, or None when there is none.
        """
        import os

        from ..secrets import Secret

        value = os.environ.get(env, "") if env else ""
        if not value and use_stdin and not self.interactive():
            value = self.stream.readline().rstrip("\r\n")
        elif not value and self.interactive():
            value = click.prompt(prompt, hide_input=True, default="", show_default=False, err=True)
        value = value.strip()
        return Secret(value) if value else None


# -- input paths -------------------------------------------------------------------------

#: A text input (a transcript, a fixture) larger than this is refused, not read.
MAX_INPUT_TEXT = 16 * 1024 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def check_input(text: str, *, allow_dir: bool = False, allow_stdin: bool = False) -> Path | None:
    """Accept a regular file, a directory (if ``allow_dir``) or ``-`` (if ``allow_stdin``).

    A FIFO, device or socket would block the run or never end, whatever ``--timeout``
    says, so it is refused before anything opens it.

    Returns:
        The path, or None for ``-``.

    Raises:
        InputError: one line saying why the input cannot be used.
    """
    from ..errors import InputError

    if text == "-" and allow_stdin:
        return None
    path = Path(text)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise InputError(f"cannot read {text}: {_stat_reason(path, exc)}") from None
    if not (stat.S_ISREG(mode) or (allow_dir and stat.S_ISDIR(mode))):
        kind = next((what for test, what in _KINDS if test(mode)), "not a regular file")
        wanted = "a regular file or directory" if allow_dir else "a regular file"
        raise InputError(f"cannot read {text}: it is {kind}, not {wanted}")
    access = os.R_OK | (os.X_OK if stat.S_ISDIR(mode) else 0)
    if not os.access(path, access):
        raise InputError(f"cannot read {text}: permission denied")
    return path


def _stat_reason(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return "broken symbolic link (its target does not exist)"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    if exc.errno == errno.EACCES:
        return "permission denied"
    return exc.strerror or str(exc)


def read_input_text(path: Path, *, limit: int = MAX_INPUT_TEXT) -> str:
    """The text of a checked input file, bounded.

    Raises:
        InputError: when the path is not a readable regular file, is too large, or
            is not UTF-8.
    """
    from ..errors import InputError

    check_input(str(path))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"cannot read {path}: larger than {limit // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"cannot read {path}: not UTF-8 text") from None


class InputPath(click.ParamType):
    """A click parameter checked by :func:`check_input` (exit 2, one line, on failure)."""

    name = "path"

    def __init__(
        self, *, allow_dir: bool = False, allow_stdin: bool = False, as_text: bool = False
    ) -> None:
        self.allow_dir, self.allow_stdin, self.as_text = allow_dir, allow_stdin, as_text

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Path):
            value = str(value)
        path = check_input(value, allow_dir=self.allow_dir, allow_stdin=self.allow_stdin)
        path = path if path is not None else Path("-")
        return str(path) if self.as_text else path
