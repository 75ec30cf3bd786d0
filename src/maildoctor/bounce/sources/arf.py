"""Abuse Reporting Format feedback reports (RFC 5965): one complaint per report.

A complaint names the *original* recipient who complained (``Original-Rcpt-To``,
else the ``To:`` of the returned message) and a ``Feedback-Type`` (abuse, fraud,
virus, not-spam, other). Reason is always ``feedback``.
"""

from __future__ import annotations

import re

from .._text import clean_address, find_address, sweep
from ..model import DeliveryStatus, Draft
from ..parse import FEEDBACK, Mail, original_header, split_at

NAME = "arf"

_FIELD = re.compile(r"^([A-Za-z-]+):[ \t]*(.*)$", re.M)


def parse(mail: Mail) -> list[DeliveryStatus] | None:
    """Read an ARF report; None for anything else."""
    if not _is_arf(mail):
        return None
    report, original = mail.split()
    before, _, fields_text = report.partition(FEEDBACK)
    fields = _fields(fields_text)
    recipients = _recipients(fields_text, original, mail)
    if not recipients:
        return None
    feedback = fields.get("feedback-type", "abuse").lower() or "abuse"
    remote = fields.get("source-ip", "") or fields.get("reporting-mta", "")
    date = fields.get("arrival-date", "") or fields.get("received-date", "")
    diagnosis = sweep(before.replace("\n", " "))
    drafts = [
        Draft(recipient=r, reason="feedback", feedback_type=feedback, diagnosis=diagnosis,
              rhost=remote.split(";")[-1].strip(), date=date, action="failed")
        for r in recipients
    ]  # fmt: skip
    return [d.freeze(NAME) for d in drafts]


def _is_arf(mail: Mail) -> bool:
    ctype = mail.header("content-type").lower()
    if "report-type=feedback-report" in ctype.replace('"', "").replace(" ", ""):
        return True
    if FEEDBACK in mail.flat:
        return True
    subject = mail.subject.lower()
    return "feedback-type:" in mail.flat.lower() and ("abuse" in subject or "complaint" in subject)


def _fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, value in _FIELD.findall(text.split("\n\n", 1)[0] if text.strip() else ""):
        fields.setdefault(name.lower(), value.strip())
    for name, value in _FIELD.findall(text):
        fields.setdefault(name.lower(), value.strip())
    return fields


def _recipients(fields_text: str, original: str, mail: Mail) -> list[str]:
    found: list[str] = []
    for name, value in _FIELD.findall(fields_text):
        if name.lower() in ("original-rcpt-to", "removal-recipient"):
            address = clean_address(value)
            if address and address not in found:
                found.append(address)
    if found:
        return found
    if not original:
        # Some reports (Hotmail JMRP) put the original inline after the fields.
        _, original = split_at(fields_text, ("\n\n",))
    to = original_header(original, "to") or original_header(original, "delivered-to")
    address = find_address(to) or find_address(mail.header("x-original-to"))
    return [address] if address else []
