"""Judge a Postfix relay configuration against what its relay expects (pure, offline).

Which relay and port Postfix uses; whether the TLS settings are ones the relay will take
(``smtp_tls_security_level``, ``smtp_tls_wrappermode`` for port 465); whether SMTP AUTH is
on and the password map has an entry for the relayhost; and whether the stored credential
has the shape the service expects - the relay profile's checks (SendGrid ``apikey`` and an
``SG.`` key, Postmark's token twice...) or, for SES, the password derivation checked
against the current secret key when one is given. No password, nor anything computed
from one, appears in a finding.
"""

from __future__ import annotations

from ..model import Finding, FindingMaker, Layer, Status
from ..secrets import Secret
from ..smtp.profiles import RelayProfile, credential_findings, profile_for_host, shown_user
from ..smtp.ses_password import (
    Verdict,
    cause_for_verdict,
    check_credentials_shape,
    check_stored_password,
    ses_region_from_host,
)
from .config import PostfixConfig

__all__ = ["check_postfix"]

POSTFIX_SASL = "Postfix SASL_README (SMTP client) - https://www.postfix.org/SASL_README.html"
POSTFIX_TLS = "Postfix TLS_README (SMTP client) - https://www.postfix.org/TLS_README.html"
SES_CREDENTIALS = (
    "AWS: Obtaining Amazon SES SMTP credentials - "
    "https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html"
)

_MAKE = FindingMaker("client.postfix", Layer.CLIENT, POSTFIX_SASL)


def check_postfix(config: PostfixConfig, *, secret: Secret | None = None) -> tuple[Finding, ...]:
    """Findings about the relay a Postfix configuration uses.

    Args:
        config: The parsed configuration directory.
        secret: The current IAM secret access key, to check an SES password exactly.

    Returns:
        Findings under ``client.postfix.*`` and ``client.smtp_auth.*``.
    """
    relay = config.relayhost
    if relay is None:
        return (
            _MAKE(
                "relayhost",
                Status.INFO,
                config.directory,
                "no relayhost: Postfix delivers straight to the recipients' MX hosts",
                reference=POSTFIX_SASL,
            ),
        )
    profile = profile_for_host(relay.host)
    found = [_relay_finding(config, profile)]
    found += _tls_findings(config, profile)
    found += _sasl_findings(config, profile)
    found += _credential_findings(config, profile, secret)
    return tuple(found)


def _relay_finding(config: PostfixConfig, profile: RelayProfile | None) -> Finding:
    relay = config.relayhost
    assert relay is not None
    who = profile.title if profile else "a relay maildoctor has no profile for"
    data = {"host": relay.host, "port": relay.port, "provider": profile.name if profile else None}
    if relay.mx_lookup and profile is not None:
        return _MAKE(
            "relayhost",
            Status.WARN,
            relay.text,
            f"relayhost {relay.text} ({who}) has no brackets: Postfix looks up its MX records "
            "instead of connecting to the host",
            fix=f"relayhost = [{relay.host}]:{relay.port}",
            data=data,
        )
    return _MAKE(
        "relayhost",
        Status.INFO,
        relay.text,
        f"Postfix relays through {relay.host} port {relay.port} ({who})",
        data=data,
    )


def _tls_findings(config: PostfixConfig, profile: RelayProfile | None) -> list[Finding]:
    relay = config.relayhost
    assert relay is not None
    level = _security_level(config)
    wrapper = config.flag("smtp_tls_wrappermode")
    implicit = relay.port in (profile.implicit_ports if profile else (465,))
    subject = f"{relay.text}: smtp_tls_security_level={level or 'none'}"
    data = {"level": level or "none", "wrappermode": wrapper}
    if implicit and not wrapper:
        return [
            _MAKE(
                "tls",
                Status.FAIL,
                subject,
                f"port {relay.port} speaks TLS from the first byte but smtp_tls_wrappermode is "
                "not yes: Postfix waits for a plain-text banner that never comes",
                fix="smtp_tls_wrappermode = yes and smtp_tls_security_level = encrypt, or use "
                f"[{relay.host}]:587 with STARTTLS",
                cause="client.postfix.tls_wrappermode_missing",
                reference=POSTFIX_TLS,
                data=data,
            )
        ]
    required = profile is not None and (profile.tls_required or profile.vendor == "ses")
    if level in ("", "none") and not wrapper:
        return [
            _MAKE(
                "tls",
                Status.FAIL if required else Status.WARN,
                subject,
                "Postfix relays without TLS"
                + (f": {profile.title} requires it" if required and profile else ""),
                detail="The SASL password would cross the network in clear text.",
                fix="smtp_tls_security_level = encrypt",
                cause="client.postfix.tls_disabled" if required else "",
                reference=POSTFIX_TLS,
                data=data,
            )
        ]
    if level == "may":
        return [
            _MAKE(
                "tls",
                Status.WARN,
                subject,
                "TLS is opportunistic (may): if STARTTLS is stripped on the way, Postfix sends "
                "the password in clear text",
                fix="smtp_tls_security_level = encrypt",
                reference=POSTFIX_TLS,
                data=data,
            )
        ]
    return [
        _MAKE(
            "tls",
            Status.PASS,
            subject,
            "TLS to the relay is mandatory",
            reference=POSTFIX_TLS,
            data=data,
        )
    ]


