"""DKIM signatures (RFC 6376) and ARC chains (RFC 8617) verified with dkimpy.

dkimpy looks keys up through a *synchronous* ``dnsfunc(name, timeout)``. So the
keys are fetched first, all at once, through maildoctor's async resolver
(:func:`prefetch_keys` - every ``<s>._domainkey.<d>`` named by a DKIM-Signature,
ARC-Seal or ARC-Message-Signature), and dkimpy gets :class:`PrefetchedKeys`,
whose ``dnsfunc`` answers from that map and never touches the network. The
lookups keep their evidence, and a key lookup that failed (timeout, SERVFAIL)
becomes ``temperror`` instead of looking like a bad signature (RFC 6376
section 6.1.2, "TEMPFAIL").

Result vocabulary is RFC 8601 section 2.7.1 (``pass``, ``fail``, ``neutral``,
``policy``, ``temperror``, ``permerror``) plus ``skipped`` when dkimpy cannot
check the algorithm here (ed25519 without PyNaCl).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import dkim

from ..dns.resolver import DnsAnswer, Outcome, Resolver
from .headers import ParsedMessage, parse_tag_list

__all__ = [
    "ArcInstance",
    "ArcVerdict",
    "DkimVerdict",
    "PrefetchedKeys",
    "key_names",
    "prefetch_keys",
    "verify_arc",
    "verify_arc_with",
    "verify_dkim",
    "verify_dkim_with",
]

log = logging.getLogger(__name__)

#: RFC 8301 section 3.2: RSA keys under 1024 bits MUST NOT be accepted.
MIN_KEY_BITS = 1024
#: Bound on signatures verified per message (DESIGN.md "Safety").
MAX_SIGNATURES = 20

_SIGNATURE_FIELDS = ("dkim-signature", "arc-seal", "arc-message-signature")


def key_names(parsed: ParsedMessage, kinds: Iterable[str] = _SIGNATURE_FIELDS) -> tuple[str, ...]:
    """Every key name ``<s>._domainkey.<d>`` the given signature fields point to, in order."""
    wanted = frozenset(kinds)
    names: dict[str, None] = {}
    for f in parsed.fields:
        if f.key in wanted:
            tags = parse_tag_list(f.value)
            selector, domain = tags.get("s", ""), tags.get("d", "")
            if selector and domain:
                names[_key_name(selector, domain)] = None
    return tuple(names)[: MAX_SIGNATURES * 3]


def _key_name(selector: str, domain: str) -> str:
    return f"{selector}._domainkey.{domain}".rstrip(".").lower()


async def prefetch_keys(names: Iterable[str], *, resolver: Resolver) -> PrefetchedKeys:
    """Ask for every key TXT record at once.

    Args:
        names: Key names (``sel._domainkey.example.com``).
        resolver: maildoctor's resolver.

    Returns:
        The answers, ready to serve dkimpy.
    """
    unique = list(dict.fromkeys(n.rstrip(".").lower() for n in names))
    answers = await asyncio.gather(*(resolver.query(n, "TXT") for n in unique))
    return PrefetchedKeys(dict(zip(unique, answers, strict=True)))


class PrefetchedKeys:
    """Serves dkimpy's ``dnsfunc`` from answers fetched beforehand.

    Attributes:
        answers: ``{key name: DnsAnswer}``.
        asked: Names dkimpy asked for, in order.
    """

    def __init__(self, answers: Mapping[str, DnsAnswer]) -> None:
        self.answers = dict(answers)
        self.asked: list[str] = []

    def dnsfunc(self, name: bytes | str, timeout: float = 5) -> bytes | None:
        """dkimpy's lookup hook: the key record, None for "no key", raises on failure.

        Raises:
            dkim.DnsTimeoutError: when the prefetched lookup did not reach a
                definite answer, so dkimpy reports it rather than "no key".
        """
        key = _decode_name(name)
        if key is None:
            return None
        self.asked.append(key)
        answer = self.answers.get(key)
        if answer is None or answer.void or answer.outcome is Outcome.INVALID:
            return None
        if not answer.ok:
            raise dkim.DnsTimeoutError(f"{key}: {answer.describe()}")
        return _pick_key(answer.records).encode("utf-8", "replace")

    def answer_for(self, selector: str, domain: str) -> DnsAnswer | None:
        return self.answers.get(_key_name(selector, domain))


def _decode_name(name: bytes | str) -> str | None:
    try:
        text = name.decode("ascii") if isinstance(name, bytes) else name
    except UnicodeDecodeError:
        return None
    return text.rstrip(".").lower()


def _pick_key(records: Iterable[str]) -> str:
    """Several TXT records at one name: use the one with ``p=`` (RFC 6376 section 3.6.2.2)."""
    records = list(records)
    for record in records:
        if "p=" in record.replace(" ", ""):
            return record
    return records[0] if records else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DkimVerdict:
    """The verdict on one DKIM-Signature.

    Attributes:
        index: 0 = topmost DKIM-Signature.
        domain: ``d=``.
        selector: ``s=``.
        algorithm: ``a=``.
        identity: ``i=``, if any.
        signed_headers: ``h=`` as a list.
        result: RFC 8601 result word, or ``skipped``.
        reason: Why, in words.
        key_bits: Size of the key that was used, if one was loaded.
        key_answer: The DNS lookup of the key, if one was made.
        b_prefix: First 8 characters of ``b=`` (RFC 6008 ``header.b``).
    """

    index: int
    domain: str
    selector: str
    algorithm: str = ""
    identity: str = ""
    signed_headers: tuple[str, ...] = ()
    result: str
    reason: str = ""
    key_bits: int | None = None
    key_answer: DnsAnswer | None = None
    b_prefix: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "d": self.domain,
            "s": self.selector,
            "a": self.algorithm,
            "i": self.identity,
            "h": list(self.signed_headers),
            "result": self.result,
            "reason": self.reason,
            "key_bits": self.key_bits,
            "b": self.b_prefix,
        }


class _Capture(logging.Handler):
    """Collects dkimpy's error messages: it logs some failures instead of raising."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.messages.append(record.getMessage())


