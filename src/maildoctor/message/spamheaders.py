"""Receivers' spam verdicts decoded into words.

Microsoft 365 / Exchange Online Protection stamps ``X-Forefront-Antispam-Report``
(``KEY:value;`` pairs), ``X-Microsoft-Antispam`` (``BCL:``) and ``compauth=`` in
its Authentication-Results. The meanings below follow Microsoft's "Anti-spam
message headers in Microsoft 365" (learn.microsoft.com/defender-office-365/
message-headers-eop-mdo); fields it does not describe (``SFS``, ``ARA``...) are
internal to Microsoft and reported as such. Google stamps ``X-Gm-Spam`` and
``X-Gm-Phishy`` (0/1) and Takeout exports carry ``X-Gmail-Labels``; SpamAssassin
and compatible filters stamp ``X-Spam-Status``/``X-Spam-Flag``.

Every table is data: correct a meaning in one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .headers import ParsedMessage

__all__ = [
    "SpamVerdict",
    "decode_compauth",
    "decode_spam_headers",
    "parse_forefront",
]

MS_DOC = "Microsoft: Anti-spam message headers in Microsoft 365 (message-headers-eop-mdo)"

SFV = {
    "BLK": "blocked: the sender is on the recipient's Blocked Senders list",
    "NSPM": "not spam: delivered to the recipient",
    "SFE": "filtering skipped: the sender is on the recipient's Safe Senders list",
    "SKA": "filtering skipped: the sender is on an anti-spam policy's allowed senders/domains",
    "SKB": "marked as spam: the sender is on an anti-spam policy's blocked senders/domains",
    "SKI": "filtering skipped: intra-organization sender on the Safe Senders list",
    "SKN": "marked as not spam before filtering (for example a mail flow rule)",
    "SKQ": "released from quarantine to the recipient",
    "SKS": "marked as spam before filtering (for example a mail flow rule)",
    "SPM": "marked as spam by spam filtering",
}
CAT = {
    "AMP": "anti-malware policy",
    "BIMP": "brand impersonation",
    "BULK": "bulk mail",
    "DIMP": "domain impersonation",
    "FTBP": "anti-malware file type block",
    "GIMP": "mailbox-intelligence impersonation",
    "HPHSH": "high confidence phishing",
    "HPHISH": "high confidence phishing",
    "HSPM": "high confidence spam",
    "INTOS": "intra-organization phishing",
    "MALW": "malware",
    "OSPM": "outbound spam",
    "PHSH": "phishing",
    "SAP": "Safe Attachments",
    "SPM": "spam",
    "SPOOF": "spoofing",
    "UIMP": "user impersonation",
    "NONE": "no protection category applied",
}
IPV = {
    "CAL": "filtering skipped: the source IP is on the IP Allow List",
    "NLI": "the source IP is not on any IP reputation list",
}
DIR = {"INB": "inbound", "OUT": "outbound", "INT": "internal"}
SFTY = {"9.19": "domain impersonation", "9.20": "user impersonation"}
FIELD_NAMES = {
    "CIP": "connecting IP",
    "CTRY": "source country",
    "LANG": "message language",
    "H": "HELO/EHLO name of the connecting server",
    "PTR": "reverse DNS of the connecting IP",
    "SCL": "spam confidence level",
    "SFV": "spam filtering verdict",
    "CAT": "protection category",
    "IPV": "IP reputation",
    "DIR": "direction",
    "SRV": "bulk service",
    "SFTY": "safety tip",
    "SFS": "spam rules matched (internal to Microsoft)",
    "BCL": "bulk complaint level",
}
#: Verdict words whose presence means the receiver treated the message as unwanted.
SPAM_SFV = frozenset({"SPM", "SKS", "SKB", "BLK"})
SPAM_CAT = frozenset(
    {
        "SPM",
        "HSPM",
        "PHSH",
        "HPHSH",
        "HPHISH",
        "SPOOF",
        "BULK",
        "MALW",
        "DIMP",
        "UIMP",
        "GIMP",
        "BIMP",
        "INTOS",
    }
)

#: compauth reason codes (first digit classes, Microsoft doc "compauth").
COMPAUTH_REASONS: Sequence[tuple[str, str]] = (
    ("000", "explicit authentication failure: DMARC failed with a quarantine or reject policy"),
    (
        "001",
        "implicit authentication failure: the domain publishes no (or only weak) "
        "authentication, e.g. SPF softfail/neutral or DMARC p=none",
    ),
    ("002", "the organization blocks this sender/domain pair from sending spoofed mail"),
    (
        "010",
        "DMARC failed with quarantine/reject for one of the recipient's own accepted "
        "domains (self-to-self spoofing)",
    ),
    ("1", "passed composite authentication"),
    ("7", "passed composite authentication"),
    ("2", "soft-passed implicit authentication"),
    ("3", "composite authentication was not checked"),
    ("4", "composite authentication was bypassed"),
    ("9", "composite authentication was bypassed"),
    ("6", "failed implicit authentication for one of the recipient's own accepted domains"),
)


def scl_meaning(scl: int) -> str:
    """What a spam confidence level means (Microsoft doc "SCL")."""
    if scl == -1:
        return "spam filtering skipped (safe sender, allow list or mail flow rule): inbox"
    if scl in (0, 1):
        return "not spam: inbox"
    if scl in (5, 6):
        return "spam: the policy's spam action (Junk Email folder by default)"
    if scl >= 7:
        return "high confidence spam: the policy's high confidence spam action"
    return "not used by current Exchange Online Protection; treated as not spam"


def bcl_meaning(bcl: int) -> str:
    """What a bulk complaint level means (Microsoft doc "BCL")."""
    if bcl == 0:
        return "not from a bulk sender"
    if bcl <= 3:
        return "bulk sender that generates few complaints"
    if bcl <= 7:
        return "bulk sender that generates a mixed number of complaints"
    return "bulk sender that generates a high number of complaints"


def decode_compauth(result: str, reason: str) -> str:
    """Words for ``compauth=<result> reason=<nnn>``."""
    for prefix, words in COMPAUTH_REASONS:
        if reason.startswith(prefix) and (len(prefix) == 3 or len(reason) == 3):
            return f"compauth={result}: {words} (reason {reason})"
    return f"compauth={result}" + (f" (reason {reason})" if reason else "")


def parse_forefront(value: str) -> dict[str, str]:
    """``KEY:value;KEY:value`` into a dict (upper-case keys, first wins)."""
    pairs: dict[str, str] = {}
    for part in value.split(";"):
        key, sep, text = part.partition(":")
        key = key.strip().upper()
        if sep and key and key not in pairs:
            pairs[key] = text.strip()
    return pairs


@dataclass(frozen=True, slots=True, kw_only=True)
class SpamVerdict:
    """One filter's verdict on the message.

    Attributes:
        source: ``microsoft``, ``google`` or ``spamassassin``.
        header: The header field it came from.
        spam: True if the filter treated the message as unwanted.
        summary: One line.
        words: ``(field, value, meaning)`` for every decoded field.
        cause: A catalogue id when the verdict names a cause.
    """

    source: str
    header: str
    spam: bool
    summary: str
    words: tuple[tuple[str, str, str], ...] = ()
    cause: str = ""
    data: Mapping[str, str] = field(default_factory=dict)


def decode_spam_headers(parsed: ParsedMessage) -> tuple[SpamVerdict, ...]:
    """Every spam verdict the message's header fields carry.

    Args:
        parsed: The parsed header section.

    Returns:
        Verdicts, Microsoft first, then Google, then SpamAssassin-style.
    """
    verdicts: list[SpamVerdict] = []
    forefront = parsed.get("x-forefront-antispam-report")
    if forefront:
        bcl = parse_forefront(parsed.get("x-microsoft-antispam") or "").get("BCL", "")
        verdicts.append(_microsoft(forefront, bcl))
    verdicts.extend(_google(parsed))
    verdicts.extend(_spamassassin(parsed))
    return tuple(verdicts)


def _microsoft(value: str, bcl: str) -> SpamVerdict:
    pairs = parse_forefront(value)
    if bcl:
        pairs["BCL"] = bcl
    words = tuple((k, v, _ms_word(k, v)) for k, v in pairs.items() if v or k in ("SCL", "SFV"))
    scl = _int(pairs.get("SCL", ""))
    sfv = pairs.get("SFV", "").upper()
    cats = {c.strip().upper() for c in pairs.get("CAT", "").split(",") if c.strip()}
    spam = (scl is not None and scl >= 5) or sfv in SPAM_SFV or bool(cats & SPAM_CAT)
    summary = _ms_summary(scl, sfv, cats)
    return SpamVerdict(
        source="microsoft",
        header="X-Forefront-Antispam-Report",
        spam=spam,
        summary=summary,
        words=words,
        cause=_ms_cause(sfv, cats, spam),
        data=pairs,
    )


def _ms_word(key: str, value: str) -> str:
    upper = value.upper()
    tables: Mapping[str, Mapping[str, str]] = {
        "SFV": SFV,
        "IPV": IPV,
        "DIR": DIR,
        "SFTY": SFTY,
    }
    if key in tables:
        return tables[key].get(upper, f"undocumented value {value}")
    if key == "CAT":
        return ", ".join(CAT.get(c.strip().upper(), c) for c in value.split(",") if c.strip())
    number = _int(value)
    if key == "SCL" and number is not None:
        return scl_meaning(number)
    if key == "BCL" and number is not None:
        return bcl_meaning(number)
    return FIELD_NAMES.get(key, "internal to Microsoft")


def _ms_summary(scl: int | None, sfv: str, cats: set[str]) -> str:
    parts = []
    if scl is not None:
        parts.append(f"SCL {scl} ({scl_meaning(scl)})")
    if sfv:
        parts.append(f"SFV:{sfv} ({SFV.get(sfv, 'undocumented')})")
    cats -= {"NONE"}
    if cats:
        parts.append(
            "CAT:" + ",".join(sorted(cats)) + f" ({', '.join(CAT.get(c, c) for c in sorted(cats))})"
        )
    return "Microsoft 365: " + ("; ".join(parts) or "no verdict fields")


def _ms_cause(sfv: str, cats: set[str], spam: bool) -> str:
    if sfv in ("BLK", "SKB"):
        return "recipient.filtered.blocked_sender"
    if sfv == "SKS":
        return "recipient.filtered.mail_flow_rule"
    if "SPOOF" in cats:
        return "recipient.filtered.spoof"
    if cats & {"PHSH", "HPHSH", "HPHISH", "DIMP", "UIMP", "GIMP", "BIMP", "INTOS"}:
        return "recipient.filtered.phish"
    if "BULK" in cats:
        return "recipient.filtered.bulk"
    return "recipient.filtered.spam" if spam else ""


def _google(parsed: ParsedMessage) -> list[SpamVerdict]:
    words: list[tuple[str, str, str]] = []
    spam = phishy = False
    for name, meaning in (
        ("X-Gm-Spam", "Gmail spam verdict"),
        ("X-Gm-Phishy", "Gmail phishing verdict"),
    ):
        value = (parsed.get(name) or "").strip()
        if value:
            words.append((name, value, f"{meaning}: {'yes' if value == '1' else 'no'}"))
            spam = spam or value == "1"
            phishy = phishy or (name == "X-Gm-Phishy" and value == "1")
    labels = parsed.get("X-Gmail-Labels")
    if labels:
        in_spam = "spam" in {lab.strip().lower() for lab in labels.split(",")}
        words.append(("X-Gmail-Labels", labels, "filed in Spam" if in_spam else "Gmail labels"))
        spam = spam or in_spam
    if not words:
        return []
    cause = "recipient.filtered.phish" if phishy else "recipient.filtered.spam" if spam else ""
    summary = "Gmail: " + ("phishing" if phishy else "spam" if spam else "not spam")
    return [
        SpamVerdict(
            source="google",
            header=words[0][0],
            spam=spam,
            summary=summary,
            words=tuple(words),
            cause=cause,
        )
    ]


_SA_STATUS = re.compile(r"^\s*(yes|no)\b.*?score=(-?[\d.]+).*?required=(-?[\d.]+)", re.I)


def _spamassassin(parsed: ParsedMessage) -> list[SpamVerdict]:
    status = parsed.get("X-Spam-Status")
    flag = (parsed.get("X-Spam-Flag") or "").strip().upper()
    if not status and not flag:
        return []
    match = _SA_STATUS.match(status or "")
    spam = flag == "YES" or bool(match and match.group(1).lower() == "yes")
    tests = re.search(r"tests=([^\s]+(?:\s*,\s*[^\s,]+)*)", status or "")
    words = [("X-Spam-Status", status or "", "SpamAssassin-style verdict")] if status else []
    if flag:
        words.append(("X-Spam-Flag", flag, "flagged as spam" if flag == "YES" else "not flagged"))
    score = f" score {match.group(2)} (threshold {match.group(3)})" if match else ""
    rules = f"; rules: {tests.group(1)}" if tests else ""
    return [
        SpamVerdict(
            source="spamassassin",
            header="X-Spam-Status" if status else "X-Spam-Flag",
            spam=spam,
            summary=f"content filter: {'spam' if spam else 'not spam'}{score}{rules}"[:300],
            words=tuple(words),
            cause="recipient.filtered.spam" if spam else "",
        )
    ]


def _int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None
