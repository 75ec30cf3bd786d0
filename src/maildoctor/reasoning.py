"""What the findings say about this mail's path, and the conditions causes are judged by.

:mod:`maildoctor.correlate` first groups findings into candidate causes; this module then
judges them against the world as found (all pure functions over findings and causes):

* :func:`world_of` reads the mail's path from the findings: whether the mail goes through
  SES, the custom MAIL FROM domain (and whether SES verified it), whether DKIM is known to
  work, and whether a copy of the mail was delivered and passed DMARC.
* :func:`apply_conditions` applies the DMARC condition (RFC 7489 section 4.2 / RFC 9989
  section 4.4: DMARC fails only when aligned SPF *and* aligned DKIM both fail): when both
  sides are broken, the two become one cause with two alternative fixes, cheapest first;
  when one side works, the other side's defects did not stop this mail and become
  *defects* (with whom they hurt); an apex SPF defect is a defect when the mail's
  envelope sender is another domain; a delivered copy that passed DMARC demotes every
  authentication defect. A cause that rests on an observed refusal (a bounce, a log line,
  the relay's reply) is never demoted: evidence beats inference.
* :func:`resolve_contradictions` sets aside one of two causes that cannot both hold for
  the same piece of evidence (the login worked / the login was refused), keeping the one
  the stronger evidence supports and recording the other as conflicting evidence.
* :func:`world_does_not_fix` computes the "does not fix" notes that depend on the world
  (a custom MAIL FROM that exists and is verified is not "needed").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Alternative, CauseKind, Finding, Layer, RootCause, Status

__all__ = [
    "APEX_SPF",
    "CONTRADICTIONS",
    "DKIM_SIDE",
    "SPF_SIDE",
    "Contradiction",
    "World",
    "apply_conditions",
    "refine_findings",
    "resolve_contradictions",
    "world_does_not_fix",
    "world_of",
]

#: Sender-side defects that leave the mail without an aligned DKIM signature.
DKIM_SIDE = frozenset(
    {
        "provider.ses.byodkim_key_missing",
        "provider.ses.byodkim_unverified",
        "provider.ses.dkim_cname_missing",
        "provider.ses.dkim_cname_wrong",
        "provider.ses.dkim_failed",
        "provider.ses.dkim_pending",
        "provider.ses.dkim_disabled",
        "provider.ses.email_identity_only",
        "dns.dkim.key_missing",
        "dns.dkim.unsigned",
        "dns.dkim.not_aligned",
        "message.dkim.body_modified",
        "message.dkim.signature_invalid",
    }
)
#: Defects of the custom MAIL FROM domain: SPF does not pass aligned for SES mail.
SPF_SIDE = frozenset(
    {
        "provider.ses.mail_from_spf_missing",
        "provider.ses.mail_from_spf_multiple",
        "provider.ses.mail_from_spf_incomplete",
        "dns.mailfrom.spf_permerror",
        "provider.ses.mail_from_mx_missing",
        "provider.ses.mail_from_mx_multiple",
        "provider.ses.mail_from_mx_wrong",
        "provider.ses.mail_from_mx_wrong_region",
        "provider.ses.mail_from_unverified",
        "dns.mailfrom.not_aligned",
    }
)
#: The apex (From domain) SPF record's defects: they matter to mail whose envelope sender
#: is the apex itself.
APEX_SPF = frozenset(
    {"dns.spf.lookup_limit", "dns.spf.permerror", "dns.spf.missing", "dns.spf.ip_not_permitted"}
)
#: Ids that are a receiver's or relay's observed verdict, not a prediction from records.
OBSERVED_SOURCES = frozenset({"bounce", "logs", "relay", "headers", "file", "smtp"})
_AUTH = DKIM_SIDE | SPF_SIDE | APEX_SPF

#: Effort of each alternative fix: 1 one DNS record, 2 several records or a console
#: change, 3 a new set-up (an identity, a MAIL FROM domain) and waiting for verification.
_EFFORT: dict[str, tuple[int, str]] = {
    "provider.ses.dkim_cname_missing": (1, "publish the missing CNAME record(s)"),
    "provider.ses.dkim_cname_wrong": (1, "correct the CNAME record(s)"),
    "dns.dkim.key_missing": (1, "publish the key record"),
    "provider.ses.byodkim_key_missing": (1, "publish the key record"),
    "provider.ses.mail_from_spf_missing": (1, "publish one TXT record"),
    "provider.ses.mail_from_spf_multiple": (1, "merge two TXT records into one"),
    "provider.ses.mail_from_spf_incomplete": (1, "edit one TXT record"),
    "dns.mailfrom.spf_permerror": (1, "edit one TXT record"),
    "provider.ses.mail_from_mx_missing": (1, "publish one MX record"),
    "provider.ses.mail_from_mx_multiple": (1, "delete the extra MX records"),
    "provider.ses.mail_from_mx_wrong": (1, "replace one MX record"),
    "provider.ses.mail_from_mx_wrong_region": (1, "replace one MX record"),
    "provider.ses.mail_from_unverified": (2, "publish the records, wait for SES to verify"),
    "provider.ses.dkim_pending": (2, "wait for SES, check the records"),
    "provider.ses.dkim_failed": (2, "republish the records and restart verification"),
    "provider.ses.dkim_disabled": (2, "enable DKIM signing in SES"),
    "provider.ses.byodkim_unverified": (2, "publish the key, wait for SES to verify"),
    "provider.ses.email_identity_only": (3, "create a domain identity and publish 3 CNAMEs"),
    "dns.mailfrom.not_aligned": (3, "set up a MAIL FROM subdomain of the From domain"),
    "ses.default_mail_from": (3, "set up a custom MAIL FROM subdomain (MX + SPF) in SES"),
}
_DEFAULT_MAIL_FROM_FIX = (
    "Set a custom MAIL FROM subdomain of the From domain: `aws sesv2 "
    "put-email-identity-mail-from-attributes --email-identity <domain> --mail-from-domain "
    "bounce.<domain> --region <region>`.",
    "Publish `bounce.<domain>. MX 10 feedback-smtp.<region>.amazonses.com.` and `bounce.<domain>. "
    'TXT "v=spf1 include:amazonses.com ~all"`.',
)


@dataclass(frozen=True, slots=True, kw_only=True)
class World:
    """This mail's path, as far as the findings tell.

    Attributes:
        sender_domain: The From domain the apex SPF findings are about ('' if unknown).
        ses: The mail goes through Amazon SES (the SES layer ran, or the relay or a bounce is SES).
        mail_from: The custom MAIL FROM domain (configured in SES or given), '' if none known.
        mail_from_known: Whether the MAIL FROM set-up is known at all (SES layer or --mail-from).
        mail_from_verified: SES reports the custom MAIL FROM verified.
        mail_from_blocks: SES refuses to send while the MAIL FROM domain is unverified
            (BehaviorOnMxFailure RejectMessage).
        dkim_works: Positive evidence that aligned DKIM works (SES DKIM verified, or a
            delivered copy with an aligned DKIM pass).
        spf_aligned_works: Positive evidence that aligned SPF works for this mail.
        passed: What shows a copy of this mail passed DMARC or was delivered (words).
    """

    sender_domain: str = ""
    ses: bool = False
    mail_from: str = ""
    mail_from_known: bool = False
    mail_from_verified: bool = False
    mail_from_blocks: bool = False
    dkim_works: str = ""
    spf_aligned_works: str = ""
    passed: tuple[str, ...] = ()

    @property
    def envelope(self) -> str:
        """The domain receivers evaluate SPF for, for this mail ('' if unknown)."""
        if self.mail_from:
            return self.mail_from
        if self.ses and self.mail_from_known:
            return "amazonses.com"
        if self.ses:
            # SES never sends with the identity's own domain as MAIL FROM: its default is
            # amazonses.com and a custom MAIL FROM must be a subdomain (SES Developer Guide).
            return "amazonses.com or a custom MAIL FROM subdomain (SES's)"
        return ""

    @property
    def default_mail_from(self) -> bool:
        """SES sends with its own amazonses.com MAIL FROM: SPF never aligns."""
        return self.ses and self.mail_from_known and not self.mail_from


def world_of(findings: Sequence[Finding], sender_domain: str = "") -> World:
    """Read this mail's path from the findings of every layer (pure)."""
    ses = any(_is_ses(f) for f in findings)
    mail_from, known, verified, blocks = _mail_from(findings)
    return World(
        sender_domain=sender_domain or _apex(findings),
        ses=ses,
        mail_from=mail_from,
        mail_from_known=known,
        mail_from_verified=verified,
        mail_from_blocks=blocks,
        dkim_works=_dkim_works(findings),
        spf_aligned_works=_spf_works(findings, mail_from, verified),
        passed=_passed(findings),
    )


