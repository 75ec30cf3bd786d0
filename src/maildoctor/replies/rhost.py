"""Provider rules: what a given receiving service means by its own replies (the reason).

Part of the one reply classifier (:mod:`maildoctor.replies`): after local delivery agents
and before the phrase tables, the provider that received the mail decides the reason from
its own codes and words. Each provider's table quotes the provider's words, as Sisimai's
``rhost`` modules do (BSD 2-Clause), and :data:`SOURCES` names the provider document (or,
where a provider publishes none, Sisimai's module). A rule applies only when the recipient
domain or the remote/reporting host belongs to the provider (:data:`HOSTS`). The corpus's
``rhost-*.eml`` samples exercise each table (``tests/bounce/test_corpus_accuracy.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..bounce.codes import reply_valid, status_valid
from .rhost_tables import (
    _AOL,
    _APPLE,
    _CLOUDFLARE,
    _COX,
    _COX_CODES,
    _FACEBOOK,
    _FRANCEPTT_CODES,
    _GODADDY,
    _GODADDY_CODES,
    _GOOGLE,
    _GSUITE,
    _IUA_CODES,
    _KDDI,
    _MESSAGELABS,
    _MICROSOFT,
    _MIMECAST,
    _NTTDOCOMO,
    _OUTLOOK,
    _OUTLOOK_CODES,
    _SPECTRUM,
    _TENCENT,
    _YAHOOINC,
    _ZOHO,
)

__all__ = ["HOSTS", "SOURCES", "Subject", "provider_for", "provider_reason"]


@dataclass(frozen=True, slots=True)
class Subject:
    """What a provider rule reads: codes, text, hosts."""

    status: str
    reply_code: str
    diagnostic: str
    command: str
    destination: str
    rhost: str
    lhost: str


#: Provider -> host-name suffixes that identify it (recipient domain, remote or local host).
HOSTS: dict[str, tuple[str, ...]] = {
    "aol": (".mail.aol.com", ".mx.aol.com"),
    "apple": (".mail.icloud.com", ".apple.com", ".me.com"),
    "cloudflare": (".mx.cloudflare.net",),
    "cox": ("cox.net",),
    "facebook": (".facebook.com",),
    "franceptt": (".laposte.net", ".orange.fr", ".wanadoo.fr"),
    "godaddy": ("smtp.secureserver.net", "mailstore1.secureserver.net"),
    "google": ("aspmx.l.google.com", "gmail-smtp-in.l.google.com"),
    "gsuite": ("googlemail.com",),
    "iua": (".email.ua",),
    "kddi": (".ezweb.ne.jp", "msmx.au.com"),
    "messagelabs": (".messagelabs.com",),
    "microsoft": (".prod.outlook.com", ".protection.outlook.com", ".onmicrosoft.com",
                  ".exchangelabs.com"),
    "mimecast": (".mimecast.com",),
    "nttdocomo": ("mfsmax.docomo.ne.jp",),
    "outlook": (".hotmail.com",),
    "spectrum": ("charter.net",),
    "tencent": (".qq.com",),
    "yahooinc": (".yahoodns.net",),
    "zoho": (".zoho.com", ".zohomail.com"),
}  # fmt: skip


_SISIMAI = "https://github.com/sisimai/rb-sisimai/tree/master/lib/sisimai/rhost"

#: Provider -> the document its table quotes.
SOURCES: dict[str, str] = {
    "aol": _SISIMAI + "/aol.rb",
    "apple": "https://support.apple.com/en-us/102322",
    "cloudflare": "https://developers.cloudflare.com/email-routing/postmaster/",
    "cox": "https://www.cox.com/residential/support/cox-postmaster-email-administration.html",
    "facebook": "https://www.facebook.com/postmaster/response_codes",
    "franceptt": "https://www.postmastery.com/orange-postmaster-smtp-error-codes-ofr/",
    "godaddy": "https://ca.godaddy.com/help/fix-rejected-email-with-a-bounce-error-40685",
    "google": "https://support.google.com/a/answer/3726730",
    "gsuite": _SISIMAI + "/gsuite.rb",
    "iua": "https://mail.i.ua/err/",
    "kddi": "https://www.au.com/support/service/internet/trouble/mail/01/",
    "messagelabs": _SISIMAI + "/messagelabs.rb",
    "microsoft": "https://learn.microsoft.com/exchange/mail-flow-best-practices/"
    "non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online",
    "mimecast": "https://community.mimecast.com/s/article/email-security-cloud-gateway-"
    "mimecast-smtp-error-codes",
    "nttdocomo": _SISIMAI + "/nttdocomo.rb",
    "outlook": "https://substrate.office.com/ip-domain-management-snds/postmaster/troubleshooting",
    "spectrum": "https://www.spectrumbusiness.net/support/internet/understanding-email-error-codes",
    "tencent": "https://service.mail.qq.com/detail/122",
    "yahooinc": "https://senders.yahooinc.com/smtp-error-codes",
    "zoho": "https://www.zoho.com/mail/help/spam-reason.html",
}

_BY_SUFFIX = tuple((suffix, name) for name, suffixes in HOSTS.items() for suffix in suffixes)
_SUFFIXES = tuple(suffix for suffix, _ in _BY_SUFFIX)
_JOINED = "\n" + "\n".join(_SUFFIXES) + "\n"


def provider_for(destination: str, rhost: str, lhost: str) -> str:
    """The provider whose rules apply, checked by recipient domain, then hosts."""
    destination = destination.lower()
    if destination and destination + "\n" in _JOINED:
        for suffix, name in _BY_SUFFIX:
            if suffix.endswith(destination):
                return name
    for host in (rhost.lower(), lhost.lower()):
        if host and host.endswith(_SUFFIXES):
            return next(name for suffix, name in _BY_SUFFIX if host.endswith(suffix))
    return ""


def provider_reason(subject: Subject) -> str:
    """The reason the provider's own rules give, or ``""``."""
    name = provider_for(subject.destination, subject.rhost, subject.lhost)
    if not name or not subject.diagnostic:
        return ""
    return RULES[name](subject)


