"""A loopback SMTP relay that answers like a given sending service.

:class:`ProviderRelayServer` speaks STARTTLS (or implicit TLS) with a certificate
for the service's host name, offers AUTH PLAIN/LOGIN after TLS, and answers each
step with the text configured for it - the service's own words, taken from the
rows of :mod:`maildoctor.replies.services` - so that a probe or a diagnosis
can be run against "SendGrid" or "Microsoft 365" without leaving 127.0.0.1::

    with ProviderRelayServer("sendgrid", pki=pki, auth_reply=REVOKED) as relay:
        await probe_smtp("127.0.0.1", port=relay.port, provider="sendgrid", ...)

Credentials: with ``accept`` set, only that (user, password) pair logs in and any
other gets ``auth_reply`` (or a plain 535); without it, ``auth_reply`` answers every
login and no reply means every login succeeds.
"""

from __future__ import annotations

import hmac
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from ..secrets import Secret
from ..smtp.profiles import profile_named
from .smtpserver import TestPki, _Handler, _SmtpTestServer

__all__ = ["ProviderRelayServer"]

_BANNERS = {
    "microsoft": "Microsoft ESMTP MAIL Service ready",
    "gmail": "ESMTP maildoctor-test - gsmtp",
    "sendgrid": "ESMTP service ready at ismtpd0001p1mdw1.sendgrid.net",
    "mailgun": "ESMTP Mailgun Influx ready",
    "postmark": "ESMTP Postmark",
    "ses": "ESMTP SimpleEmailService-d-MAILDOCTORTEST",
}


class ProviderRelayServer(_SmtpTestServer):
    """A sending service's SMTP endpoint on loopback, answering with its texts.

    Args:
        provider: A relay profile name (``sendgrid``, ``microsoft365``, ``gmail``...).
        pki: Issues the certificate (for the profile's first host name).
        accept: The only (username, password) that logs in; None: see ``auth_reply``.
        auth_reply: The reply to a refused login (``535 ...``); None with ``accept`` None
            lets every login in.
        mail_reply / rcpt_reply / data_reply: The reply to MAIL FROM, RCPT TO or the end of
            DATA, when the service refuses at that step.
        implicit_tls: TLS from the first byte (port 465 style) instead of STARTTLS.
        host_name: The name in the banner and certificate (default: the profile's host).
    """

    def __init__(
        self,
        provider: str,
        *,
        pki: TestPki,
        accept: tuple[str, Secret] | None = None,
        auth_reply: str | None = None,
        mail_reply: str | None = None,
        rcpt_reply: str | None = None,
        data_reply: str | None = None,
        implicit_tls: bool = False,
        host_name: str | None = None,
    ) -> None:
        profile = profile_named(provider)
        name = host_name or profile.hosts[0].lstrip(".")
        self.accept = accept
        self.auth_reply = auth_reply
        handler = _Handler(
            server_name=name,
            mail_reply=lambda _a: mail_reply,
            rcpt_reply=lambda _a: rcpt_reply,
            data_reply=lambda _e: data_reply,
        )
        super().__init__(
            handler,
            pki=pki,
            host_name=name,
            implicit_tls=implicit_tls,
            starttls=True,
            cert_names=None,
            cert_expired=False,
            reply_delay=0.0,
            ident=_BANNERS.get(profile.vendor, "ESMTP"),
            smtp_kwargs={"authenticator": self._authenticate, "auth_required": False},
        )

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self._accepted(auth_data):
            return AuthResult(success=True, auth_data=auth_data)
        message = self.auth_reply or "535 5.7.8 Authentication failed"
        return AuthResult(success=False, handled=False, message=message)

    def _accepted(self, login: LoginPassword) -> bool:
        if self.accept is None:
            return self.auth_reply is None
        user, password = self.accept
        return login.login.decode() == user and hmac.compare_digest(
            login.password, password.reveal().encode()
        )