_SES_ENDPOINT = re.compile(r"(?i)\bemail-smtp(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com\b")


def _is_ses(f: Finding) -> bool:
    """This mail went through SES: the account was read, the MAIL FROM points at SES, the
    client's relay is an SES endpoint, or SES reported on its delivery."""
    if f.check.startswith("provider.ses.") and f.status not in (Status.SKIPPED, Status.ERROR):
        return True
    if f.check == "dns.mailfrom.mx" and f.data.get("ses_regions"):
        return True
    if f.check == "recipient.bounce.other_sender":
        return False  # another sender's mail says nothing about this one's path
    if f.layer is Layer.CLIENT and _SES_ENDPOINT.search(f.subject):
        return True
    return any("amazonses.com" in (e.server or "") for e in f.evidence if e.source == "bounce")


def _apex(findings: Sequence[Finding]) -> str:
    for f in findings:
        if f.check.startswith("dns.dmarc.") and f.subject:
            return f.subject
    return ""


def _mail_from(findings: Sequence[Finding]) -> tuple[str, bool, bool, bool]:
    """(domain, known, verified by SES, SES refuses while unverified)."""
    for f in findings:
        if f.check == "provider.ses.mail_from" and f.data.get("mail_from_domain"):
            domain = str(f.data["mail_from_domain"])
            blocks = f.status == Status.FAIL and "Reject" in str(f.data.get("behavior", ""))
            return domain, True, f.status == Status.PASS, blocks
        if f.check == "provider.ses.mail_from" and f.status in (Status.INFO, Status.WARN):
            return "", True, False, False  # SES's default MAIL FROM
    for f in findings:
        if f.check.startswith("dns.mailfrom.") and f.check != "dns.mailfrom.default" and f.subject:
            return f.subject, True, False, False
    return "", False, False, False


