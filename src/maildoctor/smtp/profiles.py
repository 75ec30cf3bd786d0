"""Relay profiles: what each sending service's SMTP endpoint expects, checked offline.

A :class:`RelayProfile` is chosen from the relay host (``smtp.sendgrid.net`` ->
SendGrid) or named with ``--provider``. It knows the service's host names, the
ports and TLS modes it accepts, and the shape of its credentials: SendGrid's
username is literally ``apikey`` and the password an API key ``SG.<id>.<secret>``;
Postmark's server token is both username and password; Gmail accounts with
2-Step Verification need a 16-letter app password; Microsoft 365 wants the
mailbox's address. SES keeps its own checks (``ses_password``).

Shape checks never put the secret or anything computed from it (length, hash,
prefix beyond the documented literal ``SG.``) into a finding.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass

from ..errors import InputError
from ..model import Finding, FindingMaker, Layer, Status
from ..secrets import Secret

__all__ = [
    "PROFILES",
    "RelayProfile",
    "credential_findings",
    "endpoint_findings",
    "profile_for_host",
    "profile_named",
    "provider_names",
    "shown_user",
]

M365_SMTP_DOC = (
    "Microsoft Learn: How to set up a multifunction device or application to send email "
    "using Microsoft 365 - https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/"
    "how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-"
    "office-365"
)
GMAIL_SMTP_DOC = (
    "Google: Send email from a printer, scanner, or app - "
    "https://support.google.com/a/answer/176600"
)
GMAIL_APP_PASSWORD_DOC = (
    "Google Account Help: Sign in with app passwords - https://support.google.com/accounts/"
    "answer/185833"
)
SENDGRID_SMTP_DOC = (
    "Twilio SendGrid: Integrating with the SMTP API - "
    "https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api"
)
MAILGUN_SMTP_DOC = (
    "Mailgun: Sending messages via SMTP (US smtp.mailgun.org, EU smtp.eu.mailgun.org) - "
    "https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp"
)
POSTMARK_SMTP_DOC = (
    "Postmark: Sending email with SMTP (server API token as username and password) - "
    "https://postmarkapp.com/developer/user-guide/send-email-with-smtp"
)
SES_SMTP_DOC = (
    "AWS: Connecting to an Amazon SES SMTP endpoint - "
    "https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class RelayProfile:
    """One sending service's SMTP submission endpoint.

    Attributes:
        name: The ``--provider`` value (``sendgrid``).
        vendor: The key of the service's reply rules (``microsoft`` for Microsoft 365).
        title: The service's name for people.
        hosts: Host names of the endpoint (exact), or suffixes starting with ``.``.
        ports: Ports the endpoint accepts for submission.
        implicit_ports: Of those, the ones speaking TLS from the first byte.
        tls_required: Whether the endpoint refuses AUTH (or mail) without TLS.
        username: What the username must be, for people.
        reference: The service's document.
        region: A region the host name implies (Mailgun ``eu``/``us``), "" if none.
    """

    name: str
    vendor: str
    title: str
    hosts: tuple[str, ...]
    ports: tuple[int, ...]
    implicit_ports: tuple[int, ...] = (465,)
    tls_required: bool = True
    username: str
    reference: str
    region: str = ""

    def serves(self, host: str) -> bool:
        """Whether ``host`` is one of this endpoint's names."""
        host = host.rstrip(".").lower()
        return any(host.endswith(h) if h.startswith(".") else host == h for h in self.hosts)


