"""Transport layer: can mail reach the recipient's servers, safely?"""

from __future__ import annotations

from ..model import Layer
from . import _refs as R
from ._model import Entry

ENTRIES = (
    Entry(
        id="transport.port25_blocked",
        layer=Layer.TRANSPORT,
        title="This network blocks outbound port 25, so the recipient's servers were not tested",
        explanation=(
            "No MX host of the recipient answered on port 25 from here, although several were "
            "tried: the network (home ISP, most clouds, EC2 by default) blocks or throttles "
            "outbound SMTP. This limits maildoctor's view; it is *not* why mail sent through "
            "SES fails, because SES connects to the recipient from its own network."
        ),
        fix=(
            "To test the recipient's servers, run `maildoctor mx <recipient-domain>` from a "
            "network that allows port 25.",
            "If you run your own MTA here: send through a relay on port 587 (SES SMTP), or ask "
            'the provider to lift the block (EC2: the "Request to remove email sending '
            'limitations" form).',
        ),
        does_not_fix=("Anything about mail that leaves through SES or another relay.",),
        references=(R.RFC5321_REPLY, R.SES_SMTP_CONNECT),
    ),
    Entry(
        id="transport.mx.starttls_missing",
        layer=Layer.TRANSPORT,
        title="The recipient's mail server does not offer STARTTLS",
        explanation=(
            "The MX host accepts mail only in clear text. Senders that require TLS (an SES "
            "configuration set with TlsPolicy REQUIRE, MTA-STS `mode: enforce`, DANE) will not "
            "deliver to it; others deliver unencrypted."
        ),
        fix=(
            "Recipient's administrator: enable STARTTLS with a valid certificate for the MX "
            "host name.",
            "Sender, if delivery must go ahead meanwhile: `aws sesv2 "
            "put-configuration-set-delivery-options --configuration-set-name <set> "
            "--tls-policy OPTIONAL --region <region>` (mail to that host then travels "
            "unencrypted).",
        ),
        does_not_fix=("Authentication or reputation rejections by the same server.",),
        references=(R.RFC3207, R.RFC8461, R.SES_TLS_POLICY),
    ),
)
