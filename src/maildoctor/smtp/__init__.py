"""The SMTP layer: relay submission, SES SMTP credentials, and the recipient's MX hosts.

* :func:`probe_smtp` - can a client submit through this relay? (``client.smtp.*``)
* :func:`check_mx` - can mail reach a domain's MX hosts over TLS? (``transport.*``)
* :func:`derive_smtp_password` / :func:`check_stored_password` - SES SMTP credentials,
  offline (``client.smtp_auth.*``).

Modules: ``client`` (a small bounded asyncio SMTP client), ``exceptions`` (the error
tree and the one translation table), ``replies`` (vendor reply table), ``plan``
(port, TLS mode, presets), ``probe``, ``mx_probe``, ``mtasts``, ``tlsinfo``,
``ses_password``, ``resolve``, ``dialogue``.
"""

from __future__ import annotations

from .client import SmtpReply
from .mtasts import check_mta_sts, check_tls_rpt
from .mx_probe import check_mx, probe_mx_host
from .plan import TlsMode, plan_probe
from .probe import Credentials, probe_smtp
from .replies import interpret
from .ses_password import (
    check_credentials_shape,
    check_stored_password,
    derive_smtp_password,
    password_shape,
    ses_region_from_host,
)

__all__ = [
    "Credentials",
    "SmtpReply",
    "TlsMode",
    "check_credentials_shape",
    "check_mta_sts",
    "check_mx",
    "check_stored_password",
    "check_tls_rpt",
    "derive_smtp_password",
    "interpret",
    "password_shape",
    "plan_probe",
    "probe_mx_host",
    "probe_smtp",
    "ses_region_from_host",
]