def _dkim_works(findings: Sequence[Finding]) -> str:
    for f in findings:
        if f.check == "message.dmarc.alignment" and f.status == Status.PASS:
            if f.data.get("dkim_aligned"):
                return f"a delivered copy has an aligned DKIM pass ({f.summary})"
    for f in findings:
        if f.check == "provider.ses.dkim" and f.status == Status.PASS:
            return f"SES signs with the domain ({f.summary})"
    return ""


def _spf_works(findings: Sequence[Finding], mail_from: str, verified: bool) -> str:
    for f in findings:
        if f.check == "message.dmarc.alignment" and f.status == Status.PASS:
            if f.data.get("spf_aligned"):
                return f"a delivered copy has an aligned SPF pass ({f.summary})"
    if not mail_from or _mail_from_broken(findings):
        return ""
    spf = [f for f in findings if f.check == "dns.mailfrom.spf" and f.subject == mail_from]
    trusted = verified or not _is_ses_any(findings)
    if spf and trusted and all(f.status == Status.PASS for f in spf):
        return f"SPF passes for the custom MAIL FROM {mail_from} ({spf[0].summary})"
    return ""


def _mail_from_broken(findings: Sequence[Finding]) -> bool:
    """A MAIL FROM defect (MX, SPF, verification) is reported: SPF does not align through it."""
    return any(
        f.cause and f.status in (Status.FAIL, Status.WARN)
        for f in findings
        if f.check.startswith(("provider.ses.mail_from", "dns.mailfrom."))
    )


