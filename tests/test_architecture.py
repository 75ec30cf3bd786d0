"""The import rules of docs/ARCHITECTURE.md, read from every module's source with ``ast``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import maildoctor

SRC = Path(maildoctor.__file__).parent

FOUNDATIONS = {"", "model", "errors", "secrets", "context", "catalogue", "escaping", "workers"}
#: ``replies`` is the one reading of a server's reply that bounce, logs and smtp share.
LAYERS = {"dns", "smtp", "provider", "message", "bounce", "logs", "reports", "replies", "postfix"}
ABOVE_LAYERS = {
    "api",
    "cli",
    "web",
    "diagnose",
    "diagnose_request",
    "batch",
    "report",
    "testing",
    "demo",
    "correlate",
    "reasoning",
    "__main__",
}

#: What each top-level part may import at run time (besides itself).
ALLOWED: dict[str, set[str]] = {
    **{name: FOUNDATIONS for name in FOUNDATIONS},
    **{name: FOUNDATIONS | LAYERS for name in LAYERS},
    "correlate": FOUNDATIONS | {"reasoning"},
    "reasoning": FOUNDATIONS,
    "report": FOUNDATIONS | {"correlate", "reasoning"},
    "diagnose": FOUNDATIONS | LAYERS | {"correlate", "diagnose_request"},
    # What a diagnosis is asked and the adapter shape, split out of ``diagnose`` for size.
    "diagnose_request": FOUNDATIONS | LAYERS,
    "batch": FOUNDATIONS | LAYERS | {"correlate"},
    "testing": FOUNDATIONS | LAYERS,
    # The package root hands out the Python API on first use (PEP 562): ``maildoctor.api``.
    "": FOUNDATIONS | {"api"},
}
#: The modules that may import ``testing`` (the demo stages loopback servers).
TESTING_USERS = {"maildoctor.cli.demo_cmd"}


@dataclass(frozen=True, slots=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module, absolute
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """Nodes under ``if TYPE_CHECKING:`` (not imported at run time)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(sub) for stmt in node.body for sub in ast.walk(stmt))
    return skip


def _targets(node: ast.AST, package: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if not node.level:
            return [node.module or ""]
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        stem = ".".join(base + ([node.module] if node.module else []))
        return [stem] if node.module else [f"{stem}.{a.name}" for a in node.names]
    return []


def imports(path: Path) -> Iterator[Import]:
    """Every run-time import of a maildoctor module in one source file."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text("utf-8"))
    skip = _type_checking_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        for target in _targets(node, package):
            if target == "maildoctor" or target.startswith("maildoctor."):
                yield Import(module=name, target=target, line=getattr(node, "lineno", 0))


def part(module: str) -> str:
    """``maildoctor.dns.mx`` -> ``dns``; ``maildoctor`` -> ``""``."""
    return module.split(".")[1] if "." in module else ""


def all_imports() -> list[Import]:
    return [i for path in sorted(SRC.rglob("*.py")) for i in imports(path)]


ALL = all_imports()


def test_the_reader_sees_the_imports_it_must_judge():
    """The rules below are only as good as this reader: it must find known imports."""
    found = {(i.module, i.target) for i in ALL}
    assert ("maildoctor.diagnose", "maildoctor.correlate") in found
    assert ("maildoctor.dns.mx", "maildoctor.dns.rdata") in found
    assert ("maildoctor.diagnose", "maildoctor.provider.ses.driver") in found  # inside a function
    assert not any(i.module == "maildoctor.context" for i in ALL)  # TYPE_CHECKING only


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_nothing_imports_upward(name):
    bad = [
        f"{i.module}:{i.line} imports {i.target}"
        for i in ALL
        if part(i.module) == name and part(i.target) not in ALLOWED[name] | {name}
    ]
    assert bad == []


def test_no_layer_imports_cli_diagnose_report_or_testing():
    bad = [
        f"{i.module}:{i.line} imports {i.target}"
        for i in ALL
        if part(i.module) in LAYERS and part(i.target) in ABOVE_LAYERS
    ]
    assert bad == []


def test_only_the_demo_imports_the_loopback_servers():
    bad = [
        f"{i.module}:{i.line} imports {i.target}"
        for i in ALL
        if part(i.target) == "testing"
        and part(i.module) not in {"testing", "demo"}
        and i.module not in TESTING_USERS
    ]
    assert bad == []


def test_only_the_cli_command_loader_imports_by_name():
    users = sorted(
        _module_name(path)
        for path in SRC.rglob("*.py")
        if "import_module" in (text := path.read_text("utf-8")) or "__import__" in text
    )
    assert users == ["maildoctor.cli"]


def test_context_and_the_cli_options_load_no_layer(subprocess_env):
    """``context`` imports nothing from the layers; ``cli/common`` (every command's start-up
    path) loads neither dnspython nor the loopback servers."""
    import subprocess
    import sys

    code = (
        "import sys; before = set(sys.modules); import maildoctor.context, maildoctor.cli.common; "
        "print(sorted(m for m in set(sys.modules) - before if m.startswith(('dns', "
        "'maildoctor.testing', 'maildoctor.dns.resolver', 'maildoctor.smtp', "
        "'maildoctor.provider'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