PROFILES: tuple[RelayProfile, ...] = (
    RelayProfile(
        name="microsoft365",
        vendor="microsoft",
        title="Microsoft 365 (Exchange Online) SMTP AUTH client submission",
        hosts=("smtp.office365.com", "smtp-mail.outlook.com"),
        ports=(587,),
        implicit_ports=(),
        username="the mailbox's full address (user principal name)",
        reference=M365_SMTP_DOC,
    ),
    RelayProfile(
        name="gmail",
        vendor="gmail",
        title="Gmail / Google Workspace SMTP submission",
        hosts=("smtp.gmail.com", "smtp.googlemail.com"),
        ports=(587, 465),
        username="the Google account's address; the password an app password",
        reference=GMAIL_SMTP_DOC,
    ),
    RelayProfile(
        name="google-relay",
        vendor="gmail",
        title="Google Workspace SMTP relay service",
        hosts=("smtp-relay.gmail.com",),
        ports=(25, 587, 465),
        tls_required=False,
        username="a Workspace user's address (or none, when the relay allows the IP)",
        reference=GMAIL_SMTP_DOC,
    ),
    RelayProfile(
        name="sendgrid",
        vendor="sendgrid",
        title="Twilio SendGrid SMTP relay",
        hosts=("smtp.sendgrid.net",),
        ports=(25, 587, 2525, 465),
        tls_required=False,
        username="the literal word apikey; the password an API key (SG.…)",
        reference=SENDGRID_SMTP_DOC,
    ),
    RelayProfile(
        name="mailgun",
        vendor="mailgun",
        title="Mailgun SMTP relay (US region)",
        hosts=("smtp.mailgun.org",),
        ports=(25, 587, 2525, 465),
        tls_required=False,
        username="the domain's SMTP login (postmaster@<your sending domain>)",
        reference=MAILGUN_SMTP_DOC,
        region="us",
    ),
    RelayProfile(
        name="mailgun-eu",
        vendor="mailgun",
        title="Mailgun SMTP relay (EU region)",
        hosts=("smtp.eu.mailgun.org",),
        ports=(25, 587, 2525, 465),
        tls_required=False,
        username="the domain's SMTP login (postmaster@<your sending domain>)",
        reference=MAILGUN_SMTP_DOC,
        region="eu",
    ),
    RelayProfile(
        name="postmark",
        vendor="postmark",
        title="Postmark SMTP",
        hosts=("smtp.postmarkapp.com", "smtp-broadcasts.postmarkapp.com"),
        ports=(25, 587, 2525),
        implicit_ports=(),
        username="the server API token (the same token is the password)",
        reference=POSTMARK_SMTP_DOC,
    ),
    RelayProfile(
        name="ses",
        vendor="ses",
        title="Amazon SES SMTP endpoint",
        hosts=(".amazonaws.com",),
        ports=(25, 587, 2587, 465, 2465),
        implicit_ports=(465, 2465),
        username="an IAM access key id (AKIA…); the password derived from its secret",
        reference=SES_SMTP_DOC,
    ),
)

_ALIASES = {"office365": "microsoft365", "m365": "microsoft365", "google": "gmail"}


def provider_names() -> tuple[str, ...]:
    """Every ``--provider`` value, in table order."""
    return tuple(p.name for p in PROFILES)


def profile_named(name: str) -> RelayProfile:
    """The profile called ``name`` (``sendgrid``, ``microsoft365``...).

    Raises:
        InputError: for a name no profile has.
    """
    key = _ALIASES.get(name.strip().lower(), name.strip().lower())
    for profile in PROFILES:
        if profile.name == key:
            return profile
    raise InputError(f"unknown provider {name!r} (known: {', '.join(provider_names())})")


def profile_for_host(host: str) -> RelayProfile | None:
    """The profile whose endpoint ``host`` is, or None for a relay no profile knows."""
    host = host.rstrip(".").lower()
    if host.endswith(".amazonaws.com") and not host.startswith("email-smtp"):
        return None
    return next((p for p in PROFILES if p.serves(host)), None)


def shown_user(user: str | None, password: Secret | None) -> str | None:
    """The username as it may be shown: hidden when it is the password (Postmark's token).

    Args:
        user: The SMTP username.
        password: The SMTP password.

    Returns:
        ``user``, or ``[server token]`` when the username is the secret itself.
    """
    if (
        user
        and password is not None
        and hmac.compare_digest(user.encode(), password.reveal().encode())
    ):
        return "[server token]"
    return user


# -- endpoint: port and TLS ----------------------------------------------------------------

_CLIENT = FindingMaker("client.smtp", Layer.CLIENT)


