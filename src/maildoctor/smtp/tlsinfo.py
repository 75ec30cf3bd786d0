"""TLS contexts, what a handshake negotiated, and what the certificate says.

Verification itself is OpenSSL's (a verifying context on the first attempt);
this module only describes the outcome. When the caller chooses to carry on
past a certificate problem (``--no-verify``, or opportunistic TLS to an MX), the
unverified certificate is parsed here so the report can still say *why* it
would not verify: expired, not yet valid, wrong names, self-signed.

Parsing DER needs ``cryptography``; without it, details are simply left out.
"""

from __future__ import annotations

import functools
import ipaddress
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "CertificateInfo",
    "TlsInfo",
    "client_context",
    "describe_verify_error",
    "hostname_matches",
    "parse_certificate",
    "tls_info",
]

#: OpenSSL X509_V_ERR codes -> (short reason, text). From openssl/x509_vfy.h.
VERIFY_ERRORS: dict[int, tuple[str, str]] = {
    2: ("unknown_issuer", "the issuer certificate could not be found"),
    9: ("not_yet_valid", "the certificate is not yet valid"),
    10: ("expired", "the certificate has expired"),
    18: ("self_signed", "the certificate is self-signed"),
    19: ("self_signed_chain", "the chain ends in a self-signed certificate that is not trusted"),
    20: ("unknown_issuer", "the issuer is not a trusted certificate authority"),
    21: ("unknown_issuer", "the chain is incomplete (no intermediate to a trusted root)"),
    62: ("name_mismatch", "the certificate is not valid for this host name"),
    64: ("name_mismatch", "the certificate is not valid for this IP address"),
}


def describe_verify_error(code: int, message: str = "") -> tuple[str, str]:
    """(reason, text) for an OpenSSL verify error code."""
    return VERIFY_ERRORS.get(code, ("invalid", message or "the certificate did not verify"))


def client_context(*, verify: bool = True, ca_file: str | None = None) -> ssl.SSLContext:
    """A client context: system trust store plus ``ca_file``; or no verification at all.

    Contexts are shared (loading the system trust store costs tens of milliseconds, more
    than a loopback SMTP dialogue); callers must not modify them.

    Raises:
        OSError / ssl.SSLError: when ``ca_file`` cannot be read (the CLI reports it).
    """
    return _client_context(verify, ca_file)


@functools.lru_cache(maxsize=16)
def _client_context(verify: bool, ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificateInfo:
    """What the leaf certificate says.

    Attributes:
        subject: The subject's common name, or the whole subject.
        issuer: The issuer's common name or organisation.
        names: DNS and IP subject alternative names.
        not_before / not_after: Validity period, UTC.
        self_signed: Subject equals issuer.
    """

    subject: str
    issuer: str
    names: tuple[str, ...]
    not_before: datetime | None
    not_after: datetime | None
    self_signed: bool

    def days_left(self, now: float) -> float | None:
        if self.not_after is None:
            return None
        return (self.not_after.timestamp() - now) / 86400

    def expired(self, now: float) -> bool:
        days = self.days_left(now)
        return days is not None and days < 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "names": list(self.names),
            "not_before": self.not_before.isoformat() if self.not_before else None,
            "not_after": self.not_after.isoformat() if self.not_after else None,
            "self_signed": self.self_signed,
        }

    @classmethod
    def from_dict(cls, raw: Any) -> CertificateInfo | None:
        """Read :meth:`to_dict` back (a recorded transcript); None if it is not one."""
        if not isinstance(raw, dict):
            return None
        return cls(
            subject=str(raw.get("subject", "")),
            issuer=str(raw.get("issuer", "")),
            names=tuple(str(n) for n in raw.get("names", []) if isinstance(n, str)),
            not_before=_when(raw.get("not_before")),
            not_after=_when(raw.get("not_after")),
            self_signed=bool(raw.get("self_signed")),
        )


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class TlsInfo:
    """What one handshake negotiated.

    Attributes:
        version: ``TLSv1.3``...
        cipher: The cipher suite name.
        verified: Whether the chain and name were verified by OpenSSL.
        certificate: The leaf, parsed (None if it could not be).
        chain: Subjects of the certificates the server sent, leaf first.
        chain_der: The certificates the server sent, DER, leaf first (for DANE, RFC 7672);
            only the leaf when the chain cannot be read.
    """

    version: str
    cipher: str
    verified: bool
    certificate: CertificateInfo | None
    chain: tuple[str, ...]
    chain_der: tuple[bytes, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "cipher": self.cipher,
            "verified": self.verified,
            "certificate": self.certificate.to_dict() if self.certificate else None,
            "chain": list(self.chain),
        }

    @classmethod
    def from_dict(cls, raw: Any) -> TlsInfo | None:
        """Read :meth:`to_dict` back (a recorded transcript); None if it is not one."""
        if not isinstance(raw, dict):
            return None
        chain = raw.get("chain", [])
        return cls(
            version=str(raw.get("version", "?")),
            cipher=str(raw.get("cipher", "?")),
            verified=bool(raw.get("verified")),
            certificate=CertificateInfo.from_dict(raw.get("certificate")),
            chain=tuple(str(c) for c in chain) if isinstance(chain, list) else (),
        )


