"""What a relay probe will do, decided before any connection (pure).

The port implies the TLS mode (465/2465 implicit; 25/587/2587 STARTTLS) unless
overridden; an ``email-smtp.<region>.amazonaws.com`` host implies the SES region;
a client preset (``gmail-send-as``) adds that client's own constraints.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..errors import InputError
from ..model import Finding, Layer, Status
from .profiles import RelayProfile, endpoint_findings, profile_for_host, profile_named
from .replies import vendor_for_host
from .ses_password import ses_region_from_host

__all__ = ["PRESETS", "ClientPreset", "ProbePlan", "TlsMode", "plan_probe"]

IMPLICIT_PORTS = frozenset({465, 2465})
STARTTLS_PORTS = frozenset({25, 587, 2587})
RFC_TLS = "RFC 8314 section 3 (implicit TLS); RFC 3207 (STARTTLS)"
SES_TLS_DOC = "Amazon SES Developer Guide: Connecting to an Amazon SES SMTP endpoint"


class TlsMode(StrEnum):
    STARTTLS = "starttls"
    IMPLICIT = "implicit"
    NONE = "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientPreset:
    """What a known client can be configured to do.

    Attributes:
        name: The ``--client`` value.
        ports: Ports the client can use.
        tls_required: Whether the client insists on TLS.
        settings: Where the user changes the settings.
        reference: The vendor document.
    """

    name: str
    ports: tuple[int, ...]
    tls_required: bool
    settings: str
    reference: str


PRESETS: dict[str, ClientPreset] = {
    "gmail-send-as": ClientPreset(
        name="gmail-send-as",
        ports=(587, 465),
        tls_required=True,
        settings="Gmail: Settings -> Accounts and Import -> Send mail as -> edit info",
        reference="Gmail Help: Send emails from a different address or alias",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ProbePlan:
    """The resolved parameters of one relay probe, and the findings made on the way."""

    host: str
    port: int
    tls: TlsMode
    region: str | None
    vendor: str
    preset: ClientPreset | None
    findings: tuple[Finding, ...]
    profile: RelayProfile | None = None

    @property
    def reply_host(self) -> str:
        """The host whose provider reads the replies: the profile's, for ``--provider``.

        A relay reached by address (a loopback relay, an IP in a config) says nothing of
        its service; the profile named with ``--provider`` does.
        """
        if self.profile is None or self.profile.vendor == "ses":
            return self.host
        return self.host if self.profile.serves(self.host) else self.profile.hosts[0]


def default_tls(port: int) -> TlsMode:
    return TlsMode.IMPLICIT if port in IMPLICIT_PORTS else TlsMode.STARTTLS


def plan_probe(
    host: str,
    *,
    port: int | None = None,
    tls: str | None = None,
    client: str | None = None,
    provider: str | None = None,
) -> ProbePlan:
    """Decide port, TLS mode and region, and judge them against the endpoint and client.

    The relay profile (``provider``, else the one the host names) decides whose reply
    rules read the server's answers and adds its port/TLS expectations.

    Raises:
        InputError: for an empty host, a bad port, an unknown preset or provider.
    """
    host = host.strip().rstrip(".")
    if not host or any(c.isspace() for c in host):
        raise InputError(f"bad host name {host!r}")
    preset = _preset(client)
    profile = profile_named(provider) if provider else profile_for_host(host)
    mode = TlsMode(tls) if tls else None
    chosen = port if port is not None else (465 if mode is TlsMode.IMPLICIT else 587)
    if not 0 < chosen < 65536:
        raise InputError(f"bad port {chosen}")
    mode = mode or default_tls(chosen)
    region = ses_region_from_host(host)
    findings = [_endpoint_finding(host, chosen, mode, region)]
    findings += _mode_findings(host, chosen, mode, region, explicit=tls is not None)
    if profile is not None and profile.vendor != "ses":
        findings += endpoint_findings(profile, host, chosen, str(mode))
    if preset is not None:
        findings.append(_preset_finding(preset, host, chosen, mode))
    return ProbePlan(
        host=host,
        port=chosen,
        tls=mode,
        region=region,
        vendor=profile.vendor if profile else vendor_for_host(host),
        preset=preset,
        findings=tuple(findings),
        profile=profile,
    )


def _preset(client: str | None) -> ClientPreset | None:
    if client is None:
        return None
    try:
        return PRESETS[client]
    except KeyError:
        known = ", ".join(PRESETS)
        raise InputError(f"unknown client preset {client!r} (known: {known})") from None


def _endpoint_finding(host: str, port: int, mode: TlsMode, region: str | None) -> Finding:
    what = f"SES SMTP endpoint for region {region}" if region else "SMTP relay"
    return Finding(
        check="client.smtp.endpoint",
        layer=Layer.CLIENT,
        status=Status.INFO,
        subject=host,
        summary=f"{what}, port {port}, TLS mode {mode}",
        data={"host": host, "port": port, "tls": str(mode), "region": region},
    )


def _mode_findings(
    host: str, port: int, mode: TlsMode, region: str | None, *, explicit: bool
) -> list[Finding]:
    base: dict[str, Any] = {
        "check": "client.smtp.tls_mode",
        "layer": Layer.CLIENT,
        "subject": f"{host}:{port}",
        "reference": RFC_TLS,
    }
    if mode is TlsMode.NONE and region:
        return [
            Finding(
                status=Status.FAIL,
                cause="client.smtp_tls.required",
                summary="SES requires TLS; this probe was asked to use none",
                fix=f"Use STARTTLS on port 587 or implicit TLS on port 465 for {host}.",
                **{**base, "reference": SES_TLS_DOC},
            )
        ]
    expected = default_tls(port)
    known = port in IMPLICIT_PORTS or port in STARTTLS_PORTS
    if explicit and known and mode is not TlsMode.NONE and mode is not expected:
        return [
            Finding(
                status=Status.WARN,
                cause="client.smtp.tls_mode_mismatch",
                summary=f"port {port} normally uses {expected}, not {mode}",
                detail="A client speaking the wrong mode sees a silent server (plain text to an "
                "implicit-TLS port) or a TLS 'wrong version number' error (TLS to a "
                "STARTTLS port).",
                fix=f"Use {expected} on port {port}.",
                **base,
            )
        ]
    if mode is TlsMode.NONE:
        return [Finding(status=Status.WARN, summary="probing without TLS", **base)]
    return []


def _preset_finding(preset: ClientPreset, host: str, port: int, mode: TlsMode) -> Finding:
    problems = []
    if port not in preset.ports:
        problems.append(f"{preset.name} can only use port {' or '.join(map(str, preset.ports))}")
    if preset.tls_required and mode is TlsMode.NONE:
        problems.append(f"{preset.name} requires TLS")
    if port in preset.ports and mode is not TlsMode.NONE and mode is not default_tls(port):
        problems.append(f"{preset.name} uses {default_tls(port)} on port {port}")
    base: dict[str, Any] = {
        "check": "client.smtp.client_preset",
        "layer": Layer.CLIENT,
        "subject": f"{preset.name} -> {host}:{port}",
        "reference": preset.reference,
        "data": {"preset": preset.name, "ports": list(preset.ports)},
    }
    if not problems:
        return Finding(
            status=Status.PASS,
            summary=f"{preset.name} can use {host} on port {port} with {mode}",
            **base,
        )
    return Finding(
        status=Status.FAIL,
        cause="client.smtp.client_settings_unusable",
        summary="; ".join(problems),
        fix=f"In {preset.settings}, use port 587 with TLS or 465 with SSL.",
        **base,
    )