def _capture_logger() -> tuple[logging.Logger, _Capture]:
    logger = logging.Logger("maildoctor.dkimpy")  # not registered: private to this call
    handler = _Capture()
    logger.addHandler(handler)
    return logger, handler


def verify_dkim_with(
    raw: bytes, parsed: ParsedMessage, keys: PrefetchedKeys
) -> tuple[DkimVerdict, ...]:
    """Verify every DKIM-Signature of ``raw`` with keys from ``keys`` (no I/O).

    Args:
        raw: The whole message, as received.
        parsed: Its parsed header section (for the signatures' tags).
        keys: Prefetched key records.

    Returns:
        One verdict per signature, topmost first.
    """
    signatures = parsed.get_all("dkim-signature")[:MAX_SIGNATURES]
    return tuple(
        _verify_one(raw, idx, parse_tag_list(f.value), keys) for idx, f in enumerate(signatures)
    )


def _verify_one(raw: bytes, idx: int, tags: Mapping[str, str], keys: PrefetchedKeys) -> DkimVerdict:
    base = _verdict_base(idx, tags, keys)
    logger, capture = _capture_logger()
    checker: dkim.DKIM | None = None
    try:
        checker = dkim.DKIM(raw, logger=logger, minkey=MIN_KEY_BITS)
        ok = bool(checker.verify(idx=idx, dnsfunc=keys.dnsfunc))
    except dkim.DKIMException as exc:
        result, reason = _from_exception(exc)
    except Exception as exc:  # noqa: BLE001 - dkimpy on hostile input: a verdict, not a crash
        log.debug("dkimpy failed on signature %d", idx, exc_info=True)
        result, reason = "permerror", f"unverifiable: {exc!r}"[:200]
    else:
        result, reason = (
            ("pass", "signature verified") if ok else _from_false(base.key_answer, capture.messages)
        )
    return replace(base, result=result, reason=reason, key_bits=_bits(checker))


def _verdict_base(idx: int, tags: Mapping[str, str], keys: PrefetchedKeys) -> DkimVerdict:
    domain, selector = tags.get("d", "").lower(), tags.get("s", "")
    return DkimVerdict(
        index=idx,
        domain=domain,
        selector=selector,
        algorithm=tags.get("a", ""),
        identity=tags.get("i", ""),
        signed_headers=tuple(h.strip().lower() for h in tags.get("h", "").split(":") if h),
        key_answer=keys.answer_for(selector, domain) if selector and domain else None,
        b_prefix=tags.get("b", "")[:8],
        result="",
    )


def _bits(checker: dkim.DKIM | None) -> int | None:
    bits = getattr(checker, "keysize", None) if checker is not None else None
    return bits if isinstance(bits, int) and bits > 0 else None


def _from_exception(exc: dkim.DKIMException) -> tuple[str, str]:
    text = str(exc)
    if isinstance(exc, dkim.NaClNotFoundError):
        return "skipped", "ed25519 signatures need PyNaCl, not installed"
    if "body hash mismatch" in text:
        return "fail", "body hash mismatch: the body changed after signing"
    if "too small" in text:
        return "permerror", f"RSA key under {MIN_KEY_BITS} bits (RFC 8301 section 3.2)"
    return "permerror", text[:200] or type(exc).__name__