def _security_level(config: PostfixConfig) -> str:
    level = config.get("smtp_tls_security_level").lower()
    if level:
        return level
    if config.flag("smtp_enforce_tls"):  # the pre-2.3 spelling
        return "encrypt"
    return "may" if config.flag("smtp_use_tls") else ""


def _sasl_findings(config: PostfixConfig, profile: RelayProfile | None) -> list[Finding]:
    relay = config.relayhost
    assert relay is not None
    needs_auth = profile is not None and profile.name != "google-relay"
    found: list[Finding] = [
        _MAKE("sasl", Status.ERROR, config.map_spec or relay.text, problem)
        for problem in config.problems
    ]
    if not config.flag("smtp_sasl_auth_enable"):
        if needs_auth:
            found.append(
                _MAKE(
                    "sasl",
                    Status.FAIL,
                    relay.text,
                    "smtp_sasl_auth_enable is not yes: Postfix never logs in to the relay",
                    fix="smtp_sasl_auth_enable = yes",
                    cause="client.postfix.sasl_disabled",
                )
            )
        return found
    if config.credential is None and not config.problems:
        found.append(
            _MAKE(
                "sasl",
                Status.FAIL,
                relay.text,
                f"the password map has no entry for {relay.text}"
                if config.map_spec
                else "smtp_sasl_password_maps is not set: there is no password to log in with",
                detail="Postfix looks the relayhost up exactly as written, brackets and port "
                "included, then the bare host name.",
                fix=f"[{relay.host}]:{relay.port} user:password in the map, then postmap it",
                cause="client.postfix.no_credential_for_relay",
            )
        )
    return found


def _credential_findings(
    config: PostfixConfig, profile: RelayProfile | None, secret: Secret | None
) -> list[Finding]:
    cred, relay = config.credential, config.relayhost
    if cred is None or relay is None:
        return []
    user = shown_user(cred.user, cred.password) or ""
    found = [
        _MAKE(
            "credential",
            Status.INFO,
            f"{cred.key} in {cred.source}",
            f"the password map holds a credential for {cred.key} (username {user or 'empty'})",
            data={"key": cred.key, "user": user, "map": cred.source},
        )
    ]
    region = ses_region_from_host(relay.host)
    if region:
        found += check_credentials_shape(cred.user, cred.password, region=region)
        if secret is not None:
            found.append(_ses_secret_check(cred.password, secret, region))
        else:
            found.append(
                _MAKE(
                    "ses_password",
                    Status.INFO,
                    f"SES SMTP password for {region}",
                    "not checked against the current secret key: a password of the right "
                    "shape may still be stale (give --check-secret)",
                    reference=SES_CREDENTIALS,
                )
            )
        return found
    if profile is not None:
        found += credential_findings(profile, cred.user, cred.password)
    return found


#: verdict -> summary (the password is never quoted, nor anything computed from it)
_SES_VERDICTS = {
    Verdict.MATCH: "the stored password is the current secret key's SMTP password for {region}",
    Verdict.OTHER_REGION: "the stored password was derived for {matched}, not {region}",
    Verdict.LEGACY_V2: "the stored password is a legacy V2 password of the current key",
    Verdict.RAW_SECRET: "the stored password is a raw secret access key, not an SMTP password",
    Verdict.BLOG_FORMULA: "the stored password was made with a wrong formula",
    Verdict.DIFFERENT_KEY: "the stored password is stale: it was derived from another (rotated) "
    "secret key, not the current one",
    Verdict.MALFORMED: "the stored password does not have the shape of an SES SMTP password",
}


def _ses_secret_check(password: Secret, secret: Secret, region: str) -> Finding:
    check = check_stored_password(secret, password, region)
    ok = check.verdict is Verdict.MATCH
    summary = _SES_VERDICTS[check.verdict].format(region=region, matched=check.matched_region)
    return _MAKE(
        "ses_password",
        Status.PASS if ok else Status.FAIL,
        f"SES SMTP password for {region}",
        summary,
        fix=""
        if ok
        else f"Derive the password for {region} from the current secret "
        f"(maildoctor ses-smtp-password --region {region}), replace it in the map file, "
        "then postmap it and postfix reload.",
        cause=cause_for_verdict(check.verdict),
        reference=SES_CREDENTIALS,
        data={
            "verdict": str(check.verdict),
            "region": region,
            "matched_region": check.matched_region,
        },
    )