def _first(table: Mapping[str, tuple[str, ...]], text: str) -> str:
    return next((reason for reason, words in table.items() if any(w in text for w in words)), "")


def _aol(s: Subject) -> str:
    return _first(_AOL, s.diagnostic)


def _apple(s: Subject) -> str:
    return _first(_APPLE, s.diagnostic.lower())


def _cloudflare(s: Subject) -> str:
    return _first(_CLOUDFLARE, s.diagnostic)


def _cox(s: Subject) -> str:
    match = re.search(r"AUP#(\S+)", s.diagnostic + " ")
    if match and match.group(1) in _COX_CODES:
        return _COX_CODES[match.group(1)]
    return _first(_COX, s.diagnostic.lower())


def _facebook(s: Subject) -> str:
    pos = s.diagnostic.find("-")
    if pos < 3:
        return ""
    label = s.diagnostic[pos - 3 : pos + 3]
    return next((r for r, codes in _FACEBOOK.items() if label in codes), "")


def _franceptt(s: Subject) -> str:
    text = s.diagnostic.replace("_", "-").lower()
    for label in ("lpn", "lpnaaa", "ofr", "ouk"):
        pos = text.rfind(label)
        if pos < 0:
            continue
        token = text[pos + len(label) :].split(" ", 1)[0].rstrip(").]")
        for code, reason in _FRANCEPTT_CODES.items():
            if token.endswith(code):
                return reason
        break
    return "authfailure" if "spf/dns de votre nom de domaine" in text else ""


def _godaddy(s: Subject) -> str:
    match = re.search(r" (IB\d{3})\b", s.diagnostic)
    if match and match.group(1) in _GODADDY_CODES:
        return _GODADDY_CODES[match.group(1)]
    return _first(_GODADDY, s.diagnostic.lower())