def _from_false(answer: DnsAnswer | None, messages: list[str]) -> tuple[str, str]:
    """dkimpy returned False: say whether the key or the signature was at fault."""
    if answer is not None:
        if not answer.ok and answer.outcome is not Outcome.INVALID:
            return "temperror", f"key lookup failed: {answer.describe()}"
        if answer.void or answer.outcome is Outcome.INVALID:
            return "permerror", f"no key published at {answer.name} ({answer.describe()})"
        if _revoked(answer):
            return "permerror", "key revoked (empty p=, RFC 6376 section 3.6.1)"
    if messages:
        return ("permerror" if "key" in messages[-1].lower() else "fail"), messages[-1][:200]
    return "fail", "signature does not match: signed header fields changed or wrong key"


def _revoked(answer: DnsAnswer) -> bool:
    return bool(answer.records) and parse_tag_list(_pick_key(answer.records)).get("p", "x") == ""


async def verify_dkim(
    raw: bytes, parsed: ParsedMessage, *, resolver: Resolver
) -> tuple[DkimVerdict, ...]:
    """Fetch the keys through ``resolver``, then verify every DKIM-Signature.

    Args:
        raw: The whole message.
        parsed: Its parsed header section.
        resolver: maildoctor's resolver.

    Returns:
        One verdict per signature, topmost first.
    """
    keys = await prefetch_keys(key_names(parsed, ("dkim-signature",)), resolver=resolver)
    return await asyncio.to_thread(verify_dkim_with, raw, parsed, keys)


@dataclass(frozen=True, slots=True, kw_only=True)
class ArcInstance:
    """dkimpy's verdict on one ARC set."""

    instance: int
    ams_valid: bool
    as_valid: bool
    cv: str
    ams_domain: str = ""
    as_domain: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "instance": self.instance,
            "ams_valid": self.ams_valid,
            "as_valid": self.as_valid,
            "cv": self.cv,
            "ams_d": self.ams_domain,
            "as_d": self.as_domain,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ArcVerdict:
    """The chain validation status (RFC 8617 section 5.2) with dkimpy's reason.

    Attributes:
        cv: ``none`` (no ARC sets), ``pass`` or ``fail``; a chain an earlier
            sealer already marked ``cv=fail`` is ``fail`` (RFC 8617 section 5.2 step 2).
        reason: Why.
        instances: Per-set verdicts, newest first as dkimpy reports them.
        temporary: True when a key lookup failed, so ``fail`` may not be final.
        terminated: True when an earlier sealer had already recorded ``cv=fail``.
    """

    cv: str
    reason: str = ""
    instances: tuple[ArcInstance, ...] = ()
    temporary: bool = False
    terminated: bool = False
    answers: tuple[DnsAnswer, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "cv": self.cv,
            "reason": self.reason,
            "temporary": self.temporary,
            "terminated": self.terminated,
            "instances": [i.to_dict() for i in self.instances],
        }


def verify_arc_with(raw: bytes, keys: PrefetchedKeys) -> ArcVerdict:
    """Validate the ARC chain of ``raw`` with keys from ``keys`` (no I/O)."""
    logger, _ = _capture_logger()
    try:
        cv, results, reason = dkim.arc_verify(
            raw, logger=logger, dnsfunc=keys.dnsfunc, minkey=MIN_KEY_BITS
        )
    except Exception as exc:  # noqa: BLE001 - dkimpy on hostile input: a verdict, not a crash
        log.debug("dkimpy arc_verify failed", exc_info=True)
        cv, results, reason = dkim.CV_Fail, [], f"unverifiable: {exc!r}"[:200]
    answers = tuple(keys.answers[n] for n in dict.fromkeys(keys.asked) if n in keys.answers)
    temporary = any(not a.ok and a.outcome is not Outcome.INVALID for a in answers)
    return ArcVerdict(
        cv=_cv_word(cv),
        reason=str(reason),
        instances=tuple(_instance(r) for r in results),
        temporary=temporary and cv != dkim.CV_Pass,
        terminated=cv is None,
        answers=answers,
    )


def _cv_word(cv: bytes | None) -> str:
    if cv is None:
        return "fail"  # chain already terminated by an earlier cv=fail
    return cv.decode("ascii", "replace").lower()


def _instance(result: Mapping[str, object]) -> ArcInstance:
    def text(key: str) -> str:
        value = result.get(key, b"")
        return value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)

    return ArcInstance(
        instance=int(str(result.get("instance", 0))),
        ams_valid=bool(result.get("ams-valid")),
        as_valid=bool(result.get("as-valid")),
        cv=text("cv").lower(),
        ams_domain=text("ams-domain"),
        as_domain=text("as-domain"),
    )


async def verify_arc(raw: bytes, parsed: ParsedMessage, *, resolver: Resolver) -> ArcVerdict:
    """Fetch the ARC keys through ``resolver``, then validate the chain.

    Args:
        raw: The whole message.
        parsed: Its parsed header section.
        resolver: maildoctor's resolver.

    Returns:
        The chain validation status.
    """
    names = key_names(parsed, ("arc-seal", "arc-message-signature"))
    keys = await prefetch_keys(names, resolver=resolver)
    return await asyncio.to_thread(verify_arc_with, raw, keys)
