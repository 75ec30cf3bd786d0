"""Which servers are asked: the system's (through dnspython), names given to --nameserver;
and the CLI asks each question of a domain check once."""

from __future__ import annotations

import socket
from collections import Counter

import pytest

from maildoctor.cli import main
from maildoctor.dns.nameserver import Nameserver, parse_nameserver, system_nameservers


def test_system_nameservers_come_from_dnspythons_reading_of_resolv_conf(tmp_path):
    conf = tmp_path / "resolv.conf"
    conf.write_text(
        "# comment\nnameserver 192.0.2.53\nsearch example.com\n"
        "nameserver fe80::1%eth0\nnameserver 2001:db8::53\noptions timeout:1 rotate ndots:2\n"
    )
    assert system_nameservers(conf) == [Nameserver("192.0.2.53"), Nameserver("2001:db8::53")]
    assert system_nameservers(tmp_path / "missing") == []


def test_nameserver_given_by_name_resolves_through_the_system_resolver(monkeypatch):
    # localhost is in every hosts file; getaddrinfo reads it before any DNS
    assert parse_nameserver("localhost:5353") == Nameserver("127.0.0.1", 5353)

    def no_such_name(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    with pytest.raises(ValueError, match="'ns1.example' does not resolve: Name or service"):
        parse_nameserver("ns1.example")


def test_a_nameserver_name_that_does_not_resolve_is_one_line_exit_2(monkeypatch, capsys):
    def no_such_name(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    assert main(["dns", "example.com", "--nameserver", "ns1.example"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err  # click's usage error: the last line says what is wrong
    assert err.strip().splitlines()[-1] == (
        "Error: Invalid value for '--nameserver': nameserver 'ns1.example' does not resolve: "
        "Name or service not known"
    )


def test_cli_takes_a_nameserver_by_name(dns_server, capsys):
    dns_server.load({"example.com": [{"TXT": "v=spf1 -all"}]})
    code = main(["dns", "example.com", "--nameserver", f"localhost:{dns_server.port}"])
    assert code in (0, 1)
    assert ("example.com", "TXT") in {(e.name, e.rdtype) for e in dns_server.log}


def test_cli_asks_each_first_round_question_once(dns_server, capsys):
    dns_server.load(
        {
            "example.com": [{"TXT": "v=spf1 include:_spf.example.com -all"}],
            "_spf.example.com": [{"TXT": "v=spf1 ip4:192.0.2.0/24 -all"}],
            "_dmarc.example.com": [{"TXT": "v=DMARC1; p=reject; rua=mailto:d@example.com"}],
        }
    )
    code = main(["dns", "example.com", "--nameserver", dns_server.address, "--format", "json"])
    assert code in (0, 1)
    asked = Counter((e.name, e.rdtype) for e in dns_server.log)
    assert asked[("example.com", "TXT")] == 1 and asked[("_dmarc.example.com", "TXT")] == 1
    assert asked[("_spf.example.com", "TXT")] == 1
    assert max(asked.values()) == 1  # nothing asked twice
    assert '"dns.spf.record"' in capsys.readouterr().out
