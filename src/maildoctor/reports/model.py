"""What receivers' reports say, as frozen data.

Three kinds of report reach a domain owner:

* DMARC aggregate reports (``rua``): XML, per reporting period, one ``<record>`` per
  (source IP, evaluation) with a message count (RFC 7489 appendix C; RFC 9990, the
  DMARCbis aggregate format, namespace ``urn:ietf:params:xml:ns:dmarc-2.0``);
* DMARC failure reports (``ruf``): one ARF message per failing message, with
  ``Feedback-Type: auth-failure`` (RFC 6591, RFC 7489 section 7.3);
* SMTP TLS reports (``TLS-RPT``): JSON, per policy, successful and failed TLS sessions
  of mail *to* the domain (RFC 8460).

Values are kept as the reporter wrote them (lower-cased where the format says the value is
a keyword), so counts and results can be compared with the XML exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "AggregateReport",
    "DkimResult",
    "FailureReport",
    "PolicyPublished",
    "Reason",
    "Record",
    "Report",
    "ReportItem",
    "SpfResult",
    "TlsFailure",
    "TlsPolicy",
    "TlsReport",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class DkimResult:
    """One DKIM signature the receiver evaluated (``auth_results/dkim``)."""

    domain: str
    selector: str = ""
    result: str = ""
    human_result: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SpfResult:
    """The SPF evaluation the receiver made (``auth_results/spf``)."""

    domain: str
    scope: str = ""
    result: str = ""
    human_result: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    """Why the receiver applied another disposition than the policy asked (``reason``)."""

    type: str
    comment: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """One ``<record>``: ``count`` messages from ``source_ip`` evaluated the same way.

    Attributes:
        source_ip: The connecting IP, as written.
        count: Messages in this record, exactly as the XML says.
        disposition: none / quarantine / reject (what the receiver applied).
        dkim: DMARC's DKIM verdict (pass means an *aligned* DKIM pass), ``""`` if absent.
        spf: DMARC's SPF verdict (pass means an *aligned* SPF pass), ``""`` if absent.
        reasons: Policy override reasons (forwarded, mailing_list, local_policy...).
        header_from: The RFC 5322 From domain.
        envelope_from: The RFC 5321 MAIL FROM domain, if reported.
        envelope_to: The recipient domain, if reported.
        dkim_results: Each DKIM signature's raw result.
        spf_results: The raw SPF results (one, or more from old generators).
    """

    source_ip: str
    count: int
    disposition: str = ""
    dkim: str = ""
    spf: str = ""
    reasons: tuple[Reason, ...] = ()
    header_from: str = ""
    envelope_from: str = ""
    envelope_to: str = ""
    dkim_results: tuple[DkimResult, ...] = ()
    spf_results: tuple[SpfResult, ...] = ()

    @property
    def dmarc_pass(self) -> bool:
        """DMARC passed: an aligned DKIM or SPF pass (RFC 7489 section 4.2)."""
        return self.dkim == "pass" or self.spf == "pass"


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyPublished:
    """The DMARC policy the receiver found for the domain (``policy_published``)."""

    domain: str = ""
    p: str = ""
    sp: str = ""
    np: str = ""
    adkim: str = ""
    aspf: str = ""
    pct: str = ""
    fo: str = ""
    testing: str = ""
    discovery_method: str = ""


Schema = Literal["rfc7489", "rfc9990"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AggregateReport:
    """One DMARC aggregate report.

    Attributes:
        org_name: The reporting organization (``Google``, ``Enterprise Outlook``...).
        email: Its contact address.
        report_id: Its unique id.
        begin: Start of the period, seconds since the epoch, if readable.
        end: End of the period.
        policy: The policy it evaluated against.
        records: Every ``<record>``, in document order.
        schema: ``rfc9990`` for the DMARCbis namespace, else ``rfc7489``.
        namespace: The root element's namespace, ``""`` for none.
        version: ``<version>``, if given.
        generator: ``<generator>`` (RFC 9990), if given.
        errors: ``<error>`` texts the reporter included.
        warnings: What was missing or odd in the XML (not fatal).
    """

    org_name: str = ""
    email: str = ""
    extra_contact_info: str = ""
    report_id: str = ""
    begin: int | None = None
    end: int | None = None
    policy: PolicyPublished = PolicyPublished()
    records: tuple[Record, ...] = ()
    schema: Schema = "rfc7489"
    namespace: str = ""
    version: str = ""
    generator: str = ""
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    kind = "aggregate"

    @property
    def messages(self) -> int:
        """Messages over all records."""
        return sum(r.count for r in self.records)

    @property
    def failing(self) -> int:
        """Messages that failed DMARC."""
        return sum(r.count for r in self.records if not r.dmarc_pass)


@dataclass(frozen=True, slots=True, kw_only=True)
class TlsFailure:
    """One ``failure-details`` entry of a TLS report (RFC 8460 section 4.3)."""

    result_type: str
    failed_session_count: int = 0
    sending_mta_ip: str = ""
    receiving_mx_hostname: str = ""
    receiving_mx_helo: str = ""
    receiving_ip: str = ""
    additional_information: str = ""
    failure_reason_code: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TlsPolicy:
    """One ``policies`` entry: a policy and the sessions it governed."""

    policy_type: str
    policy_domain: str
    policy_strings: tuple[str, ...] = ()
    mx_hosts: tuple[str, ...] = ()
    successful: int = 0
    failed: int = 0
    failures: tuple[TlsFailure, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TlsReport:
    """One SMTP TLS report (RFC 8460 section 4)."""

    organization: str = ""
    contact: str = ""
    report_id: str = ""
    start: str = ""
    end: str = ""
    policies: tuple[TlsPolicy, ...] = ()
    warnings: tuple[str, ...] = ()

    kind = "tls"


@dataclass(frozen=True, slots=True, kw_only=True)
class FailureReport:
    """One DMARC failure report: an ARF ``auth-failure`` report (RFC 6591).

    Attributes:
        reporter: Who sent it (the report message's From address).
        auth_failure: ``Auth-Failure`` (dmarc, dkim, spf, bodyhash, revoked, signature...).
        source_ip: ``Source-IP`` of the failing message.
        reported_domain: ``Reported-Domain`` (the domain the report is about).
        header_from: The From domain of the failing message, when its headers came along.
        original_mail_from: ``Original-Mail-From``.
        dkim_domain: ``DKIM-Domain`` (the d= of the failing signature).
        dkim_selector: ``DKIM-Selector``.
        spf_dns: ``SPF-DNS``.
        delivery_result: ``Delivery-Result`` (delivered, spam, policy, reject...).
        identity_alignment: ``Identity-Alignment`` (RFC 7489 section 7.3: dkim, spf, none).
        authentication_results: ``Authentication-Results`` the reporter included.
        arrival_date: ``Arrival-Date``.
        incidents: ``Incidents`` (how many messages this report stands for).
    """

    reporter: str = ""
    auth_failure: str = ""
    source_ip: str = ""
    reported_domain: str = ""
    header_from: str = ""
    original_mail_from: str = ""
    original_rcpt_to: str = ""
    dkim_domain: str = ""
    dkim_selector: str = ""
    spf_dns: str = ""
    delivery_result: str = ""
    identity_alignment: str = ""
    authentication_results: str = ""
    arrival_date: str = ""
    incidents: int = 1
    warnings: tuple[str, ...] = ()

    kind = "failure"


Report = AggregateReport | TlsReport | FailureReport


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportItem:
    """One report read from the input, or why a piece of input is not one.

    Attributes:
        origin: Where it came from: a path, ``path#N`` for the Nth message of an mbox,
            ``path!member`` for a member of a zip archive or an e-mail's attachment.
        report: The report, or None when the input could not be read as one.
        error: One line saying why the input is not a readable report.
        invalid: True when the input looked like a report and could not be read (bad XML,
            a zip bomb...); False for a message that simply carries no report (a human
            reply in the reports mailbox).
    """

    origin: str
    report: Report | None = None
    error: str = ""
    invalid: bool = True

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the report's fields, plus ``origin``, ``kind``, ``error``)."""
        from .render import report_dict

        return report_dict(self)