def _is_ses_any(findings: Sequence[Finding]) -> bool:
    return any(f.check.startswith("provider.ses.") for f in findings)


def _passed(findings: Sequence[Finding]) -> tuple[str, ...]:
    seen: list[str] = []
    for f in findings:
        if f.check == "message.dmarc.alignment" and f.status == Status.PASS:
            seen.append(f"a delivered copy passes DMARC ({f.summary})")
        elif f.check == "message.auth_results.receiver" and _receiver_dmarc_pass(f):
            seen.append(f"the receiver recorded dmarc=pass ({f.subject})")
        elif f.check.endswith(".bounce.delivered") and f.status == Status.PASS:
            seen.append(f"a delivery status notification says delivered ({f.subject})")
    return tuple(dict.fromkeys(seen))


def _receiver_dmarc_pass(f: Finding) -> bool:
    results = f.data.get("results") or ()
    return any(
        isinstance(r, dict) and r.get("method") == "dmarc" and r.get("result") == "pass"
        for r in results
    )


# -- who refused decides ------------------------------------------------------------------

#: SES's refusal names the identities that failed: ``... failed the check in region
#: US-EAST-1: alice@example.net`` (REFERENCE.md section 2). The same text serves an
#: unverified sender and, in the sandbox, an unverified recipient.
_FAILED_CHECK = re.compile(r"failed the check in region [A-Za-z0-9-]+:(?P<who>[^\n(]{0,500})")


def refine_findings(
    findings: Sequence[Finding], sender_domain: str, relay_host: str = ""
) -> tuple[Finding, ...]:
    """Findings whose cause the whole picture makes more precise (pure).

    * An SES "Email address is not verified" refusal that names only addresses outside the
      sender's domain is about a recipient, which only the sandbox checks: the cause is
      the sandbox, not the sender's identity.
    * "Relay access denied" from the sender's own submission relay (``relay_host``) is not
      a recipient's server disowning the domain: the relay refuses to relay for a client
      that did not log in. Who refused decides the layer.
    """
    out = tuple(findings)
    if relay_host:
        out = tuple(_own_relay(f, _host(relay_host)) for f in out)
    if sender_domain:
        out = tuple(_refined(f, sender_domain.lower()) for f in out)
    return out


def _own_relay(f: Finding, relay: str) -> Finding:
    if f.cause not in ("recipient.rejected.relay_denied", "recipient.relay_denied"):
        return f
    hosts = {_host(f.subject), *(_host(e.server or "") for e in f.evidence)}
    if relay not in hosts:
        return f
    return dataclasses.replace(
        f,
        cause="client.smtp_auth.required",
        layer=Layer.CLIENT,
        summary=f.summary + f" - refused by the sender's own relay {relay}, not a recipient",
    )


def _refined(f: Finding, sender_domain: str) -> Finding:
    if f.cause != "provider.ses.identity_unverified":
        return f
    named = [
        who.strip(" ,.").lower()
        for e in f.evidence
        for raw in e.raw
        for m in _FAILED_CHECK.finditer(raw)
        for who in m.group("who").replace(",", " ").split()
        if who.strip(" ,.")
    ]
    if not named or any(_ours(who, sender_domain) for who in named):
        return f
    return dataclasses.replace(
        f,
        cause="provider.ses.sandbox_recipient_unverified",
        summary=f.summary + f" - the identity SES names ({', '.join(named)}) is a recipient",
    )


def _ours(identity: str, sender_domain: str) -> bool:
    domain = identity.rpartition("@")[2]
    return domain == sender_domain or domain.endswith("." + sender_domain)


