"""OpenSMTPD (https://www.opensmtpd.org/): ``smtpd/bounce.c`` notices.

::

        This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.
        An error has occurred while attempting to deliver a message for
        the following list of recipients:

    kijitora@example.jp: 550 5.2.2 <kijitora@example>... Mailbox Full
"""

from __future__ import annotations

from .._scan import finish
from .._text import aligned, sweep
from ..model import DeliveryStatus, Draft
from ..parse import Mail, split_at

NAME = "opensmtpd"

_BOUNDARIES = ("    Below is a copy of the original message:",)
_START = "    This is the MAILER-DAEMON, please DO NOT REPLY to this"
#: smtpd/queue.c, smtpd/mta.c failure strings.
_MESSAGES = {
    "expired": ("Envelope expired",),
    "securityerror": ("Could not retrieve credentials",),
    "hostunknown": ("Invalid domain name", "Domain does not exist"),
    "networkerror": ("Address family mismatch on destination MXs",
                     "All routes to destination blocked", "bad DNS lookup error code",
                     "Could not retrieve source address", "Loop detected",
                     "Network error on destination MXs", "No valid route to remote MX",
                     "No valid route to destination", "Temporary failure in MX lookup"),
    "notaccept": ("Destination seem to reject all mails", "No MX found for domain",
                  "No MX found for destination"),
}  # fmt: skip


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an OpenSMTPD bounce; None for anything else."""
    if not _claims(mail):
        return None
    report, _ = split_at(mail.flat, _BOUNDARIES)
    drafts: list[Draft] = []
    started = False
    for line in report.split("\n"):
        if not started:
            started = line.startswith(_START)
            continue
        if line and aligned(line, ("@", " ")):
            address, _, rest = line.partition(":")
            drafts.append(Draft(recipient=address.strip(), diagnosis=rest.strip()))
    for draft in drafts:
        draft.diagnosis = sweep(draft.diagnosis)
        draft.reason = next(
            (r for r, words in _MESSAGES.items() if any(w in draft.diagnosis for w in words)), ""
        )
    return finish(drafts, NAME)


def _claims(mail: Mail) -> bool:
    if "Delivery status notification" in mail.subject or "Mailer Daemon <" in mail.sender:
        return True
    return any(" (OpenSMTPD) with " in r for r in mail.headers.get("received", []))
