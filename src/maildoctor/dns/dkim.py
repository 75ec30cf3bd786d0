"""DKIM public keys in the DNS, for the selectors the user names.

A key lives at ``<selector>._domainkey.<domain>`` as TXT (RFC 6376 section
3.6.2.1), often behind a CNAME to the sending provider - SES Easy DKIM publishes
``<token>._domainkey.<domain> CNAME <token>.dkim.amazonses.com``. Selectors
cannot be listed from the DNS, so only the named ones are checked.

:func:`parse_dkim_key` is pure: tags (RFC 6376 section 3.6.1: ``v h k n p s t``),
key type and size. RSA sizes come from the DER (``cryptography``): under 1024
bits fails (RFC 8301 section 3.2: verifiers must not accept them), under 2048
warns. ``p=`` empty means the key was revoked; ``t=y`` means testing.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any

from ..context import Context
from ..model import Evidence, Finding, FindingMaker, Layer, Status
from .resolver import DnsAnswer

__all__ = ["DkimKey", "check_dkim", "check_selector", "parse_dkim_key", "selector_findings"]

REF_KEY = "RFC 6376 §3.6.1"
REF_SIZE = "RFC 8301 §3.2; RFC 6376 §3.3.3"
MIN_BITS = 1024
GOOD_BITS = 2048
SES_DKIM_SUFFIX = ".dkim.amazonses.com"
_TAG_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_FWS = re.compile(r"[ \t\r\n]+")
_MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class DkimKey:
    """A parsed DKIM key record.

    Attributes:
        raw: The TXT record.
        tags: ``(name, value)`` pairs as written, whitespace removed from ``p``.
        key_type: ``k=`` (default ``rsa``).
        key_bits: Key size in bits, when it could be read.
        hashes: ``h=`` algorithms (empty: any).
        services: ``s=`` service types (default ``*``).
        flags: ``t=`` flags (``y`` testing, ``s`` strict).
        errors: What makes verifiers reject or ignore the key.
        warnings: What is allowed but suspicious.
    """

    raw: str
    tags: tuple[tuple[str, str], ...] = ()
    key_type: str = "rsa"
    key_bits: int | None = None
    public_key: str = ""
    hashes: tuple[str, ...] = ()
    services: tuple[str, ...] = ("*",)
    flags: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def revoked(self) -> bool:
        """An empty ``p=`` revokes the key (RFC 6376 section 3.6.1)."""
        return any(name == "p" for name, _ in self.tags) and not self.public_key

    @property
    def testing(self) -> bool:
        return "y" in self.flags


def looks_like_key(text: str) -> bool:
    """True for TXT strings that try to be DKIM keys (``v=DKIM1`` or a ``p=`` tag)."""
    lowered = text.lower().lstrip()
    return lowered.startswith("v=dkim1") or bool(re.search(r"(^|;)\s*p\s*=", lowered))


@dataclass
class _Parse:
    values: dict[str, str] = field(default_factory=dict)
    tags: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        if len(self.errors) < _MAX_PROBLEMS:
            self.errors.append(text)


def parse_dkim_key(text: str) -> DkimKey:
    """Parse a DKIM key record (RFC 6376 section 3.6.1); never raises.

    Args:
        text: The TXT record, character-strings joined.

    Returns:
        The key with its errors and warnings.
    """
    state = _Parse()
    _split(text, state)
    if "p" not in state.values:
        state.error("no p= tag: a key record must have one")
    _check_version(state)
    key_type = state.values.get("k", "rsa").lower()
    hashes = _colon_list(state.values.get("h", ""))
    services = _colon_list(state.values.get("s", "*")) or ("*",)
    flags = _colon_list(state.values.get("t", ""))
    public = state.values.get("p", "")
    bits = _key_bits(key_type, public, state) if public else None
    _check_hashes(hashes, state)
    _check_services(services, state)
    return DkimKey(
        raw=text,
        tags=tuple(state.tags),
        key_type=key_type,
        key_bits=bits,
        public_key=public,
        hashes=hashes,
        services=services,
        flags=flags,
        errors=tuple(state.errors),
        warnings=tuple(state.warnings),
    )


def _split(text: str, state: _Parse) -> None:
    """``tag=value`` pairs separated by ``;`` (RFC 6376 section 3.2)."""
    for part in text.split(";"):
        part = part.strip(" \t\r\n")
        if not part:
            continue
        name, eq, value = part.partition("=")
        name = name.strip(" \t\r\n")
        if not eq or not _TAG_NAME.match(name):
            state.error(f"{part[:40]!r} is not a tag=value pair")
            continue
        name = name.lower()
        value = _FWS.sub("", value) if name == "p" else value.strip(" \t\r\n")
        if name in state.values:
            state.error(f"{name}= appears twice: the whole record is invalid (RFC 6376 §3.2)")
            continue
        state.values[name] = value
        state.tags.append((name, value))


def _check_version(state: _Parse) -> None:
    version = state.values.get("v")
    if version is None:
        return
    if version != "DKIM1":
        state.error(f"v={version}: must be DKIM1 (verifiers discard the record)")
    elif state.tags[0][0] != "v":
        state.error("v=DKIM1 must be the first tag")


def _colon_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip().lower() for v in value.split(":") if v.strip())


def _key_bits(key_type: str, public: str, state: _Parse) -> int | None:
    try:
        der = base64.b64decode(public, validate=True)
    except (binascii.Error, ValueError):
        state.error("p= is not valid base64")
        return None
    if key_type == "ed25519":  # RFC 8463 section 4.2: the raw 32-byte key
        if len(der) != 32:
            state.error(f"k=ed25519 but p= holds {len(der)} bytes, not 32")
            return None
        return 256
    if key_type != "rsa":
        state.error(f"k={key_type}: unknown key type, verifiers ignore the key")
        return None
    return _rsa_bits(der, state)


#: DER of the rsaEncryption OID, 1.2.840.113549.1.1.1 (RFC 8017 appendix A.1).
_RSA_OID = bytes.fromhex("06092a864886f70d010101")


def _der_item(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER item at pos; ValueError if cut."""
    tag, length = data[pos], data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if not 0 < count <= 4:
            raise ValueError("bad DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("truncated DER")
    return tag, pos, pos + length


def _spki_rsa_bits(der: bytes) -> int | None:
    """Modulus size of an RSA SubjectPublicKeyInfo, or None when it is not one.

    The fast path for the common case, so reading a key needs no crypto library.
    """
    try:
        tag, start, _ = _der_item(der, 0)  # SubjectPublicKeyInfo SEQUENCE
        tag2, alg_start, alg_end = _der_item(der, start)  # AlgorithmIdentifier
        if tag != 0x30 or tag2 != 0x30 or _RSA_OID not in der[alg_start:alg_end]:
            return None
        tag, bits_start, _ = _der_item(der, alg_end)  # BIT STRING, first byte: unused bits
        if tag != 0x03:
            return None
        tag, seq_start, _ = _der_item(der, bits_start + 1)  # RSAPublicKey SEQUENCE
        tag2, n_start, n_end = _der_item(der, seq_start)  # modulus INTEGER
        if tag != 0x30 or tag2 != 0x02:
            return None
        modulus = int.from_bytes(der[n_start:n_end], "big")
    except (IndexError, ValueError):
        return None
    return modulus.bit_length() or None


def _rsa_bits(der: bytes, state: _Parse) -> int | None:
    """RSA modulus size from SubjectPublicKeyInfo (or the bare RSAPublicKey some publish)."""
    fast = _spki_rsa_bits(der)
    if fast is not None:
        return fast
    # Imported here: cryptography costs a tenth of the CLI's start-up when no key is read.
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    try:
        key = load_der_public_key(der)
    except (ValueError, TypeError) as exc:
        state.error(f"p= is not an RSA public key ({type(exc).__name__})")
        return None
    if not isinstance(key, rsa.RSAPublicKey):
        state.error(f"k=rsa but p= holds a key of another type ({_kind(key)})")
        return None
    return int(key.key_size)


def _kind(key: object) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ECDSA"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519 (SPKI)"
    return "non-RSA"


def _check_hashes(hashes: tuple[str, ...], state: _Parse) -> None:
    if hashes and "sha256" not in hashes:
        state.error(
            f"h={':'.join(hashes)}: only sha256 may be used (RFC 8301 §3.1), so no "
            "signature can verify with this key"
        )


def _check_services(services: tuple[str, ...], state: _Parse) -> None:
    if "*" not in services and "email" not in services:
        state.error(f"s={':'.join(services)}: the key is not for email (needs * or email)")


# -- the check ----------------------------------------------------------------------


_finding = FindingMaker("dns.dkim", Layer.DNS, REF_KEY)


async def check_dkim(
    domain: str, selectors: tuple[str, ...] | list[str], *, ctx: Context
) -> tuple[Finding, ...]:
    """Check the key of every named selector, concurrently.

    Args:
        domain: The signing domain (``d=``).
        selectors: Validated selectors; when empty a ``skipped`` finding says why.
        ctx: The run's context.

    Returns:
        The findings, per selector.
    """
    if not selectors:
        return (_no_selectors(domain),)
    results = await asyncio.gather(*(check_selector(domain, s, ctx=ctx) for s in selectors))
    return tuple(f for findings in results for f in findings)


def _no_selectors(domain: str) -> Finding:
    return _finding(
        "key",
        Status.SKIPPED,
        domain,
        "no DKIM selector given: keys cannot be listed from the DNS",
        detail="Name the selectors with --selector (from a DKIM-Signature's s= tag, or the "
        "three SES Easy DKIM tokens).",
    )


async def check_selector(domain: str, selector: str, *, ctx: Context) -> tuple[Finding, ...]:
    """Look up and judge one selector's key (CNAMEs followed by the resolver)."""
    answer = await ctx.resolver.query(f"{selector}._domainkey.{domain}", "TXT")
    return selector_findings(domain, selector, answer)


def selector_findings(domain: str, selector: str, answer: DnsAnswer) -> tuple[Finding, ...]:
    """Pure: the findings for one selector's TXT answer."""
    name = f"{selector}._domainkey.{domain}"
    evidence = (answer.evidence(),)
    if not answer.ok:
        return (_lookup_error(name, answer, evidence),)
    if answer.void:
        return (_missing(name, answer, evidence),)
    keys = [r for r in answer.records if looks_like_key(r)]
    if not keys:
        return (_not_a_key(name, answer, evidence),)
    key = parse_dkim_key(keys[0])
    findings = [_key_finding(name, key, answer, evidence)]
    if len(keys) > 1:
        findings.append(_multiple(name, keys, evidence))
    if not key.errors and not key.revoked:
        findings.append(_length_finding(name, key, evidence))
    if key.testing:
        findings.append(_testing_finding(name, evidence))
    return tuple(findings)


def _provider(answer: DnsAnswer) -> str:
    return "amazonses" if answer.target.endswith(SES_DKIM_SUFFIX) else ""


def _lookup_error(name: str, answer: DnsAnswer, evidence: tuple[Evidence, ...]) -> Finding:
    return _finding(
        "key",
        Status.ERROR,
        name,
        f"could not look up {name}: {answer.describe()}",
        detail="Not the same as a missing key: the DNS gave no definite answer.",
        evidence=evidence,
        fix="Retry, or check the nameservers for this name.",
    )


def _missing(name: str, answer: DnsAnswer, evidence: tuple[Evidence, ...]) -> Finding:
    detail = f"{name} TXT: {answer.describe()}."
    if answer.cname_chain:
        detail += f" It is a CNAME to {answer.target}, which has no key."
        if _provider(answer):
            detail += (
                " That is an SES Easy DKIM token: SES no longer has it (identity deleted, "
                "DKIM regenerated, or set up in another region)."
            )
    return _finding(
        "key",
        Status.FAIL,
        name,
        f"no DKIM key at {name}",
        detail=detail,
        evidence=evidence,
        fix="Publish the selector's key (for SES Easy DKIM: the three CNAMEs SES lists for "
        "the domain identity), or sign with a selector that exists.",
        cause="dns.dkim.key_missing",
        data={"cname_chain": list(answer.cname_chain)},
    )


def _not_a_key(name: str, answer: DnsAnswer, evidence: tuple[Evidence, ...]) -> Finding:
    sample = answer.records[0][:80] if answer.records else ""
    return _finding(
        "key",
        Status.FAIL,
        name,
        f"{name} has TXT records but none is a DKIM key",
        detail=f"First record: {sample!r}",
        evidence=evidence,
        fix="Publish a v=DKIM1; k=rsa; p=<base64 key> record at this name.",
        cause="dns.dkim.key_syntax",
    )


def _key_finding(
    name: str, key: DkimKey, answer: DnsAnswer, evidence: tuple[Evidence, ...]
) -> Finding:
    data = _key_data(key, answer)
    if key.errors:
        return _finding(
            "key",
            Status.FAIL,
            name,
            f"DKIM key at {name} is invalid: {key.errors[0]}",
            detail="\n".join(key.errors),
            evidence=evidence,
            data=data,
            fix="Republish the key exactly as the signer provides it.",
            cause="dns.dkim.key_syntax",
        )
    if key.revoked:
        return _finding(
            "key",
            Status.FAIL,
            name,
            f"DKIM key at {name} is revoked (empty p=)",
            detail="Every signature made with this selector fails verification.",
            evidence=evidence,
            data=data,
            cause="dns.dkim.key_missing",
            fix="Sign with a current selector, or publish the key again.",
        )
    via = " (SES Easy DKIM)" if data["provider"] == "amazonses" else ""
    bits = f"{key.key_bits}-bit " if key.key_bits else ""
    return _finding(
        "key",
        Status.PASS,
        name,
        f"DKIM key at {name}: {bits}{key.key_type}{via}",
        evidence=evidence,
        data=data,
    )


def _key_data(key: DkimKey, answer: DnsAnswer) -> dict[str, Any]:
    return {
        "key_type": key.key_type,
        "key_bits": key.key_bits,
        "flags": list(key.flags),
        "hashes": list(key.hashes),
        "cname_chain": list(answer.cname_chain),
        "provider": _provider(answer),
        "warnings": list(key.warnings),
    }


def _multiple(name: str, keys: list[str], evidence: tuple[Evidence, ...]) -> Finding:
    return _finding(
        "multiple",
        Status.WARN,
        name,
        f"{len(keys)} key records at {name}",
        detail="Verifiers may pick any of them (RFC 6376 §3.6.2.2); signatures made with the "
        "other key fail at random.",
        evidence=evidence,
        reference="RFC 6376 §3.6.2.2",
        fix="Keep exactly one key record.",
    )


def _length_finding(name: str, key: DkimKey, evidence: tuple[Evidence, ...]) -> Finding:
    data = {"key_type": key.key_type, "key_bits": key.key_bits}
    if key.key_type == "ed25519":
        return _finding(
            "key_length",
            Status.INFO,
            name,
            "ed25519 key (RFC 8463)",
            detail="Not every verifier supports ed25519; sign with an RSA key as well.",
            evidence=evidence,
            reference="RFC 8463 §3",
            data=data,
        )
    bits = key.key_bits or 0
    if bits < MIN_BITS:
        return _finding(
            "key_length",
            Status.FAIL,
            name,
            f"{bits}-bit RSA key: verifiers reject keys under {MIN_BITS} bits",
            evidence=evidence,
            reference=REF_SIZE,
            data=data,
            cause="dns.dkim.key_weak",
            fix=f"Generate a {GOOD_BITS}-bit key, publish it under a new selector, switch.",
        )
    if bits < GOOD_BITS:
        return _finding(
            "key_length",
            Status.WARN,
            name,
            f"{bits}-bit RSA key: weaker than the recommended {GOOD_BITS} bits",
            evidence=evidence,
            reference=REF_SIZE,
            data=data,
            fix=f"Rotate to a {GOOD_BITS}-bit key under a new selector.",
        )
    return _finding(
        "key_length",
        Status.PASS,
        name,
        f"{bits}-bit RSA key",
        evidence=evidence,
        reference=REF_SIZE,
        data=data,
    )


def _testing_finding(name: str, evidence: tuple[Evidence, ...]) -> Finding:
    return _finding(
        "testing",
        Status.WARN,
        name,
        "t=y: the key is in testing mode",
        detail="Verifiers may treat failing signatures as unsigned mail (RFC 6376 §3.6.1).",
        evidence=evidence,
        fix="Remove t=y once signing works.",
    )