# -- conditions ---------------------------------------------------------------------------


def observed(cause: RootCause) -> bool:
    """True when a cause rests on a refusal someone observed (never demoted by inference)."""
    return any(s in OBSERVED_SOURCES for s in cause.sources) or any(
        i.startswith("recipient.") for i in cause.ids
    )


def apply_conditions(
    causes: Sequence[RootCause], world: World
) -> tuple[tuple[RootCause, ...], tuple[RootCause, ...]]:
    """Judge the candidate causes against the world.

    Args:
        causes: The candidate causes (after merging).
        world: The mail's path (:func:`world_of`).

    Returns:
        (causes of this non-delivery and advisories, defects that did not stop this mail).
    """
    keep = [_with_world_notes(c, world) for c in causes]
    keep = _either_fix(keep, world)
    kept: list[RootCause] = []
    defects: list[RootCause] = []
    for cause in keep:
        demoted = _demotion(cause, world)
        if demoted is None:
            kept.append(cause)
        else:
            defects.append(demoted)
    return tuple(kept), tuple(defects)


def _side(cause: RootCause, side: frozenset[str]) -> bool:
    return not side.isdisjoint(cause.ids)


def _either_fix(causes: list[RootCause], world: World) -> list[RootCause]:
    """DMARC fails only if both aligned SPF and aligned DKIM fail: fixing either is enough."""
    dkim = [c for c in causes if _side(c, DKIM_SIDE)]
    spf = [c for c in causes if _side(c, SPF_SIDE) and not _spf_side_blocks(c, world)]
    spf_broken = bool(spf) or world.default_mail_from
    if not dkim or not spf_broken or world.spf_aligned_works:
        return causes
    main = dkim[0]
    alternatives = [_alternative(i, c) for c in dkim for i in c.ids if i in DKIM_SIDE][:1]
    alternatives += [_alternative(_first(c, SPF_SIDE), c) for c in spf]
    if not spf:
        alternatives.append(_default_mail_from_alternative(world))
    merged = _absorb(main, spf)
    alternatives = _with_leaves(alternatives, world)
    merged = dataclasses.replace(
        merged,
        alternatives=tuple(sorted(alternatives, key=lambda a: a.effort)),
        explanation=merged.explanation + _EITHER,
        # the SPF side is now an alternative, with what it leaves broken
        does_not_fix=tuple(n for n in merged.does_not_fix if n != _spf_note(world)),
    )
    return [merged if c is main else c for c in causes if c not in spf]


_EITHER = (
    " DMARC fails only when neither SPF nor DKIM passes aligned with the From domain: here "
    "both fail, so fixing either one restores DMARC (the alternatives below, cheapest first)."
)


def _with_leaves(alternatives: list[Alternative], world: World) -> list[Alternative]:
    """What stays broken when only one alternative is taken (from the world as found)."""
    dkim = [a for a in alternatives if a.id in DKIM_SIDE]
    spf = [a for a in alternatives if a.id not in DKIM_SIDE]
    spf_where = world.mail_from or "the MAIL FROM domain"
    out = []
    for alt in alternatives:
        leaves: tuple[str, ...] = ()
        if alt in dkim and spf and world.default_mail_from:
            leaves = (
                "SPF still does not align (SES's default MAIL FROM, amazonses.com): DMARC "
                "then rests on DKIM alone.",
            )
        elif alt in dkim and spf:
            leaves = (
                f"SPF still fails for {spf_where} ({', '.join(a.id for a in spf)}): DMARC "
                "then rests on DKIM alone.",
            )
        elif alt in spf and dkim:
            leaves = (
                f"DKIM is still not aligned ({', '.join(a.id for a in dkim)}): DMARC then "
                "rests on SPF alone, which forwarding breaks.",
            )
        out.append(dataclasses.replace(alt, leaves=leaves))
    return out


def _first(cause: RootCause, side: frozenset[str]) -> str:
    return next(i for i in cause.ids if i in side)