def endpoint_findings(profile: RelayProfile, host: str, port: int, tls: str) -> tuple[Finding, ...]:
    """Judge the port and TLS mode a client uses against what the service accepts.

    Args:
        profile: The service.
        host: The relay host as configured.
        port: The port the client uses.
        tls: ``starttls``, ``implicit`` or ``none``.

    Returns:
        One ``client.smtp.profile`` finding, pass or fail.
    """
    subject = f"{host}:{port}"
    data = {"provider": profile.name, "ports": list(profile.ports)}
    if port not in profile.ports:
        return (
            _CLIENT(
                "profile",
                Status.WARN,
                subject,
                f"{profile.title} does not document submissions on port {port}",
                detail=f"It listens on {', '.join(map(str, profile.ports))}; a client on another "
                "port meets a closed port or someone else's server.",
                fix=f"Use port {profile.ports[0]} with STARTTLS.",
                reference=profile.reference,
                data=data,
            ),
        )
    problem = _tls_problem(profile, port, tls)
    if problem:
        return (
            _CLIENT(
                "profile",
                Status.FAIL,
                subject,
                problem,
                fix=_tls_fix(profile, port),
                cause="client.smtp_tls.required"
                if tls == "none"
                else "client.smtp.tls_mode_mismatch",
                reference=profile.reference,
                data=data,
            ),
        )
    return (
        _CLIENT(
            "profile",
            Status.PASS,
            subject,
            f"{profile.title}: port {port} with {tls} is what the service expects",
            reference=profile.reference,
            data=data,
        ),
    )


def _tls_problem(profile: RelayProfile, port: int, tls: str) -> str:
    implicit = port in profile.implicit_ports
    if tls == "none" and (profile.tls_required or implicit):
        return f"{profile.title} requires TLS on port {port}; the client uses none"
    if implicit and tls == "starttls":
        return f"port {port} of {profile.title} speaks TLS from the first byte, not STARTTLS"
    if not implicit and tls == "implicit":
        return f"port {port} of {profile.title} expects STARTTLS, not TLS from the first byte"
    return ""


def _tls_fix(profile: RelayProfile, port: int) -> str:
    if port in profile.implicit_ports:
        return f"Use implicit TLS (SSL) on port {port}, or STARTTLS on port 587."
    return f"Use STARTTLS on port {port}."


# -- credentials ---------------------------------------------------------------------------

