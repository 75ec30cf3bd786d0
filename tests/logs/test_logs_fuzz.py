"""Hypothesis fuzzing of the log line parsers: any text is a result or None, never an error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maildoctor.logs.analyze import classify
from maildoctor.logs.formats import parse_line
from maildoctor.logs.parse import ParseState, find_reply

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PREFIXES = st.sampled_from(
    [
        "",
        "Mar  4 10:00:01 mx postfix/smtp[1]: ",
        "Mar  4 10:00:01 gw sendmail[2]: ",
        "2024-03-04 10:15:02 1rgXyZ-000123-AB ",
        "2024-03-04T10:00:00Z host postfix/qmgr[3]: ",
        "2024-03-04 10:00:01,512 ERROR ",
    ]
)
BODIES = st.text(max_size=300) | st.from_regex(
    r"(ABCDEF1234: )?(to=<[a-z@.]{0,20}>, )?(relay=[a-z.\[\]0-9:]{0,30}, )?"
    r"(dsn=[0-9.]{0,7}, )?(status=[a-z]{0,10} )?\(?[0-9]{0,3}[ -]?[0-9.]{0,7} ?[ -~]{0,60}\)?",
    fullmatch=True,
)


@FAST
@given(PREFIXES, BODIES)
def test_parse_line_never_raises(prefix, body):
    parsed = parse_line(prefix + body, ParseState(year=2024))
    if parsed is not None:
        for event in parsed.events:
            classify(event.reply)


@FAST
@given(st.text(max_size=400))
def test_find_reply_never_raises(text):
    reply = find_reply(text)
    assert reply is None or 200 <= (reply.code or 0) < 600