def tls_info(obj: ssl.SSLObject, *, verified: bool) -> TlsInfo:
    """Describe a completed handshake."""
    cipher = obj.cipher()
    der = obj.getpeercert(binary_form=True)
    return TlsInfo(
        version=obj.version() or "?",
        cipher=cipher[0] if cipher else "?",
        verified=verified,
        certificate=parse_certificate(der) if der else None,
        chain=_chain_subjects(obj),
        chain_der=_chain_der(obj) or ((der,) if der else ()),
    )


def _chain_der(obj: ssl.SSLObject) -> tuple[bytes, ...]:
    """The chain as sent, DER (private API before Python 3.13; optional)."""
    inner = getattr(obj, "_sslobj", obj)
    getter = getattr(inner, "get_unverified_chain", None)
    if getter is None:
        return ()
    try:
        return tuple(cert.public_bytes(ssl._ssl.ENCODING_DER) for cert in getter() or [])  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - descriptive extra only
        return ()


def _chain_subjects(obj: ssl.SSLObject) -> tuple[str, ...]:
    """Subjects of the chain as sent (private API before Python 3.13; optional)."""
    inner = getattr(obj, "_sslobj", obj)
    getter = getattr(inner, "get_unverified_chain", None)
    if getter is None:
        return ()
    try:
        chain = getter() or []
        return tuple(_subject_of(cert.public_bytes(ssl._ssl.ENCODING_DER)) for cert in chain)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - descriptive extra only
        return ()


def _subject_of(der: bytes) -> str:
    info = parse_certificate(der)
    return info.subject if info else "?"


def parse_certificate(der: bytes) -> CertificateInfo | None:
    """Parse a DER certificate; None when it cannot be parsed (or cryptography is absent)."""
    try:
        from cryptography import x509
        from cryptography.x509.oid import NameOID
    except ImportError:  # pragma: no cover - cryptography ships with the testing extras
        return None
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    return CertificateInfo(
        subject=_name_text(cert.subject, NameOID.COMMON_NAME),
        issuer=_name_text(cert.issuer, NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME),
        names=_alt_names(cert),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        self_signed=cert.subject == cert.issuer,
    )


def _name_text(name: Any, *oids: Any) -> str:
    for oid in oids:
        attrs = name.get_attributes_for_oid(oid)
        if attrs:
            return str(attrs[0].value)
    return str(name.rfc4514_string())


def _alt_names(cert: Any) -> tuple[str, ...]:
    from cryptography import x509

    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ()
    dns_names = [str(n) for n in ext.get_values_for_type(x509.DNSName)]
    ips = [str(ip) for ip in ext.get_values_for_type(x509.IPAddress)]
    return tuple(dns_names + ips)


def hostname_matches(host: str, names: Sequence[str]) -> bool:
    """RFC 6125 6.4: exact match, or a wildcard in the left-most label only."""
    host = host.rstrip(".").lower()
    try:
        ip = ipaddress.ip_address(host)
        return any(_same_ip(ip, n) for n in names)
    except ValueError:
        pass
    return any(_dns_match(host, n.rstrip(".").lower()) for n in names)


def _same_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, name: str) -> bool:
    try:
        return ipaddress.ip_address(name) == ip
    except ValueError:
        return False


def _dns_match(host: str, pattern: str) -> bool:
    if not pattern.startswith("*."):
        return host == pattern
    # RFC 6125 6.4.3: "*" matches exactly one whole label, never a partial one here.
    head, _, rest = host.partition(".")
    return bool(head) and rest == pattern[2:]