def _spf_side_blocks(cause: RootCause, world: World) -> bool:
    """A MAIL FROM defect with which SES refuses to send at all is not an SPF question."""
    return world.mail_from_blocks and cause.id in {
        "provider.ses.mail_from_mx_missing",
        "provider.ses.mail_from_mx_multiple",
        "provider.ses.mail_from_mx_wrong",
        "provider.ses.mail_from_mx_wrong_region",
        "provider.ses.mail_from_unverified",
    }


def _alternative(cause_id: str, cause: RootCause) -> Alternative:
    effort, note = _EFFORT.get(cause_id, (2, ""))
    fix = cause.specific_fix or cause.fix
    if cause_id != cause.id:
        from . import catalogue

        entry = catalogue.CATALOGUE.get(cause_id)
        fix = entry.fix if entry else fix
    return Alternative(
        id=cause_id, title=cause.title, fix=tuple(fix), effort=effort, effort_note=note
    )


def _default_mail_from_alternative(world: World) -> Alternative:
    from . import catalogue

    effort, note = _EFFORT["ses.default_mail_from"]
    # The catalogue's own steps: set the MAIL FROM subdomain, then its MX and SPF records.
    setup = catalogue.CATALOGUE["dns.mailfrom.not_aligned"].fix[:1]
    records = catalogue.CATALOGUE["provider.ses.mail_from_mx_missing"].fix[:2]
    return Alternative(
        id="dns.mailfrom.not_aligned",
        title="SES sends with its default MAIL FROM (amazonses.com), which never aligns",
        fix=(*setup, *records) or _DEFAULT_MAIL_FROM_FIX,
        effort=effort,
        effort_note=note,
        leaves=(),
    )


def _absorb(main: RootCause, others: Sequence[RootCause]) -> RootCause:
    """``main`` with the findings, evidence and ids of ``others`` merged in."""
    if not others:
        return main

    def joined(name: str) -> tuple[str, ...]:
        values = [*getattr(main, name), *(v for o in others for v in getattr(o, name))]
        return tuple(dict.fromkeys(values))

    related = tuple(dict.fromkeys([*main.related, *(i for o in others for i in o.ids)]))
    return dataclasses.replace(
        main,
        related=tuple(i for i in related if i != main.id),
        findings=joined("findings"),
        evidence=joined("evidence"),
        subjects=joined("subjects"),
        sources=joined("sources"),
        conflicts=joined("conflicts"),
        notes=joined("notes"),
        severity=Status.FAIL
        if Status.FAIL in {main.severity, *(o.severity for o in others)}
        else main.severity,
    )


def _demotion(cause: RootCause, world: World) -> RootCause | None:
    """The cause as a defect, if the world shows it did not stop this mail; else None."""
    if cause.severity != Status.FAIL or cause.alternatives or observed(cause):
        return None
    why, harms = _why_not_a_cause(cause, world)
    if not why:
        return None
    return dataclasses.replace(
        cause, kind=CauseKind.DEFECT, severity=Status.WARN, demoted_by=why, harms=harms
    )


def _why_not_a_cause(cause: RootCause, world: World) -> tuple[tuple[str, ...], str]:
    if _side(cause, APEX_SPF) and world.envelope and world.envelope != world.sender_domain:
        return (
            (
                f"this mail's envelope sender (MAIL FROM) is {world.envelope}, so receivers "
                f"evaluate SPF for {world.envelope}, not for the apex record",
            ),
            f"mail sent with {world.sender_domain or 'the From domain'} itself as envelope "
            "sender: the domain's own mail server and any other service sending as it, which "
            "fail SPF (and DMARC through SPF) everywhere",
        )
    if _side(cause, SPF_SIDE) and not _spf_side_blocks(cause, world) and world.dkim_works:
        return (
            (f"DMARC passes through aligned DKIM: {world.dkim_works}",),
            "DMARC's redundancy: mail whose DKIM signature breaks (mailing lists, footers) "
            "then fails DMARC; receivers that check SPF on its own; bounce handling through "
            "the MAIL FROM domain",
        )
    if _side(cause, DKIM_SIDE) and world.spf_aligned_works:
        return (
            (f"DMARC passes through aligned SPF: {world.spf_aligned_works}",),
            "forwarded mail (SPF fails after forwarding, only DKIM survives) and receivers "
            "that require a DKIM signature aligned with the From domain",
        )
    if not _AUTH.isdisjoint(cause.ids) and world.passed:
        return (
            world.passed,
            "other receivers, or mail sent another way, that meet this defect without the "
            "path that let this copy pass",
        )
    return (), ""


