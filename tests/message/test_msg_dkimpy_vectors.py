"""dkimpy's own test messages verified through maildoctor's prefetching path.

The data files come from dkimpy 1.1.8's ``dkim/tests/data`` (copied into
tests/fixtures/messages/dkimpy; the installed wheel does not ship them). Each
case restates one expectation of dkimpy's ``test_dkim.py`` /
``test_dkim_ed25519.py``: the message, the key records its ``dnsfunc`` would give
(served here by the loopback DNS server) and whether dkimpy's ``verify`` returns
True. Cases that need PyNaCl (ed25519) are skipped when it is not installed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

import dkim
import pytest
from msg_helpers import DKIMPY_DATA

from maildoctor.message.dkim_verify import verify_dkim
from maildoctor.message.headers import parse_message

HAVE_NACL = importlib.util.find_spec("nacl") is not None


def data(name: str) -> bytes:
    return (DKIMPY_DATA / name).read_bytes()


def txt(name: str) -> str:
    return data(name).decode().strip()


KEY = data("test.private")
BRISBANE = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
BAD_KEY = (  # dnsfunc6: a corrupted key
    "k=rsa; p=MFwwDQYJKoZIhvNAQEBBQADSwAwSAJBANmBe10IgY+u7h3enWTukkqtUD5PR52T"
    "b/mPfjC0QJTocVBq6Za/PlzfV+Py92VaCak19F4WrbVTK5Gg5tW220MCAwEAAQ=="
)


def signed(message: bytes, *, domain: bytes = b"example.com", **kw: object) -> bytes:
    return dkim.sign(message, b"test", domain, KEY, **kw) + message  # type: ignore[arg-type]


GMAIL_2012 = (  # dkimpy's dnsfunc: the key test2.message was signed with
    "k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1Kd87/UeJjenpabgbFwh"
    "+eBCsSTrqmwIYYvywlbhbqoo2DymndFkbjOVIPIldNs/m40KF+yzMn1skyoxcTUGCQ"
    "s8g3FgD2Ap3ZB5DekAo5wMmk4wimDO+U8QzI3SD07y2+07wlNWwIt8svnxgdxGkVbb"
    "hzY8i+RQ9DpSVpPbF7ykQxtKXkv/ahW3KjViiAH+ghvvIhkx4xYSIc9oSwVmAl5Oct"
    "MEeWUwg8Istjqz8BZeTWbf41fbNhte7Y+YqZOwq1Sd0DbvYAD9NOZK9vlfuac0598H"
    "Y+vtSBczUiKERHv1yRbcaQtZFh5wtiRrN04BLUTD21MycBX5jYchHjPY/wIDAQAB"
)


def keys(example_com: str = "test.txt") -> dict[str, list[object]]:
    return {
        "test._domainkey.example.com": [{"TXT": txt(example_com)}],
        "20120113._domainkey.gmail.com": [{"TXT": GMAIL_2012}],
    }


FOOTBALL = {
    "test._domainkey.football.example.com": [{"TXT": txt("test.txt")}],
    "brisbane._domainkey.football.example.com": [{"TXT": BRISBANE}],
}

CANON = [(h, b) for h in (b"simple", b"relaxed") for b in (b"simple", b"relaxed")]

# (dkimpy test, message builder, zone, signature index, dkimpy's expectation, needs nacl)
Case = tuple[str, Callable[[], bytes], dict[str, list[object]], int, bool, bool]
CASES: list[Case] = [
    *[
        (
            f"test_verifies[{h.decode()}/{b.decode()}]",
            lambda h=h, b=b: signed(data("test.message"), canonicalize=(h, b)),
            keys(),
            0,
            True,
            False,
        )
        for h, b in CANON
    ],
    *[
        (
            f"test_implicit_k[{h.decode()}/{b.decode()}]",
            lambda h=h, b=b: signed(data("test.message"), canonicalize=(h, b)),
            keys("test2.txt"),
            0,
            True,
            False,
        )
        for h, b in CANON
    ],
    (
        "test_verifies_lflinesep",
        lambda: signed(data("test.message"), linesep=b"\n"),
        keys(),
        0,
        True,
        False,
    ),
    (
        "test_add_body_length",
        lambda: signed(data("test.message"), length=True),
        keys(),
        0,
        True,
        False,
    ),
    (
        "test_l_verify",
        lambda: signed(data("test.message"), length=True) + b"added more text\n",
        keys(),
        0,
        True,
        False,
    ),
    (
        "test_altered_body_fails",
        lambda: signed(data("test.message")) + b"foo",
        keys(),
        0,
        False,
        False,
    ),
    (
        "test_bad_version",
        lambda: signed(data("test.message")),
        keys("badversion.txt"),
        0,
        False,
        False,
    ),
    ("test_unknown_k", lambda: signed(data("test.message")), keys("badk.txt"), 0, False, False),
    ("test_invalid_domain_verify", lambda: data("test.message.baddomain"), keys(), 0, False, False),
    ("test_degenerate_folding", lambda: data("test2.message"), keys(), 0, True, False),
    (
        "test_double_verifies",
        lambda: signed(data("rfc6376.msg"), domain=b"football.example.com"),
        FOOTBALL,
        0,
        True,
        False,
    ),
    ("test_no_t", lambda: data("rfc6376.signed.no_t.msg"), FOOTBALL, 0, False, False),
    (
        "test_catch_bad_key",
        lambda: data("rfc6376.signed.rsa.msg"),
        {"test._domainkey.football.example.com": [{"TXT": BAD_KEY}]},
        0,
        False,
        False,
    ),
    # dkimpy's test verifies the unsigned Windows-1258 message (its signature is not
    # prepended), so "not verified" is the expectation restated here.
    ("test_non_utf8", lambda: data("rfc6376.w1258.msg"), FOOTBALL, 0, False, False),
    (
        "test_multiple_from_fails",
        lambda: signed(data("test.message")).replace(
            b"\n\n", b'\nFrom: "Resident Evil" <sales@spammer.example>\n\n', 1
        ),
        keys(),
        0,
        False,
        False,
    ),
    ("test_double_previous_verifies", lambda: data("rfc6376.signed.msg"), FOOTBALL, 0, True, True),
    (
        "test_verify_third_party (ed25519, Exim)",
        lambda: data("ed25519test2.msg"),
        {"sed._domainkey.test.ex": [{"TXT": txt("eximtest.dns")}]},
        0,
        True,
        True,
    ),
]


@pytest.mark.parametrize(
    ("build", "zone", "index", "expected", "needs_nacl"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
async def test_dkimpy_expectation(served, build, zone, index, expected, needs_nacl):
    if needs_nacl and not HAVE_NACL:
        pytest.skip("ed25519 verification needs PyNaCl, which is not installed")
    raw = build()
    ctx = served(zone)
    verdicts = await verify_dkim(raw, parse_message(raw), resolver=ctx.resolver)
    verified = len(verdicts) > index and verdicts[index].result == "pass"
    assert verified is expected, verdicts


async def test_unsigned_message_has_no_verdict(served):
    ctx = served(keys())
    raw = data("test.message")
    assert await verify_dkim(raw, parse_message(raw), resolver=ctx.resolver) == ()
