"""Amazon SES SMTP credentials: derivation, shape checks and "why does it not match".

The SES SMTP *username* is an IAM access key id; the *password* is derived from
that key's secret (REFERENCE.md section 1)::

    V4 (region-bound):  base64(0x04 || HMAC chain "11111111" -> region -> "ses"
                                       -> "aws4_request" -> "SendRawEmail")
    V2 (legacy):        base64(0x02 || HMAC_SHA256(secret, "SendRawEmail"))

Everything here is offline and pure. Secrets go in and out as
:class:`~maildoctor.secrets.Secret`; comparisons use :func:`hmac.compare_digest`.
Vendor document: "Obtaining Amazon SES SMTP credentials" (Amazon SES Developer Guide).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..model import Finding, Layer, Status
from ..provider.ses.endpoints import smtp_endpoint_region
from ..secrets import Secret

__all__ = [
    "SES_REGIONS",
    "KeyIdKind",
    "PasswordCheck",
    "PasswordShape",
    "Verdict",
    "blog_formula_password",
    "cause_for_shape",
    "cause_for_verdict",
    "check_credentials_shape",
    "check_stored_password",
    "configured_regions",
    "derive_smtp_password",
    "key_id_kind",
    "password_check_finding",
    "password_shape",
    "ses_region_from_host",
]

SES_DOC = "Amazon SES Developer Guide: Obtaining Amazon SES SMTP credentials"

#: Regions tried when a stored password does not match the expected one. A table, not
#: an allow-list: override with ``MAILDOCTOR_SES_REGIONS`` (comma-separated) or the
#: ``regions=`` argument. Extra entries cost one HMAC chain each.
SES_REGIONS: tuple[str, ...] = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1",
    "sa-east-1", "mx-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1",
    "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "il-central-1", "me-south-1",
    "me-central-1", "af-south-1", "ap-south-1", "ap-south-2", "ap-northeast-1",
    "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-east-1", "us-gov-west-1", "us-gov-east-1",
    "cn-north-1", "cn-northwest-1",
)  # fmt: skip

_V4_MESSAGES = ("11111111", None, "ses", "aws4_request", "SendRawEmail")
_KEY_ID = re.compile(r"^[A-Z0-9]{20}$")
_SECRET_ALPHABET = re.compile(r"^[A-Za-z0-9/+]{40}$")


def configured_regions() -> tuple[str, ...]:
    """The region table: ``MAILDOCTOR_SES_REGIONS`` if set, else :data:`SES_REGIONS`."""
    env = os.environ.get("MAILDOCTOR_SES_REGIONS", "")
    regions = tuple(r.strip() for r in env.split(",") if r.strip())
    return regions or SES_REGIONS


def ses_region_from_host(host: str) -> str | None:
    """``email-smtp.eu-west-1.amazonaws.com`` -> ``eu-west-1``; None for other hosts."""
    return smtp_endpoint_region(host)


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def derive_smtp_password(secret: Secret, region: str | None = None, *, version: int = 4) -> Secret:
    """Derive the SES SMTP password from a secret access key.

    Args:
        secret: The IAM secret access key.
        region: The SES region (required for version 4, ignored for version 2).
        version: 4 (current, region-bound) or 2 (legacy).

    Returns:
        The SMTP password, still wrapped as a :class:`Secret`.

    Raises:
        ValueError: for an unknown version or a V4 request without a region.
    """
    if version == 2:
        digest = _hmac(secret.reveal().encode("utf-8"), "SendRawEmail")
        return Secret(base64.b64encode(b"\x02" + digest).decode("ascii"))
    if version != 4 or not region:
        raise ValueError("version must be 2, or 4 with a region")
    key = ("AWS4" + secret.reveal()).encode("utf-8")
    for msg in _V4_MESSAGES:
        key = _hmac(key, region if msg is None else msg)
    return Secret(base64.b64encode(b"\x04" + key).decode("ascii"))


def blog_formula_password(secret: Secret) -> Secret:
    """The *wrong* formula seen in the wild (one HMAC, no region, no version byte).

    Kept only to recognise passwords made with it (REFERENCE.md section 1).
    """
    digest = _hmac(("AWS4" + secret.reveal()).encode("utf-8"), "112358132134")
    return Secret(base64.b64encode(digest).decode("ascii"))


class KeyIdKind(StrEnum):
    """What an SMTP username says about the access key behind it."""

    LONG_TERM = "long_term"  # AKIA...: an IAM user's key, the right kind for SMTP
    TEMPORARY = "temporary"  # ASIA...: STS session credentials, never valid for SMTP
    NOT_A_KEY_ID = "not_a_key_id"  # an IAM user name, an e-mail address...


def key_id_kind(username: str) -> KeyIdKind:
    """Classify an SMTP username as an access key id (REFERENCE.md section 1)."""
    if not _KEY_ID.match(username):
        return KeyIdKind.NOT_A_KEY_ID
    if username.startswith("ASIA"):
        return KeyIdKind.TEMPORARY
    return KeyIdKind.LONG_TERM if username.startswith("AKIA") else KeyIdKind.NOT_A_KEY_ID


@dataclass(frozen=True, slots=True, kw_only=True)
class PasswordShape:
    """What can be told about a stored SMTP password without the secret.

    Attributes:
        length: Characters.
        decoded_length: Bytes after base64 decoding, or None if it is not base64.
        version: 4 or 2 when it decodes to 33 bytes with that version byte, else None.
        kind: ``v4``, ``v2``, ``raw_secret``, ``blog_formula`` or ``unknown``.
    """

    length: int
    decoded_length: int | None
    version: int | None
    kind: str

    @property
    def derived(self) -> bool:
        return self.kind in ("v4", "v2")


def _decode(value: str) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def password_shape(password: Secret) -> PasswordShape:
    """Classify a stored password by shape alone (length, decoded size, version byte)."""
    value = password.reveal()
    raw = _decode(value)
    decoded_length = None if raw is None else len(raw)
    version = raw[0] if raw is not None and len(raw) == 33 and raw[0] in (2, 4) else None
    if version is not None and len(value) == 44:
        kind = f"v{version}"
    elif _SECRET_ALPHABET.match(value) and decoded_length != 33:
        kind = "raw_secret"  # 40 chars of the secret alphabet: an IAM secret access key
    elif len(value) == 44 and value.endswith("=") and decoded_length == 32:
        kind = "blog_formula"  # a bare HMAC-SHA256: no version byte
    else:
        kind = "unknown"
    return PasswordShape(
        length=len(value), decoded_length=decoded_length, version=version, kind=kind
    )


class Verdict(StrEnum):
    """Why a stored password does (not) match a secret and region."""

    MATCH = "match"
    OTHER_REGION = "other_region"
    LEGACY_V2 = "legacy_v2"
    RAW_SECRET = "raw_secret"
    BLOG_FORMULA = "blog_formula"
    DIFFERENT_KEY = "different_key"
    MALFORMED = "malformed"


@dataclass(frozen=True, slots=True, kw_only=True)
class PasswordCheck:
    """The result of comparing a stored SMTP password with a secret and region.

    Attributes:
        verdict: The most likely reason.
        region: The region checked against.
        matched_region: For ``other_region``, the region the password was derived for.
        shape: The stored password's shape.
        regions_tried: How many regions were tried.
    """

    verdict: Verdict
    region: str
    matched_region: str | None
    shape: PasswordShape
    regions_tried: int


def _same(a: Secret, b: Secret) -> bool:
    return hmac.compare_digest(a.reveal().encode("utf-8"), b.reveal().encode("utf-8"))


def check_stored_password(
    secret: Secret, stored: Secret, region: str, *, regions: Sequence[str] | None = None
) -> PasswordCheck:
    """Say whether ``stored`` is this secret's SMTP password for ``region``, and if not, why.

    Args:
        secret: The current IAM secret access key.
        stored: The SMTP password the client holds.
        region: The region of the SES endpoint the client uses.
        regions: Regions to try for "derived for another region" (default: the table).

    Returns:
        A :class:`PasswordCheck`; never raises for a wrong password.
    """
    shape = password_shape(stored)
    table = tuple(regions) if regions is not None else configured_regions()
    base: dict[str, Any] = {
        "region": region,
        "shape": shape,
        "regions_tried": 0,
        "matched_region": None,
    }
    candidates = (
        (Verdict.MATCH, lambda: derive_smtp_password(secret, region)),
        (Verdict.RAW_SECRET, lambda: secret),
        (Verdict.LEGACY_V2, lambda: derive_smtp_password(secret, version=2)),
        (Verdict.BLOG_FORMULA, lambda: blog_formula_password(secret)),
    )
    for verdict, make in candidates:
        if _same(stored, make()):
            return PasswordCheck(verdict=verdict, **base)
    others = [r for r in table if r != region]
    for other in others:
        if _same(stored, derive_smtp_password(secret, other)):
            return PasswordCheck(
                verdict=Verdict.OTHER_REGION,
                region=region,
                matched_region=other,
                shape=shape,
                regions_tried=others.index(other) + 1,
            )
    verdict = _unmatched_verdict(shape)
    return PasswordCheck(
        verdict=verdict,
        region=region,
        matched_region=None,
        shape=shape,
        regions_tried=len(others),
    )


def _unmatched_verdict(shape: PasswordShape) -> Verdict:
    """No derivation of this secret matches: judge by shape."""
    if shape.kind == "raw_secret":
        return Verdict.RAW_SECRET  # another key's secret pasted as the password
    if shape.kind == "blog_formula":
        return Verdict.BLOG_FORMULA
    if shape.derived:
        return Verdict.DIFFERENT_KEY
    return Verdict.MALFORMED


# -- findings ---------------------------------------------------------------------------

_FIX_DERIVE = (
    "Derive a new SMTP password for region {region} from the current secret access key "
    "(maildoctor ses-smtp-password --region {region}) and update it in the client; for a "
    "Gmail alias: Settings -> Accounts and Import -> Send mail as -> edit info."
)

#: verdict -> (status, cause, summary, detail)
_VERDICTS: dict[Verdict, tuple[Status, str, str, str]] = {
    Verdict.MATCH: (
        Status.PASS,
        "",
        "the stored SMTP password matches this secret key for {region}",
        "",
    ),
    Verdict.OTHER_REGION: (
        Status.FAIL,
        "client.smtp_auth.wrong_region_password",
        "the stored SMTP password was derived for {matched}, not {region}",
        "V4 SES SMTP passwords are bound to one region; SES answers 535 on any other "
        "region's endpoint.",
    ),
    Verdict.LEGACY_V2: (
        Status.FAIL,
        "client.smtp_auth.legacy_v2_password",
        "the stored SMTP password is a legacy V2 password for this key",
        "SES asks for V2 passwords to be replaced and throttles them ('Maximum SigV2 SMTP "
        "sending rate exceeded').",
    ),
    Verdict.RAW_SECRET: (
        Status.FAIL,
        "client.smtp_auth.raw_secret_as_password",
        "the stored SMTP password is a raw IAM secret access key, not an SMTP password",
        "The SMTP password must be derived from the secret; the secret itself never works.",
    ),
    Verdict.BLOG_FORMULA: (
        Status.FAIL,
        "client.smtp_auth.wrong_formula",
        "the stored SMTP password was made with a wrong formula (one HMAC, no region, "
        "no version byte)",
        "base64(hmac_sha256('AWS4'+secret, '112358132134')) is not how SES derives "
        "passwords; SES rejects it.",
    ),
    Verdict.DIFFERENT_KEY: (
        Status.FAIL,
        "client.smtp_auth.stale_ses_password",
        "the stored SMTP password was derived from a different secret key",
        "It has the shape of an SES SMTP password but matches no derivation of this secret "
        "in any region: most likely it came from a key that has since been rotated.",
    ),
    Verdict.MALFORMED: (
        Status.FAIL,
        "client.smtp_auth.malformed_password",
        "the stored SMTP password does not have the shape of an SES SMTP password",
        "SES SMTP passwords are 44 base64 characters decoding to 33 bytes (version byte and HMAC).",
    ),
}


def password_check_finding(check: PasswordCheck) -> Finding:
    """Turn a :class:`PasswordCheck` into a finding (no secret in any field)."""
    status, cause, summary, detail = _VERDICTS[check.verdict]
    words = {"region": check.region, "matched": check.matched_region or "?"}
    return Finding(
        check="client.smtp_auth.password_check",
        layer=Layer.CLIENT,
        status=status,
        subject=f"SES SMTP password for {check.region}",
        summary=summary.format(**words),
        detail=detail,
        reference=SES_DOC,
        fix="" if status is Status.PASS else _FIX_DERIVE.format(**words),
        cause=cause,
        data={
            "verdict": str(check.verdict),
            "region": check.region,
            "matched_region": check.matched_region,
            "shape": check.shape.kind,
            "regions_tried": check.regions_tried,
        },
    )


def check_credentials_shape(
    username: str | None, password: Secret | None, *, region: str | None
) -> tuple[Finding, ...]:
    """Offline checks of SES SMTP credentials, made before any connection.

    Args:
        username: The SMTP username (should be an ``AKIA`` access key id), if any.
        password: The SMTP password, if any.
        region: The SES region implied by the endpoint, if known.

    Returns:
        Findings under ``client.smtp_auth.username_shape`` and
        ``client.smtp_auth.password_shape``.
    """
    findings: list[Finding] = []
    if username:
        findings.append(_username_finding(username))
    if password:
        findings.append(_shape_finding(password_shape(password), region))
    return tuple(findings)


def _username_finding(username: str) -> Finding:
    kind = key_id_kind(username)
    base: dict[str, Any] = {
        "check": "client.smtp_auth.username_shape",
        "layer": Layer.CLIENT,
        "subject": username,
        "reference": SES_DOC,
        "data": {"kind": str(kind)},
    }
    if kind is KeyIdKind.LONG_TERM:
        return Finding(status=Status.PASS, summary="SMTP username is an IAM access key id", **base)
    if kind is KeyIdKind.TEMPORARY:
        return Finding(
            status=Status.FAIL,
            cause="client.smtp_auth.temporary_key",
            summary="SMTP username is a temporary (ASIA...) access key id",
            detail="Temporary STS credentials cannot be used for SES SMTP.",
            fix="Create SMTP credentials from an IAM user's long-term (AKIA...) access key.",
            **base,
        )
    return Finding(
        status=Status.WARN,
        cause="client.smtp_auth.username_not_access_key",
        summary="SMTP username is not an access key id (expected 20 characters, AKIA...)",
        detail="SES SMTP usernames are access key ids, not IAM user names or addresses.",
        fix="Use the access key id of the key the SMTP password was derived from.",
        **base,
    )


#: shape kind -> (status, cause, summary)
_SHAPES: dict[str, tuple[Status, str, str]] = {
    "v4": (Status.PASS, "", "SMTP password has the shape of a V4 SES password"),
    "v2": (
        Status.WARN,
        "client.smtp_auth.legacy_v2_password",
        "SMTP password is a legacy V2 SES password (should be replaced by a V4 one)",
    ),
    "raw_secret": (
        Status.FAIL,
        "client.smtp_auth.raw_secret_as_password",
        "SMTP password looks like a raw IAM secret access key (40 characters), not an SMTP "
        "password",
    ),
    "blog_formula": (
        Status.FAIL,
        "client.smtp_auth.wrong_formula",
        "SMTP password decodes to 32 bytes without a version byte: made with a wrong formula",
    ),
    "unknown": (
        Status.WARN,
        "client.smtp_auth.malformed_password",
        "SMTP password does not have the shape of an SES SMTP password",
    ),
}


def _shape_finding(shape: PasswordShape, region: str | None) -> Finding:
    status, cause, summary = _SHAPES[shape.kind]
    if shape.kind == "unknown":
        # A password of the user's own choosing: its length would narrow a guess.
        return _unknown_shape_finding(status, cause, summary, region)
    detail = (
        f"{shape.length} characters, decodes to "
        f"{shape.decoded_length if shape.decoded_length is not None else 'no valid base64'}"
        f"{' bytes' if shape.decoded_length is not None else ''}"
        f"{f', version byte 0x0{shape.version}' if shape.version else ''}."
    )
    if shape.kind == "v4" and region:
        detail += f" V4 passwords are bound to one region; this endpoint is {region}."
    region_text = region or "the endpoint's region"
    return Finding(
        check="client.smtp_auth.password_shape",
        layer=Layer.CLIENT,
        status=status,
        subject="SMTP password",
        summary=summary,
        detail=detail,
        reference=SES_DOC,
        fix="" if status is Status.PASS else _FIX_DERIVE.format(region=region_text),
        cause=cause,
        data={
            "kind": shape.kind,
            "length": shape.length,
            "decoded_length": shape.decoded_length,
            "version": shape.version,
        },
    )


def _unknown_shape_finding(status: Status, cause: str, summary: str, region: str | None) -> Finding:
    return Finding(
        check="client.smtp_auth.password_shape",
        layer=Layer.CLIENT,
        status=status,
        subject="SMTP password",
        summary=summary,
        detail="An SES SMTP password is 44 base64 characters: a version byte and a 32-byte "
        "HMAC. This one is not.",
        reference=SES_DOC,
        fix=_FIX_DERIVE.format(region=region or "the endpoint's region"),
        cause=cause,
        data={"kind": "unknown"},
    )


def cause_for_verdict(verdict: Verdict) -> str:
    """The catalogue id for a :class:`Verdict` ("" for a match)."""
    return _VERDICTS[verdict][1]


def cause_for_shape(kind: str) -> str:
    """The catalogue id for a password shape kind ("" for a plausible V4 password)."""
    return _SHAPES[kind][1]
