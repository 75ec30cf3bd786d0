"""The root-cause catalogue: complete, well-formed, accurate where it matters, documented."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

import maildoctor
from maildoctor import catalogue
from maildoctor.catalogue import Kind, UnknownCauseError
from maildoctor.correlate import CONFLICTS, RULES
from maildoctor.model import Layer, Status
from maildoctor.report.rootcauses import render_catalogue

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "maildoctor"

#: Ids the product must be able to name (issue 6 and the layer issues).
REQUIRED = """
client.smtp_auth.stale_ses_password client.smtp_auth.raw_secret_as_password
client.smtp_auth.wrong_region_password client.smtp_auth.legacy_v2_password
client.smtp_auth.temporary_key client.smtp_auth.not_offered client.smtp_auth.failed
client.smtp_tls.certificate_invalid client.smtp.unreachable provider.ses.recipient_suppressed
provider.ses.identity_unverified provider.ses.identity_wrong_region
provider.ses.email_identity_only provider.ses.dkim_cname_missing
provider.ses.mail_from_mx_missing provider.ses.smtp_key_deleted provider.ses.smtp_key_inactive
provider.ses.sandbox provider.ses.sending_paused dns.spf.lookup_limit dns.spf.missing
dns.spf.permerror dns.dmarc.missing dns.dmarc.fo_without_ruf dns.dmarc.policy_none
dns.dkim.key_missing dns.dkim.not_aligned dns.mx.null_mx transport.port25_blocked
transport.mx.starttls_missing recipient.rejected.dmarc recipient.rejected.spf
recipient.rejected.spam recipient.blocked_ip recipient.user_unknown recipient.mailbox_full
""".split()

ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


def cause_literals() -> dict[str, str]:
    """Every cause id written in the source, with where it is (static scan).

    Forms: ``cause="..."`` (also both branches of ``"..." if x else "..."``),
    ``cause = "..."``, ``{"cause": "..."}``, ``CAUSE_X = "..."``, ``for _, cause in
    (("...", "..."), ...)`` over a literal or a module-level table, and tuples holding a
    ``Layer.X`` and an id (``return Layer.CLIENT, "client.smtp_auth.required"``). Ids in
    rule tables built by helper calls are found by :func:`cause_registries`.
    """
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        if "catalogue" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for value in _cause_values(tree):
            for literal in _literals(value):
                if ID.match(literal):  # not placeholders such as `record.cause or "-"`
                    found.setdefault(literal, f"{path.relative_to(ROOT)}:{value.lineno}")
    return found


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if node.value else []
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [x for v in node.values for x in _literals(v)]
    if isinstance(node, ast.JoinedStr):  # f"transport.mx.{'a' if x else 'b'}"
        texts = [""]
        for part in node.values:
            inner = part.value if isinstance(part, ast.FormattedValue) else part
            options = _literals(inner) if isinstance(inner, ast.expr) else []
            if not options:
                return []
            texts = [t + o for t in texts for o in options]
        return texts
    return []


def _cause_values(tree: ast.Module):
    tables = _module_tables(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "cause":
            yield node.value
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            yield from _assigned(node)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "cause":
                    yield value
        elif isinstance(node, ast.For | ast.comprehension):
            yield from _loop_values(node, tables)
        elif isinstance(node, ast.Tuple) and any(_is_layer(e) for e in node.elts):
            yield from (e for e in node.elts if isinstance(e, ast.Constant))
        elif isinstance(node, ast.FunctionDef) and "cause" in node.name.lower():
            returns = (n for n in ast.walk(node) if isinstance(n, ast.Return) and n.value)
            yield from (r.value for r in returns if r.value is not None)


def _assigned(node: ast.Assign | ast.AnnAssign):
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if node.value is None:
        return
    for target in targets:
        named = isinstance(target, ast.Name) and (
            target.id == "cause" or target.id.startswith("CAUSE_")
        )
        if named or (isinstance(target, ast.Attribute) and target.attr == "cause"):
            yield node.value


def _module_tables(tree: ast.Module) -> dict[str, ast.expr]:
    tables: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            tables[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            tables[node.target.id] = node.value
    return tables


def _loop_values(node: ast.For | ast.comprehension, tables: dict[str, ast.expr]):
    """``for phrase, cause in TABLE``: the cause column of a literal table."""
    target = node.target
    if not isinstance(target, ast.Tuple):
        return
    names = [e.id if isinstance(e, ast.Name) else "" for e in target.elts]
    if "cause" not in names:
        return
    column = names.index("cause")
    table = node.iter
    if isinstance(table, ast.Name):
        table = tables.get(table.id, table)
    if isinstance(table, ast.Tuple | ast.List):
        for row in table.elts:
            if isinstance(row, ast.Tuple) and len(row.elts) > column:
                yield row.elts[column]


def _is_layer(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Layer"
    )


def cause_registries() -> dict[str, str]:
    """Cause ids held by rule tables at run time, in any module-level container of any
    maildoctor module: objects with a ``cause`` attribute, ids in a tuple that also holds a
    ``Layer`` or a ``Status``, and ids in tables whose name says CAUSE or FAILURE."""
    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(maildoctor.__path__, "maildoctor."):
        if info.name.endswith("__main__") or ".catalogue" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if getattr(value, "__module__", module.__name__) != module.__name__:
                continue
            named = "CAUSE" in name.upper() or "FAILURE" in name.upper()
            for cause in _held_causes(value, depth=3, named=named):
                found.setdefault(cause, f"{info.name}.{name}")
    return found


LAYER_ID = re.compile(r"^(client|provider|dns|transport|recipient|message)(\.[a-z0-9_]+)+$")


def _held_causes(value: object, depth: int, *, named: bool = False) -> list[str]:
    if isinstance(value, str):
        return [value] if named and LAYER_ID.match(value) else []
    if depth == 0 or isinstance(value, bytes | type):
        return []
    cause = getattr(value, "cause", None)
    if isinstance(cause, str) and not callable(cause):
        return [cause] if cause else []
    if isinstance(value, tuple) and any(isinstance(x, Layer | Status) for x in value):
        return [x for x in value if isinstance(x, str) and LAYER_ID.match(x)]
    items = value.values() if isinstance(value, Mapping) else value
    if isinstance(items, tuple | list | frozenset | set) or isinstance(value, Mapping):
        return [c for item in items for c in _held_causes(item, depth - 1, named=named)]
    return []


def test_scanner_sees_the_forms_it_claims():
    code = (
        'f(cause="a.b.c")\nf(cause="d.e.f" if x else "")\ncause = "g.h.i"\n'
        '{"cause": "j.k.l"}\n{"cause": {"type": "string"}}\nf(cause=f"m.{n}")\n'
        'CAUSE_X = "n.o.p"\nT = (("w", "q.r.s"),)\nfor w, cause in T: pass\n'
        'for w, cause in (("w", "t.u.v"),): pass\nx = (Layer.DNS, "w.x.y")\n'
        "f(cause=f\"z.mx.{'a' if x else 'b'}\")\n"
        'def _ms_cause(x):\n    if x:\n        return "r.s.t"\n    return "u.v.w" if x else ""\n'
    )
    values = {x for v in _cause_values(ast.parse(code)) for x in _literals(v)}
    assert values == {
        "a.b.c",
        "d.e.f",
        "g.h.i",
        "j.k.l",
        "n.o.p",
        "q.r.s",
        "t.u.v",
        "w.x.y",
        "z.mx.a",
        "z.mx.b",
        "r.s.t",
        "u.v.w",
    }


def test_registry_scan_sees_rule_objects_and_layer_pairs():
    class Rule:
        cause = "client.smtp_auth.failed"

    table = {"a": (Layer.DNS, "dns.spf.missing"), "b": [Rule(), Rule()]}
    assert sorted(_held_causes(table, depth=3)) == [
        "client.smtp_auth.failed",
        "client.smtp_auth.failed",
        "dns.spf.missing",
    ]


def test_every_cause_used_in_the_source_is_catalogued():
    literals = {**cause_registries(), **cause_literals()}
    assert literals, "the scanner found no cause literal at all"
    missing = {
        cid: where
        for cid, where in literals.items()
        if catalogue.canonical(cid) not in catalogue.CATALOGUE
    }
    assert not missing, f"cause ids used in the source but not catalogued: {missing}"
    notes = {cid for cid in literals if catalogue.get(cid).kind is Kind.NOTE}
    assert not notes, f"notes are not causes: {notes}"


@pytest.mark.parametrize("cause_id", REQUIRED)
def test_required_ids_are_catalogued(cause_id):
    assert catalogue.get(cause_id).kind is Kind.CAUSE


@pytest.mark.parametrize("entry", catalogue.entries(), ids=lambda e: e.id)
def test_entry_is_well_formed(entry):
    assert ID.match(entry.id), entry.id
    assert entry.title and entry.explanation and entry.references
    assert not entry.title.endswith(".")
    for note in entry.notes:
        assert catalogue.get(note).kind is Kind.NOTE, note
    if entry.kind is Kind.NOTE:
        assert entry.id.startswith("note.") and not entry.fix
    else:
        assert entry.id.split(".")[0] == str(entry.layer)
        assert entry.fix, "a cause says how to fix it"
        assert entry.does_not_fix, "a cause says what its fix does not fix"


def test_entries_and_kinds():
    causes = catalogue.entries(Kind.CAUSE)
    notes = catalogue.entries(Kind.NOTE)
    assert len(causes) + len(notes) == len(catalogue.CATALOGUE)
    assert {e.layer for e in causes} >= {
        Layer.CLIENT,
        Layer.PROVIDER,
        Layer.DNS,
        Layer.TRANSPORT,
        Layer.RECIPIENT,
    }


def test_stale_password_entry_says_exactly_what_to_do():
    e = catalogue.get("client.smtp_auth.stale_ses_password")
    fix = " ".join(e.fix)
    assert "maildoctor ses-smtp-password --region" in fix
    assert "Accounts and Import" in fix and "Send mail as" in fix and "edit info" in fix
    assert "535 Authentication Credentials Invalid" in e.explanation
    assert any("DMARC" in x for x in e.does_not_fix)


def test_dmarc_rejection_entry_aligns_dkim_and_warns_about_quarantine():
    e = catalogue.get("recipient.rejected.dmarc")
    fix = " ".join(e.fix)
    assert "create-email-identity" in fix and "dkim.amazonses.com" in fix
    assert "three CNAMEs" in fix and "MAIL FROM" in fix
    assert "quarantine" in fix and "silently" in fix
    assert any("password" in x for x in e.does_not_fix)
    assert "5.7.509" in e.explanation


@pytest.mark.parametrize(
    ("note", "facts"),
    [
        ("note.ses_smtp_password_formula", ("112358132134", "per region", "0x04")),
        ("note.email_vs_domain_identity", ("email identity", "domain identity", "same region")),
        ("note.spf_on_mail_from_domain", ("MAIL FROM", "subdomain", "never aligns")),
        ("note.dmarc_fo_needs_ruf", ("fo=1", "ruf=")),
        ("note.dmarc_quarantine_silent", ("quarantine", "no bounce", "5.7.509")),
    ],
)
def test_corrections_to_the_write_up(note, facts):
    entry = catalogue.get(note)
    text = f"{entry.title} {entry.explanation}"
    for fact in facts:
        assert fact in text, fact


def test_derivation_facts_are_the_real_ones():
    text = catalogue.get("client.smtp_auth.wrong_formula").explanation
    for step in ('"11111111"', "the region", '"ses"', '"aws4_request"', '"SendRawEmail"'):
        assert step in text


def test_unknown_id_names_close_matches():
    with pytest.raises(UnknownCauseError) as caught:
        catalogue.get("recipent.rejected.dmarc")
    assert caught.value.matches[0] == "recipient.rejected.dmarc"
    assert "did you mean" in str(caught.value)
    assert catalogue.close_matches("stale") == ("client.smtp_auth.stale_ses_password",)
    assert catalogue.close_matches("") == ()
    assert catalogue.close_matches("zzzzqqqq") == ()


def test_rules_and_conflicts_name_catalogued_causes():
    seen: set[str] = set()
    for rule in RULES:
        for cause_id in rule.ids:
            assert catalogue.get(cause_id).kind is Kind.CAUSE
            assert cause_id in catalogue.CATALOGUE, f"{cause_id} is an alias: use its entry id"
            assert cause_id not in seen, f"{cause_id} is in two rules"
            seen.add(cause_id)
    for conflict in CONFLICTS:
        for cause_id in conflict.causes | conflict.with_causes:
            catalogue.get(cause_id)


def test_docs_page_is_generated_from_the_catalogue():
    page = (ROOT / "docs" / "root-causes.md").read_text(encoding="utf-8")
    assert page == render_catalogue(), (
        "docs/root-causes.md is stale: run "
        "`python -m maildoctor.report.rootcauses > docs/root-causes.md`"
    )
    for entry in catalogue.entries():
        assert f"### `{entry.id}`" in page


def test_aliases_resolve_to_their_entry():
    assert catalogue.ALIASES, "some layers use other names for catalogued causes"
    for alias, target in catalogue.ALIASES.items():
        assert alias not in catalogue.CATALOGUE
        assert alias in catalogue.CATALOGUE[target].aliases
        assert catalogue.get(alias).id == target == catalogue.canonical(alias)
        assert ID.match(alias)
    assert catalogue.canonical("not.a.cause") == "not.a.cause"
    assert catalogue.get("recipient.rejected.no_ptr").id == "recipient.rejected.ptr"


@pytest.mark.parametrize("entry", catalogue.entries(), ids=lambda e: e.id)
def test_placeholders_sit_in_code_spans(entry):
    """`<domain>` outside a code span would vanish as an HTML tag in rendered Markdown."""
    for text in (entry.title, entry.explanation, *entry.fix, *entry.does_not_fix):
        assert text.count("`") % 2 == 0, text
        assert "<" not in re.sub(r"`[^`]*`", "", text), text