_AUTH = FindingMaker("client.smtp_auth", Layer.CLIENT)
_SENDGRID_KEY = re.compile(r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{30,64}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_APP_PASSWORD = re.compile(r"[a-z]{4} ?[a-z]{4} ?[a-z]{4} ?[a-z]{4}")
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def credential_findings(
    profile: RelayProfile, user: str | None, password: Secret | None
) -> tuple[Finding, ...]:
    """Offline checks of the username and password a client holds for ``profile``.

    Nothing about the password is reported but whether it has the documented shape.

    Args:
        profile: The service (SES is checked by ``ses_password`` instead: returns ()).
        user: The SMTP username, if any.
        password: The SMTP password, if any.

    Returns:
        Findings under ``client.smtp_auth.*``.
    """
    checker = _CHECKERS.get(profile.name.removesuffix("-eu"))
    return checker(profile, user, password) if checker else ()


def _sendgrid(
    profile: RelayProfile, user: str | None, password: Secret | None
) -> tuple[Finding, ...]:
    found: list[Finding] = []
    if user is not None and user != "apikey":
        found.append(
            _AUTH(
                "username_shape",
                Status.FAIL,
                user,
                "the SendGrid SMTP username must be the literal word apikey",
                detail="SendGrid's SMTP relay takes the username `apikey` for every account; "
                "the account's login name or e-mail address is refused with 535.",
                fix="Set the SMTP username to apikey (and the password to an API key).",
                cause="client.smtp_auth.sendgrid_username_not_apikey",
                reference=profile.reference,
            )
        )
    if password is not None:
        ok = bool(_SENDGRID_KEY.fullmatch(password.reveal()))
        found.append(
            _AUTH(
                "password_shape",
                Status.PASS if ok else Status.FAIL,
                "SMTP password",
                "the password has the shape of a SendGrid API key (SG.<id>.<secret>)"
                if ok
                else "the password is not a SendGrid API key (SG.<id>.<secret>)",
                detail=""
                if ok
                else "The account password, or an API key id without its "
                "secret part, is refused with 535.",
                fix=""
                if ok
                else "Create an API key with Mail Send permission (Settings > API "
                "Keys) and use it as the SMTP password.",
                cause="" if ok else "client.smtp_auth.sendgrid_password_not_api_key",
                reference=profile.reference,
            )
        )
    return tuple(found)


def _postmark(
    profile: RelayProfile, user: str | None, password: Secret | None
) -> tuple[Finding, ...]:
    if user is None or password is None or not _UUID.fullmatch(user):
        return ()  # an SMTP token pair (access key + secret key) cannot be checked offline
    same = hmac.compare_digest(user.encode(), password.reveal().encode())
    if same:
        return (
            _AUTH(
                "password_shape",
                Status.PASS,
                "SMTP credentials",
                "the Postmark server token is both username and password, as Postmark expects",
                reference=profile.reference,
            ),
        )
    return (
        _AUTH(
            "password_shape",
            Status.FAIL,
            "SMTP credentials",
            "the username is a Postmark server token but the password is something else",
            detail="Postmark's SMTP server takes the same server API token as username and "
            "password; the account password is refused.",
            fix="Set the SMTP password to the same server API token as the username (Servers > "
            "the server > API Tokens).",
            cause="client.smtp_auth.postmark_token_mismatch",
            reference=profile.reference,
        ),
    )


def _gmail(profile: RelayProfile, user: str | None, password: Secret | None) -> tuple[Finding, ...]:
    found = list(_address_user(profile, user))
    if password is not None and not _APP_PASSWORD.fullmatch(password.reveal().strip()):
        found.append(
            _AUTH(
                "password_shape",
                Status.WARN,
                "SMTP password",
                "the password is not shaped like a Google app password (16 letters)",
                detail="Google accounts with 2-Step Verification refuse the account password "
                "over SMTP (534 5.7.9); an app password is 16 lower-case letters.",
                fix="Create an app password (https://myaccount.google.com/apppasswords) and use "
                "it as the SMTP password.",
                reference=GMAIL_APP_PASSWORD_DOC,
            )
        )
    return tuple(found)


def _microsoft(
    profile: RelayProfile, user: str | None, password: Secret | None
) -> tuple[Finding, ...]:
    return _address_user(profile, user)


def _mailgun(
    profile: RelayProfile, user: str | None, password: Secret | None
) -> tuple[Finding, ...]:
    found = list(_address_user(profile, user))
    domain = (user or "").rpartition("@")[2].lower()
    if domain.startswith("sandbox") and domain.endswith(".mailgun.org"):
        found.append(
            _AUTH(
                "sandbox_domain",
                Status.WARN,
                domain,
                "the SMTP login belongs to a Mailgun sandbox domain: it sends only to "
                "authorized recipients",
                fix="Add and verify your own sending domain in Mailgun and use its SMTP login.",
                cause="provider.mailgun.sandbox_recipient_not_authorized",
                reference=profile.reference,
            )
        )
    return tuple(found)


def _address_user(profile: RelayProfile, user: str | None) -> tuple[Finding, ...]:
    if user is None or _ADDRESS.fullmatch(user):
        return ()
    return (
        _AUTH(
            "username_shape",
            Status.FAIL,
            user,
            f"the {profile.title} username must be an e-mail address",
            detail=f"Expected {profile.username}.",
            fix="Use the full address as the SMTP username.",
            cause="client.smtp_auth.failed",
            reference=profile.reference,
        ),
    )


_CHECKERS = {
    "sendgrid": _sendgrid,
    "postmark": _postmark,
    "gmail": _gmail,
    "microsoft365": _microsoft,
    "mailgun": _mailgun,
}