# -- does not fix, from the world ----------------------------------------------------------

#: Catalogue sentences that are only true in some worlds; replaced by computed ones.
_WORLD_SENTENCES = frozenset({"SPF alignment, which needs a custom MAIL FROM domain."})


def world_does_not_fix(cause: RootCause, world: World) -> tuple[str, ...]:
    """The cause's "does not fix" notes, with the world-dependent ones computed."""
    notes = [n for n in cause.does_not_fix if n not in _WORLD_SENTENCES]
    if _side(cause, DKIM_SIDE):
        notes.append(_spf_note(world))
    return tuple(dict.fromkeys(n for n in notes if n))


def _spf_note(world: World) -> str:
    if world.spf_aligned_works:
        return ""  # SPF already aligns: nothing on that side is left unfixed
    if world.mail_from and world.mail_from_verified:
        return (
            f"The custom MAIL FROM {world.mail_from} is configured and verified in SES; if its "
            "SPF fails (see the MAIL FROM findings), fixing DKIM restores DMARC but leaves "
            f"SPF failing for {world.mail_from}."
        )
    if world.mail_from:
        return (
            f"SPF alignment through the MAIL FROM domain {world.mail_from}: it is not verified "
            "or its records are broken (see the MAIL FROM findings), a separate fix."
        )
    if world.default_mail_from:
        return (
            "SPF alignment: SES sends with its default MAIL FROM (amazonses.com), which never "
            "aligns with the From domain; that needs a custom MAIL FROM domain."
        )
    return (
        "SPF alignment, which depends on the MAIL FROM domain (not checked here: give "
        "--mail-from, or let the SES layer read it)."
    )


def _with_world_notes(cause: RootCause, world: World) -> RootCause:
    notes = world_does_not_fix(cause, world)
    return cause if notes == cause.does_not_fix else dataclasses.replace(cause, does_not_fix=notes)


# -- contradictions ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Contradiction:
    """Two kinds of cause that cannot both hold for one piece of evidence.

    ``first`` is preferred when the evidence for both is equally strong (the more specific
    reading of the same reply).
    """

    first: frozenset[str]
    second: frozenset[str]
    why: str


_LOGIN_REFUSED = frozenset(
    {
        "client.smtp_auth.stale_ses_password",
        "client.smtp_auth.raw_secret_as_password",
        "client.smtp_auth.wrong_region_password",
        "client.smtp_auth.legacy_v2_password",
        "client.smtp_auth.temporary_key",
        "client.smtp_auth.wrong_formula",
        "client.smtp_auth.failed",
        "client.smtp_auth.required",
        "client.smtp_auth.app_password_required",
        "client.smtp_auth.disabled_for_tenant",
        "client.smtp_auth.no_common_mechanism",
        "client.smtp_auth.username_not_access_key",
        "client.smtp_auth.malformed_password",
        "client.smtp_auth.not_offered",
        "provider.ses.smtp_key_deleted",
        "provider.ses.smtp_key_inactive",
    }
)
_LOGIN_WORKED = frozenset(
    {
        "client.relay.message_rejected",
        "provider.ses.identity_unverified",
        "provider.ses.identity_wrong_region",
        "provider.ses.sandbox_recipient_unverified",
        "provider.ses.send_permission_missing",
    }
)

