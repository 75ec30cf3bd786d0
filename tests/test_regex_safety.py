"""No regular expression in src/ can backtrack super-linearly on outside text.

Every pattern in the source - literal patterns passed to ``re.*`` and every compiled
pattern a module holds - is parsed with Python's own regex parser and checked for the
shapes that make a backtracking engine slow:

* **nested**: an unbounded repeat inside an unbounded repeat, where the inner one can
  match what starts the outer body (``(a+)+``, ``(\\s*,)*``): exponential on failure;
* **adjacent**: two unbounded repeats in a row, or with only optional items between,
  that can match the same character (``\\s*\\)?\\s*$``): quadratic on a long run;
* **leading**: a pattern used to *search* (``re.sub``, ``re.search``...) that starts with
  an unbounded repeat followed by something that can fail (``\\s*\\(in reply to``): every
  start position in a run rescans it, quadratic.

A pattern allowed anyway is listed in :data:`ALLOWED` with why it cannot be slow.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import re._constants as sc  # noqa: PLC2701 - the parser's own opcodes
import re._parser as sp  # noqa: PLC2701
from collections.abc import Iterator
from pathlib import Path

import maildoctor

SRC = Path(maildoctor.__file__).parent
UNBOUNDED = sc.MAXREPEAT
REPEATS = (sc.MAX_REPEAT, sc.MIN_REPEAT)
#: Characters a class is tested against (ASCII, Latin-1, and a few Unicode spaces).
ALPHABET = [chr(c) for c in range(0x180)] + ["\u2028", "\u3000", "\ufeff"]
SEARCHES = {"sub", "subn", "search", "findall", "finditer", "split"}
CALLS = SEARCHES | {"compile", "match", "fullmatch"}

#: pattern -> why it is safe although the checker flags it
ALLOWED = {
    r"tests=([^\s]+(?:\s*,\s*[^\s,]+)*)": "nothing follows the repeats, so once the first "
    "character matched the match cannot fail and nothing is retried",
}

_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _in_class(items: list, char: str) -> bool:
    negate, hit = False, False
    for op, arg in items:
        if op is sc.NEGATE:
            negate = True
        elif op is sc.LITERAL:
            hit |= char == chr(arg)
        elif op is sc.RANGE:
            hit |= arg[0] <= ord(char) <= arg[1]
        elif op is sc.CATEGORY:
            hit |= bool(re.fullmatch(_CATEGORIES.get(str(arg), "."), char))
    return hit != negate


def _first(op: object, arg: object) -> tuple[set[str], bool]:
    """(characters the item can start with, whether it can match empty)."""
    if op is sc.LITERAL:
        return {chr(arg)}, False  # type: ignore[arg-type]
    if op is sc.NOT_LITERAL:
        return {c for c in ALPHABET if c != chr(arg)}, False  # type: ignore[arg-type]
    if op is sc.ANY:
        return set(ALPHABET) - {"\n"}, False
    if op is sc.IN:
        return {c for c in ALPHABET if _in_class(arg, c)}, False  # type: ignore[arg-type]
    if op in REPEATS:
        low, _, body = arg  # type: ignore[misc]
        return _starts(body), low == 0 or _nullable(body)
    if op is sc.SUBPATTERN:
        return _starts(arg[-1]), _nullable(arg[-1])  # type: ignore[index]
    if op is sc.BRANCH:
        branches = arg[1]  # type: ignore[index]
        return set().union(*(_starts(b) for b in branches)), any(_nullable(b) for b in branches)
    if op in (sc.AT, sc.ASSERT, sc.ASSERT_NOT):
        return set(), True
    return set(ALPHABET), False


def _starts(items: list) -> set[str]:
    out: set[str] = set()
    for op, arg in items:
        chars, empty = _first(op, arg)
        out |= chars
        if not empty:
            break
    return out


def _nullable(items: list) -> bool:
    return all(_first(op, arg)[1] for op, arg in items)


def _unbounded(op: object, arg: object) -> bool:
    return op in REPEATS and arg[1] == UNBOUNDED  # type: ignore[index]


def _inner_overlaps(items: list, starts: set[str]) -> bool:
    for op, arg in items:
        if _unbounded(op, arg) and _starts(arg[2]) & starts:
            return True
        for child in _children(op, arg):
            if _inner_overlaps(child, starts):
                return True
    return False


def _children(op: object, arg: object) -> list[list]:
    if op is sc.SUBPATTERN:
        return [arg[-1]]  # type: ignore[index]
    if op is sc.BRANCH:
        return list(arg[1])  # type: ignore[index]
    if op in REPEATS:
        return [arg[2]]  # type: ignore[index]
    if op in (sc.ASSERT, sc.ASSERT_NOT):
        return [arg[1]]  # type: ignore[index]
    return []


def _adjacent(items: list, index: int, chars: set[str]) -> bool:
    for op, arg in items[index + 1 :]:
        if _unbounded(op, arg):
            return bool(chars & _starts(arg[2]))
        if not _first(op, arg)[1]:
            return False
    return False


def problems(items: list) -> set[str]:
    """The dangerous shapes in a parsed pattern."""
    found: set[str] = set()
    for i, (op, arg) in enumerate(items):
        if _unbounded(op, arg):
            body = arg[2]
            if _inner_overlaps(body, _starts(body)):
                found.add("nested")
            if _adjacent(items, i, _starts(body)):
                found.add("adjacent")
        for child in _children(op, arg):
            found |= problems(child)
    return found


def leading(items: list) -> bool:
    """Starts with an unbounded repeat, and something after it can fail."""
    if not items:
        return False
    op, arg = items[0]
    if op is sc.SUBPATTERN:
        return leading(list(arg[-1])) and not _nullable(items[1:])
    return _unbounded(op, arg) and not _nullable(items[1:])


def literal_patterns() -> Iterator[tuple[str, str, str]]:
    """(where, function, pattern) for every ``re.f("...")`` call with a literal pattern."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                where = f"{path.relative_to(SRC)}:{node.lineno}"
                yield where, node.func.attr, node.args[0].value


