"""Compressed, archived and e-mailed reports; bombs and broken containers."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from maildoctor.errors import InputError
from maildoctor.reports.model import AggregateReport, FailureReport, TlsReport
from maildoctor.reports.reader import iter_reports
from maildoctor.reports.unpack import MAX_NESTING, decompress, read_payload

#: The smallest aggregate report accepted: a policy and no record.
MINIMAL = b"<feedback><policy_published><domain>example.com</domain></policy_published></feedback>"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_every_built_fixture_is_read(built: Path) -> None:
    kinds: dict[str, list[str]] = {}
    for item in iter_reports(built):
        if item.report is not None:
            kinds.setdefault(item.report.kind, []).append(item.origin)
        else:
            assert not item.invalid, item.error
    assert len(kinds["aggregate"]) == 10
    assert len(kinds["tls"]) == 2
    assert len(kinds["failure"]) == 1


def test_zip_gzip_and_email_give_the_same_report(built: Path, sources: Path) -> None:
    bare = next(iter_reports(built / "google.example!example.com!1764547200!1764633599.zip"))
    mailed = next(iter_reports(built / "google-report.eml"))
    assert bare.report == mailed.report
    assert mailed.origin.endswith("!google.example!example.com!1764547200!1764633599.xml")
    gz_item = next(read_payload(gzip.compress((sources / "google.xml").read_bytes()), "x.gz"))
    assert gz_item.report == bare.report


def test_mbox_is_split_and_human_mail_is_not_invalid(built: Path) -> None:
    items = list(iter_reports(built / "reports.mbox"))
    assert [i.origin.split("!")[0] for i in items] == [
        f"{built / 'reports.mbox'}#{n}" for n in (1, 2, 3)
    ]
    assert isinstance(items[0].report, AggregateReport)
    assert items[1].report is None and not items[1].invalid
    assert isinstance(items[2].report, AggregateReport)
    assert items[2].report.org_name == "Enterprise Outlook"


def test_tls_and_failure_reports_in_mail(built: Path) -> None:
    tls = next(iter_reports(built / "tlsrpt-report.eml"))
    assert isinstance(tls.report, TlsReport)
    assert tls.report.policies[0].failures[0].result_type == "certificate-expired"
    failure = next(iter_reports(built / "failure-report.eml"))
    assert isinstance(failure.report, FailureReport)
    assert failure.report.source_ip == "198.51.100.25"
    assert failure.report.header_from == "example.com"
    assert failure.report.dkim_domain == "amazonses.com"
    assert failure.report.auth_failure == "dmarc"
    assert failure.report.reporter == "receiver.example"


def test_gzip_bomb_is_capped() -> None:
    bomb = gzip.compress(b"<" + b" " * 3_000_000)
    (item,) = read_payload(bomb, "bomb.gz", limit=1_000_000)
    assert item.report is None and item.invalid
    assert "more than 1000000 bytes" in item.error


def test_zip_bomb_is_capped() -> None:
    bomb = _zip({"a.xml": b"<" + b"\0" * 3_000_000})
    (item,) = read_payload(bomb, "bomb.zip", limit=1_000_000)
    assert item.report is None and "more than 1000000 bytes" in item.error


def test_nested_compression_is_bounded() -> None:
    data = MINIMAL
    for _ in range(MAX_NESTING + 1):
        data = gzip.compress(data)
    (item,) = read_payload(data, "deep.gz")
    assert item.report is None and "deep" in item.error


def test_nesting_within_the_bound_is_read() -> None:
    data = _zip({"r.xml.gz": gzip.compress(MINIMAL)})
    (item,) = read_payload(data, "r.zip")
    assert isinstance(item.report, AggregateReport)
    assert item.origin == "r.zip!r.xml.gz"


def test_truncated_gzip_and_zip(sources: Path) -> None:
    whole = gzip.compress((sources / "google.xml").read_bytes())
    (item,) = read_payload(whole[: len(whole) // 2], "cut.gz")
    assert item.report is None and "truncated" in item.error
    archive = _zip({"r.xml": (sources / "google.xml").read_bytes()})
    (item,) = read_payload(archive[:60], "cut.zip")
    assert item.report is None and item.invalid


def test_concatenated_gzip_members() -> None:
    data = gzip.compress(b"<feedback><report_metadata><org_name>a") + gzip.compress(
        b"b</org_name></report_metadata></feedback>"
    )
    assert (
        decompress(data)
        == b"<feedback><report_metadata><org_name>ab</org_name></report_metadata></feedback>"
    )


def test_zip_with_several_reports_and_junk() -> None:
    data = _zip({"a.xml": MINIMAL, "b.json": b'{"policies": []}', "c.txt": b"hello"})
    items = list(read_payload(data, "many.zip"))
    assert [type(i.report).__name__ for i in items] == ["AggregateReport", "TlsReport", "NoneType"]


def test_empty_and_unknown_input(tmp_path: Path) -> None:
    (item,) = read_payload(b"   \n", "blank")
    assert item.error.startswith("empty")
    (item,) = read_payload(b"PK\x03\x04garbage", "junk.zip")
    assert item.invalid and "zip" in item.error


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        list(iter_reports(tmp_path / "nope.xml"))


def test_directory_walk_skips_dot_files(tmp_path: Path) -> None:
    (tmp_path / ".hidden.xml").write_bytes(b"not xml at all <")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.xml").write_bytes(MINIMAL)
    items = list(iter_reports(tmp_path))
    assert [i.origin for i in items] == [str(tmp_path / "sub" / "r.xml")]


def test_file_over_the_size_limit_is_named_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from maildoctor.reports import reader

    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "huge.xml"
    path.write_bytes(b"<feedback>" + b" " * 2000 + b"</feedback>")
    (item,) = iter_reports(path)
    assert item.report is None and item.invalid and "larger than 1000 bytes" in item.error


def test_stream_without_a_size_is_read_in_bounded_chunks() -> None:
    from maildoctor.reports.reader import _read_limited

    assert _read_limited(io.BytesIO(b"x" * 5000), 10_000) == b"x" * 5000
    assert len(_read_limited(io.BytesIO(b"x" * 5000), 1000)) == 1001  # one more: "too large"