def _gsuite(s: Subject) -> str:
    klass, reply = s.status[:1], s.reply_code[:1]
    for reason, words in _GSUITE.items():
        if not any(w in s.diagnostic for w in words):
            continue
        if reason == "networkerror" and "5" in (klass, reply):
            continue
        if reason == "hostunknown" and (klass in ("4", "") or reply in ("4", "")):
            continue
        return reason
    return ""


def _iua(s: Subject) -> str:
    match = re.search(r"\.i\.ua/err/(\d+)/", s.diagnostic.lower())
    return _IUA_CODES.get(match.group(1), "") if match else ""


def _kddi(s: Subject) -> str:
    return _first(_KDDI, s.diagnostic.lower())


def _messagelabs(s: Subject) -> str:
    return _first(_MESSAGELABS, s.diagnostic)


def _microsoft(s: Subject) -> str:
    if not status_valid(s.status):
        return ""
    text = s.diagnostic.lower()
    last = int(s.status.rsplit(".", 1)[1])
    for reason, rules in _MICROSOFT.items():
        for code, low, high, phrase in rules:
            if low == high == 0:
                if s.status != code:
                    continue
            elif not (s.status.startswith(code) and low <= last <= high):
                continue
            if phrase in text:
                return reason
    for label, (reply, reason) in _OUTLOOK_CODES.items():
        if label in s.diagnostic and s.reply_code == reply:
            return reason
    return ""


def _mimecast(s: Subject) -> str:
    if not reply_valid(s.reply_code):
        return ""
    text = s.diagnostic.lower()
    for reason, rules in _MIMECAST.items():
        if any(s.reply_code == reply and phrase in text for reply, phrase in rules):
            return reason
    return ""


def _nttdocomo(s: Subject) -> str:
    if s.status in ("5.1.1", "5.0.911"):
        return "userunknown"
    if s.status == "5.2.0":
        return "filtered"
    text = s.diagnostic.lower()
    found = _first(_NTTDOCOMO, text)
    if found:
        return found
    if s.status == "5.0.0" and s.command in ("RCPT", "DATA"):
        # Until 2025-03-12 DOCOMO's reception filters answered "550 Unknown user" after
        # DATA: a refusal of the sender, not a missing mailbox (Sisimai go-sisimai#64).
        return "userunknown" if s.command == "RCPT" else "rejected"
    return "userunknown" if "550 unknown user" in text else ""


def _outlook(s: Subject) -> str:
    return _first(_OUTLOOK, s.diagnostic)


def _spectrum(s: Subject) -> str:
    match = re.search(r"AUP#\D*(\d{4})", s.diagnostic)
    if not match:
        return ""
    number = int(match.group(1))
    return next((r for low, high, r in _SPECTRUM if low <= number <= high), "")


def _tencent(s: Subject) -> str:
    return _first(_TENCENT, s.diagnostic.lower())


def _yahooinc(s: Subject) -> str:
    return _first(_YAHOOINC, s.diagnostic.lower())


def _zoho(s: Subject) -> str:
    return _first(_ZOHO, s.diagnostic)


def _google(s: Subject) -> str:
    if not reply_valid(s.reply_code) or not status_valid(s.status):
        return ""
    text = s.diagnostic.lower()
    reply_tail, status_tail = s.reply_code[1:], s.status[2:]
    for reason, rules in _GOOGLE.items():
        for reply, status, phrase in rules:
            if phrase in text and reply[1:] == reply_tail and status[2:] == status_tail:
                return reason
    return ""


#: Provider -> the function reading its rules.
RULES: dict[str, Callable[[Subject], str]] = {
    "aol": _aol, "apple": _apple, "cloudflare": _cloudflare, "cox": _cox,
    "facebook": _facebook, "franceptt": _franceptt, "godaddy": _godaddy, "google": _google,
    "gsuite": _gsuite, "iua": _iua, "kddi": _kddi, "messagelabs": _messagelabs,
    "microsoft": _microsoft, "mimecast": _mimecast, "nttdocomo": _nttdocomo,
    "outlook": _outlook, "spectrum": _spectrum, "tencent": _tencent, "yahooinc": _yahooinc,
    "zoho": _zoho,
}  # fmt: skip