def compiled_patterns() -> Iterator[tuple[str, str]]:
    """(where, pattern) for every compiled pattern a module of the package holds."""
    for info in pkgutil.walk_packages(maildoctor.__path__, "maildoctor."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                yield f"{info.name}.{name}", value.pattern


def test_the_checker_finds_the_known_shapes():
    assert problems(sp.parse(r"(a+)+$").data) == {"nested"}
    assert problems(sp.parse(r"(?:\s*,)*x").data) == {"nested"}
    assert problems(sp.parse(r"x\s*\)?\s*$").data) == {"adjacent"}
    assert leading(sp.parse(r"\s*\(in reply to [^)]*\)$").data)
    assert not problems(sp.parse(r"^[a-z]{2}(?:-[a-z]+)+-\d$").data)
    assert not problems(sp.parse(r"\S+@[\w-]+(?:\.[\w-]+)*").data)
    assert not leading(sp.parse(r"`+").data)


def test_no_pattern_in_src_backtracks_on_outside_text():
    flagged = []
    for where, function, pattern in literal_patterns():
        found = problems(sp.parse(pattern).data)
        if function in SEARCHES and leading(sp.parse(pattern).data):
            found.add("leading")
        if found and pattern not in ALLOWED:
            flagged.append(f"{where}: {sorted(found)} {pattern!r}")
    for where, pattern in compiled_patterns():
        found = problems(sp.parse(pattern).data)
        if found and pattern not in ALLOWED:
            flagged.append(f"{where}: {sorted(found)} {pattern!r}")
    assert not flagged, "\n".join(flagged)


def test_allowed_patterns_still_exist():
    every = {p for _, _, p in literal_patterns()} | {p for _, p in compiled_patterns()}
    assert set(ALLOWED) <= every, set(ALLOWED) - every
