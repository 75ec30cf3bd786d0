"""``maildoctor smtp HOST``: can a client submit mail through this relay?

The password comes from ``MAILDOCTOR_SMTP_PASSWORD``, ``--password-stdin`` or a
hidden prompt - never from an argument. ``--check-secret`` also reads the IAM
secret key (``AWS_SECRET_ACCESS_KEY`` or the next stdin line) to explain an SES
``535`` exactly. Nothing is sent with DATA unless ``--send-test`` is given.

``--smtp-transcript FILE`` writes the conversation (every command, reply, failure and
timing; never the password or the AUTH payload) to FILE as JSON;
``--smtp-transcript-replay FILE`` judges such a file again, offline, without HOST.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..dns.resolver import Nameserver
from ..errors import InputError
from ..model import Report
from ..secrets import Secret
from ..smtp.plan import PRESETS
from ..smtp.probe import probe_smtp, replay_smtp
from ..smtp.profiles import provider_names, shown_user
from ..smtp.transcript import Transcript
from .common import (
    InputPath,
    SecretInput,
    emit,
    make_context,
    network_options,
    run_async,
    tls_options,
    with_tls,
)

__all__ = ["command"]

PASSWORD_ENV = "MAILDOCTOR_SMTP_PASSWORD"
SECRET_ENV = "AWS_SECRET_ACCESS_KEY"


@click.command("smtp")
@click.argument("host", required=False)
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default 587; 465 implicit).")
@click.option(
    "--tls",
    type=click.Choice(["starttls", "implicit", "none"]),
    help="TLS mode (default: implied by the port).",
)
@click.option("--user", metavar="USER", help="SMTP username (SES: the AKIA... access key id).")
@click.option("--password-stdin", is_flag=True, help="Read the SMTP password from stdin.")
@click.option(
    "--check-secret",
    is_flag=True,
    help=f"Also read the IAM secret key (${SECRET_ENV} or stdin) to explain a 535.",
)
@click.option("--from", "mail_from", metavar="ADDR", help="Envelope sender to try (MAIL FROM).")
@click.option(
    "--to",
    "rcpt_to",
    multiple=True,
    metavar="ADDR",
    help="Envelope recipient to try (RCPT TO; repeatable).",
)
@click.option("--send-test", is_flag=True, help="Really send a short test message (DATA).")
@click.option(
    "--client",
    type=click.Choice(sorted(PRESETS)),
    help="Check what this client can be configured to do.",
)
@click.option("--ehlo-name", metavar="NAME", help="Name to announce in EHLO.")
@click.option(
    "--provider",
    type=click.Choice(provider_names()),
    help="The sending service behind HOST (default: implied by the host name).",
)
@click.option(
    "--smtp-transcript",
    "transcript_out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    metavar="FILE",
    help="Write the SMTP conversation to FILE as JSON (no password, no AUTH payload).",
)
@click.option(
    "--smtp-transcript-replay",
    "transcript_in",
    type=InputPath(),
    metavar="FILE",
    help="Judge a conversation written by --smtp-transcript, offline (no HOST).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show evidence and details for every finding.")
@tls_options
@network_options
def command(
    host: str | None,
    port: int | None,
    tls: str | None,
    user: str | None,
    password_stdin: bool,
    check_secret: bool,
    mail_from: str | None,
    rcpt_to: tuple[str, ...],
    send_test: bool,
    client: str | None,
    ehlo_name: str | None,
    transcript_out: Path | None,
    transcript_in: Path | None,
    provider: str | None,
    verbose: bool,
    ca_file: str | None,
    no_verify: bool,
    nameservers: list[Nameserver] | None,
    timeout: float,
    retries: int,
    fmt: str,
) -> int:
    """Probe an SMTP relay step by step: TLS, certificate, AUTH and envelope."""
    if transcript_in is not None:
        if host or transcript_out:
            raise click.UsageError("--smtp-transcript-replay takes no HOST or --smtp-transcript")
        return _replay(transcript_in, fmt, verbose=verbose)
    if not host:
        raise click.UsageError("missing HOST (or --smtp-transcript-replay FILE)")
    if rcpt_to and not mail_from:
        raise click.UsageError("--to needs --from")
    if send_test and not rcpt_to:
        raise click.UsageError("--send-test needs --from and --to")
    password, secret = _read_secrets(user, password_stdin, check_secret)
    ctx = with_tls(make_context(nameservers, timeout, retries), ca_file, no_verify)
    start = time.perf_counter()
    recorded: list[Transcript] = []
    findings = run_async(
        probe_smtp(
            host,
            port=port,
            tls=tls,
            user=user,
            password=password,
            secret=secret,
            mail_from=mail_from,
            rcpt_to=rcpt_to,
            send_test=send_test,
            client=client,
            ehlo_name=ehlo_name,
            provider=provider,
            ctx=ctx,
            on_transcript=recorded.append,
        )
    )
    if transcript_out is not None and recorded:
        _write_transcript(transcript_out, recorded[0])
    report = Report(
        command="smtp",
        subject=host,
        findings=findings,
        elapsed_ms=(time.perf_counter() - start) * 1000,
        meta={"user": shown_user(user, password), "password_given": password is not None},
    )
    return emit(report, fmt, verbose=verbose)


def _replay(path: Path, fmt: str, *, verbose: bool) -> int:
    """Judge a recorded transcript.

    Raises:
        InputError: when the file cannot be read or is not a transcript.
    """
    from .common import read_input_text

    transcript = Transcript.from_json(read_input_text(path))
    report = Report(
        command="smtp",
        subject=transcript.host,
        findings=replay_smtp(transcript),
        meta={"user": transcript.user, "replayed_from": str(path)},
    )
    return emit(report, fmt, verbose=verbose)


def _write_transcript(path: Path, transcript: Transcript) -> None:
    try:
        path.write_text(transcript.to_json() + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _read_secrets(
    user: str | None, password_stdin: bool, check_secret: bool
) -> tuple[Secret | None, Secret | None]:
    """Password first, then (with --check-secret) the IAM secret key.

    Raises:
        InputError: When a secret the options ask for cannot be had. Probing without it
            would skip AUTH and exit 0, as if the login had been checked.
    """
    source = SecretInput()
    password = None
    if password_stdin:
        password = source.read(env=None, prompt="SMTP password")
        if password is None:
            raise InputError("--password-stdin: no password on standard input")
    elif user:
        password = source.read(env=PASSWORD_ENV, prompt="SMTP password", use_stdin=False)
        if password is None and source.interactive():
            raise InputError("no SMTP password for --user: the prompt was answered empty")
        if password is None:
            raise InputError(
                f"no SMTP password for --user: set {PASSWORD_ENV}, pipe it with "
                "--password-stdin, or run in a terminal to be asked"
            )
    secret = source.read(env=SECRET_ENV, prompt="AWS secret access key") if check_secret else None
    if check_secret and secret is None:
        raise InputError(
            f"--check-secret: no secret access key: set {SECRET_ENV} or pipe it on "
            "standard input (after the password with --password-stdin)"
        )
    return password, secret