CONTRADICTIONS: tuple[Contradiction, ...] = (
    Contradiction(
        first=_LOGIN_REFUSED,
        second=_LOGIN_WORKED,
        why="the relay refused the login, so it never judged the message; a reading that the "
        "login worked and the message was refused cannot hold for the same reply",
    ),
)


def resolve_contradictions(
    causes: Sequence[RootCause],
    findings: Sequence[Finding] = (),
    rules: Iterable[Contradiction] = CONTRADICTIONS,
) -> tuple[RootCause, ...]:
    """Set aside the weaker of two causes that contradict each other about one exchange.

    Two causes are about the same exchange when they share a piece of evidence, when the
    same source reported both about the same subject, or when they name the same server
    (a relay probed live, and the relay a bounce quotes as Remote-MTA).
    """
    hosts = {c.id: _hosts(c, findings) for c in causes}
    out = list(causes)
    for rule in rules:
        out = _resolve(out, rule, hosts)
    return tuple(out)


#: Sources whose findings speak for the client in question: the relay probed live with the
#: client's own credentials, and the notices its failed attempts produced. A mail server's
#: log speaks for another client of the same relay, whose login may well differ.
_CLIENT_SOURCES = frozenset({"relay", "bounce"})


def _hosts(cause: RootCause, findings: Sequence[Finding]) -> frozenset[str]:
    """The relay hosts the client-side findings behind a cause talked to."""
    ids = set(cause.ids)
    names: set[str] = set()
    for f in findings:
        if f.cause not in ids or f.status not in (Status.FAIL, Status.WARN):
            continue
        if str(f.data.get("origin", "")) not in _CLIENT_SOURCES:
            continue
        names.update(_host(e.server or "") for e in f.evidence if e.source != "dns")
        if not f.check.startswith(("recipient.", "provider.")):
            names.add(_host(f.subject))
    return frozenset(n for n in names if n and "@" not in n and "." in n)


def _host(text: str) -> str:
    """``smtp.gmail.com`` from ``smtp.gmail.com:587``, ``[smtp.gmail.com]`` or ``dns; x.``."""
    text = text.strip().lower().removeprefix("dns;").strip().strip("[]")
    if text.count(":") == 1:
        text = text.split(":")[0]
    return text.rstrip(".").strip("[]")


def _resolve(
    causes: list[RootCause], rule: Contradiction, hosts: dict[str, frozenset[str]]
) -> list[RootCause]:
    for a in causes:
        for b in causes:
            if a is b or not _on_side(a, rule.first) or not _on_side(b, rule.second):
                continue
            if not _same_observation(a, b, hosts):
                continue  # different messages: both can be true
            winner, loser = (b, a) if _strength(b) > _strength(a) else (a, b)
            kept = dataclasses.replace(
                winner,
                conflicts=(*winner.conflicts, _overruled_text(loser, rule)),
                overruled=(*winner.overruled, *loser.ids),
            )
            rest = [kept if c is winner else c for c in causes if c is not loser]
            return _resolve(rest, rule, hosts)
    return causes


def _same_observation(a: RootCause, b: RootCause, hosts: dict[str, frozenset[str]]) -> bool:
    """Both causes were read from one exchange with one server."""
    if not set(a.evidence).isdisjoint(b.evidence):
        return True
    if not set(a.subjects).isdisjoint(b.subjects) and not set(a.sources).isdisjoint(b.sources):
        return True
    return not hosts.get(a.id, frozenset()).isdisjoint(hosts.get(b.id, frozenset()))


def _on_side(cause: RootCause, side: frozenset[str]) -> bool:
    return cause.id in side


def _strength(cause: RootCause) -> tuple[int, int]:
    """Independent sources first, then how many observations."""
    return (len(cause.sources), len(cause.evidence))


def _overruled_text(loser: RootCause, rule: Contradiction) -> str:
    return (
        f"Conflicting evidence set aside: {loser.id} ({loser.title}) was also read from the "
        f"same evidence, but {rule.why}."
    )
