"""The MIME reader: headers, boundaries, transfer encodings, bounds."""

from __future__ import annotations

from maildoctor.bounce.mime import MAX_DEPTH, decode_body, parse_text, split_boundary, split_headers
from maildoctor.bounce.parse import read_mail


def test_headers_folding_and_missing_separator() -> None:
    headers, body = split_headers("Subject: a\n b\nX-Y:z\nnot a header line\nmore\n\nrest")
    assert headers == [("Subject", "a\n b"), ("X-Y", "z")]
    assert body.startswith("not a header line\nmore\n\nrest")
    assert split_headers("\nbody only") == ([], "body only")


def test_boundaries_are_whole_lines() -> None:
    body = "pre\n--b\nA: 1\n\none\n--bx\nstill one\n--b \nB: 2\n\ntwo\n--b--\nepilogue"
    defects: list[str] = []
    chunks = split_boundary(body, "b", defects)
    assert chunks == ["A: 1\n\none\n--bx\nstill one", "B: 2\n\ntwo"]
    assert defects == []
    assert split_boundary("no delimiter", "b", defects) is None
    assert split_boundary("--b\nX: 1\n\nopen", "b", []) == ["X: 1\n\nopen"]


def test_content_type_and_transfer_encodings() -> None:
    part = parse_text(
        'Content-Type: Text/Plain; charset="ISO-8859-1"; format=flowed\n'
        "Content-Transfer-Encoding: quoted-printable\n\nd=E9j=E0 vu=\n ok"
    )
    assert part.ctype == "text/plain" and part.charset == "iso-8859-1"
    assert decode_body(part) == "d\xe9j\xe0 vu ok".encode("latin-1")
    b64 = parse_text("Content-Transfer-Encoding: base64\n\naGVsbG8\n")  # padding missing
    assert decode_body(b64) == b"hello"
    assert parse_text("Content-Type: garbage\n\nx").ctype == "text/plain"


def test_digest_children_default_to_message() -> None:
    part = parse_text('Content-Type: multipart/digest; boundary="d"\n\n--d\n\nFrom: a@example.com\n'
                      "\n--d--\n")  # fmt: skip
    assert part.children is not None and part.children[0].ctype == "message/rfc822"


def test_nesting_is_bounded() -> None:
    text = "".join(
        f'Content-Type: multipart/mixed; boundary="b{n}"\n\n--b{n}\n' for n in range(100)
    )
    part = parse_text(text + "Content-Type: text/plain\n\nleaf\n")
    depth = 0
    while part.children:
        part = part.children[0]
        depth += 1
    assert depth == MAX_DEPTH
    assert any("nesting" in d for d in part.defects)


def test_flat_text_keeps_only_the_returned_headers() -> None:
    raw = (b'Content-Type: multipart/report; boundary="r"\n\n--r\nContent-Type: text/plain\n\n'
           b"report text\n--r\nContent-Type: message/rfc822\n\nFrom: a@example.com\n"
           b"Subject: original\n\nthe original body\n--r--\n")  # fmt: skip
    mail = read_mail(raw)
    assert "report text" in mail.report
    assert mail.original_header("subject") == "original"
    assert "the original body" not in mail.flat
    assert mail.inner is not None and "the original body" in mail.inner
