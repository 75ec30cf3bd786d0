"""An in-process authoritative DNS server on loopback, for tests, the demo and benchmarks.

Zone data uses the RFC 7208 test suite's ``zonedata`` format::

    {"example.com": [{"SPF": "v=spf1 mx -all"}, {"MX": [10, "mx.example.com"]}],
     "mx.example.com": [{"A": "192.0.2.10"}],
     "slow.example.com": ["TIMEOUT"]}

with that suite's driver rules (REFERENCE.md section 6):

* an ``SPF`` record is served as TXT too, unless the name has its own ``TXT``;
* ``TXT: NONE`` declares "no TXT" without adding one;
* a bare ``TIMEOUT`` makes the name time out, unless a record of the asked type
  came before it; ``{TYPE: TIMEOUT}`` makes only that type time out;
* names beginning with ``error.`` time out.

Beyond the suite it serves CNAMEs (chased inside the zone, as a recursive
resolver would), ``*.`` wildcards, empty non-terminals (NODATA, not NXDOMAIN),
truncation with TCP fallback, a per-answer ``delay``, ``timeout_names`` that
never get an answer, ``garbage_names`` that get junk bytes, ``servfail_names``,
and a :attr:`log` of every question asked.

The server runs its own event loop in a daemon thread, so it serves sync and
async callers alike (and subprocesses, through its port)::

    with DnsServer(zone) as server:
        resolver = DnsResolver([Nameserver("127.0.0.1", server.port)])
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import dns.rrset

__all__ = ["DnsServer", "QueryLogEntry", "dnsbl_zone", "load_zone", "sign_zonedata"]

Zone = dict[str, list[tuple[str, Any]]]
TIMEOUT = ("TIMEOUT", "TIMEOUT")


@dataclass(frozen=True, slots=True)
class QueryLogEntry:
    name: str
    rdtype: str
    transport: str  # "udp" or "tcp"


def load_zone(zonedata: Mapping[str, Iterable[Any]]) -> Zone:
    """Turn ``zonedata`` into ``{name: [(TYPE, value), ...]}`` applying the suite's rules."""
    zone: Zone = {}
    for name, entries in zonedata.items():
        rows: list[tuple[str, Any]] = []
        generated: list[tuple[str, Any]] = []
        has_txt = False
        for entry in entries:
            if entry == "TIMEOUT" or entry is None:
                rows.append(TIMEOUT)
                continue
            for rtype, value in dict(entry).items():
                rtype = str(rtype).upper()
                if rtype == "TXT":
                    has_txt = True
                elif rtype == "SPF":
                    generated.append(("TXT", value))
                if value != "NONE":
                    rows.append((rtype, value))
        if not has_txt:
            rows.extend(generated)
        zone[_norm(name)] = rows
    return zone


def dnsbl_zone(
    zone: str, listings: Mapping[str, Iterable[str]], reasons: Mapping[str, str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Zone data for a DNS blocklist (RFC 5782): each listed IP or domain -> its return codes.

    ``dnsbl_zone("zen.spamhaus.test", {"192.0.2.1": ["127.0.0.2"]})`` serves
    ``1.2.0.192.zen.spamhaus.test A 127.0.0.2`` (IPv6: nibbles; domains: as themselves),
    plus a ``TXT`` reason when ``reasons`` has one for the subject.
    """
    import ipaddress

    data: dict[str, list[dict[str, Any]]] = {}
    for subject, codes in listings.items():
        try:
            pointer = ipaddress.ip_address(subject).reverse_pointer.rsplit(".", 2)[0]
        except ValueError:
            pointer = subject.rstrip(".").lower()
        rows: list[dict[str, Any]] = [{"A": code} for code in codes]
        if reasons and subject in reasons:
            rows.append({"TXT": reasons[subject]})
        data[f"{pointer}.{zone}"] = rows
    return data


def _norm(name: str) -> str:
    return str(name).rstrip(".").lower()


def _key(name: dns.name.Name) -> str:
    """A question's zone key: the raw labels, not the escaped text (``a b`` not ``a\\032b``)."""
    labels = (label.decode("utf-8", "surrogateescape") for label in name.labels if label)
    return ".".join(labels).lower()


class DnsServer:
    """Authoritative server for a zone on 127.0.0.1 (UDP and TCP on one port)."""

    def __init__(
        self,
        zonedata: Mapping[str, Iterable[Any]] | None = None,
        *,
        delay: float = 0.0,
        timeout_names: Iterable[str] = (),
        garbage_names: Iterable[str] = (),
        servfail_names: Iterable[str] = (),
        host: str = "127.0.0.1",
        port: int = 0,
        secure_zones: Iterable[str] = (),
        bogus_zones: Iterable[str] = (),
    ) -> None:
        self.zone: Zone = load_zone(zonedata or {})
        self.delay = delay
        self.timeout_names = {_norm(n) for n in timeout_names}
        self.garbage_names = {_norm(n) for n in garbage_names}
        self.servfail_names = {_norm(n) for n in servfail_names}
        #: Behave like a validating resolver (RFC 4035 section 3.2.3, RFC 6840 section 5.7):
        #: answers under ``secure_zones`` carry AD when the query sets DO or AD; answers under
        #: ``bogus_zones`` are SERVFAIL unless the query sets CD (checking disabled).
        self.secure_zones = {_norm(n) for n in secure_zones}
        self.bogus_zones = {_norm(n) for n in bogus_zones}
        self.host = host
        self.port = port
        self.log: list[QueryLogEntry] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None

    # -- lifecycle -------------------------------------------------------------

    def load(self, zonedata: Mapping[str, Iterable[Any]]) -> None:
        """Replace the zone (between test cases) and clear the log."""
        self.zone = load_zone(zonedata)
        self.log.clear()

    def start(self) -> DnsServer:
        self._thread = threading.Thread(target=self._run, name="maildoctor-dns", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise RuntimeError(f"DNS server failed to start: {self._error}")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> DnsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        udp_sock, tcp_sock = _bind_pair(self.host, self.port)
        self.port = udp_sock.getsockname()[1]
        transport, _ = await self._loop.create_datagram_endpoint(lambda: _Udp(self), sock=udp_sock)
        tcp = await asyncio.start_server(self._handle_tcp, sock=tcp_sock)
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            transport.close()
            tcp.close()

    # -- answering -------------------------------------------------------------

    def answer(self, wire: bytes, transport: str) -> bytes | None:
        """Build the reply to one query, or ``None`` to stay silent (timeout)."""
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return None
        if not query.question:
            return None
        question = query.question[0]
        name = _key(question.name)
        rdtype = dns.rdatatype.to_text(question.rdtype)
        self.log.append(QueryLogEntry(name, rdtype, transport))
        if name in self.garbage_names:
            return wire[:2] + b"\x81\x80\xff\xff garbage that is not DNS"
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA | dns.flags.RA
        if name in self.servfail_names or self._bogus(name, query):
            response.set_rcode(dns.rcode.SERVFAIL)
            return response.to_wire()
        if name in self.timeout_names:
            return None
        dnssec = bool(query.ednsflags & dns.flags.DO)
        status = self._fill(response, question.name, question.rdtype, dnssec=dnssec)
        if status == "timeout":
            return None
        if status == "nxdomain":
            response.set_rcode(dns.rcode.NXDOMAIN)
        if (dnssec or query.flags & dns.flags.AD) and _under(name, self.secure_zones):
            response.flags |= dns.flags.AD
        return self._to_wire(query, response, transport)

    def _bogus(self, name: str, query: dns.message.Message) -> bool:
        return _under(name, self.bogus_zones) and not query.flags & dns.flags.CD

    def _to_wire(
        self, query: dns.message.Message, response: dns.message.Message, transport: str
    ) -> bytes:
        if transport == "tcp":
            return response.to_wire(max_size=65535)
        limit = max(512, query.payload if query.edns >= 0 else 512)
        try:
            return response.to_wire(max_size=limit)
        except dns.exception.TooBig:
            truncated = dns.message.make_response(query)
            truncated.flags |= dns.flags.AA | dns.flags.TC
            return truncated.to_wire()

    def _fill(
        self,
        response: dns.message.Message,
        qname: dns.name.Name,
        qtype: int,
        *,
        dnssec: bool = False,
    ) -> str:
        """Put the answer for qname/qtype (chasing CNAMEs) into response; with ``dnssec``
        (the query's DO bit) the RRSIGs covering it too."""
        current = qname
        for _ in range(20):
            key = _key(current)
            if key.startswith("error."):
                return "timeout"
            rows = self._rows(key)
            if rows is None:
                return "nxdomain" if not self._has_children(key) else "nodata"
            wanted = dns.rdatatype.to_text(dns.rdatatype.RdataType.make(qtype))
            matched = False
            cname: str | None = None
            out: list[tuple[str, Any]] = []
            for row in rows:
                if row == TIMEOUT:
                    if not matched:
                        return "timeout"
                    break
                rtype, value = row
                if rtype == wanted:
                    matched = True
                    if value == "TIMEOUT":
                        return "timeout"
                    out.append(row)
                elif rtype == "CNAME" and value != "TIMEOUT":
                    cname = str(value)
            if out:
                self._add(response, current, wanted, out)
                if dnssec:
                    _add_signatures(response, current, wanted, rows)
                return "answer"
            if cname is not None and wanted != "CNAME":
                target = dns.name.from_text(cname)
                self._add(response, current, "CNAME", [("CNAME", cname)])
                current = target
                continue
            return "nodata"
        return "answer"

    def _rows(self, key: str) -> list[tuple[str, Any]] | None:
        if key in self.zone:
            return self.zone[key]
        labels = key.split(".")
        for i in range(1, len(labels)):
            wild = "*." + ".".join(labels[i:])
            if wild in self.zone:
                return self.zone[wild]
            if ".".join(labels[i:]) in self.zone:
                break
        return None

    def _has_children(self, key: str) -> bool:
        suffix = "." + key
        return any(n.endswith(suffix) for n in self.zone)

    def _add(
        self,
        response: dns.message.Message,
        name: dns.name.Name,
        rtype: str,
        rows: list[tuple[str, Any]],
    ) -> None:
        rdtype = dns.rdatatype.from_text(rtype)
        rrset = response.find_rrset(response.answer, name, dns.rdataclass.IN, rdtype, create=True)
        for _, value in rows:
            rrset.add(_rdata(rtype, value), ttl=300)

    async def _handle_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readexactly(2)
                wire = await reader.readexactly(int.from_bytes(head, "big"))
                if self.delay:
                    await asyncio.sleep(self.delay)
                reply = self.answer(wire, "tcp")
                if reply is None:
                    await asyncio.sleep(3600)
                    return
                writer.write(len(reply).to_bytes(2, "big") + reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, server: DnsServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if self.server.delay:
            asyncio.get_running_loop().call_later(self.server.delay, self._reply, data, addr)
        else:
            self._reply(data, addr)

    def _reply(self, data: bytes, addr: tuple[str, int]) -> None:
        reply = self.server.answer(data, "udp")
        if reply is not None and self.transport is not None:
            self.transport.sendto(reply, addr)


def _under(name: str, zones: set[str]) -> bool:
    return any(name == z or name.endswith("." + z) for z in zones)


def _add_signatures(
    response: dns.message.Message, name: dns.name.Name, rtype: str, rows: list[tuple[str, Any]]
) -> None:
    """The RRSIG rows of a name that cover ``rtype`` (RFC 4035 section 3.1.1)."""
    covered = dns.rdatatype.from_text(rtype)
    for kind, value in rows:
        if kind != "RRSIG" or value == "TIMEOUT":
            continue
        rdata = _rdata("RRSIG", value)
        if getattr(rdata, "type_covered", None) != covered:
            continue
        rrset = response.find_rrset(
            response.answer, name, dns.rdataclass.IN, dns.rdatatype.RRSIG, covered, create=True
        )
        rrset.add(rdata, ttl=300)


def sign_zonedata(
    origin: str,
    zonedata: Mapping[str, Iterable[Any]],
    private_key: Any,
    *,
    algorithm: str = "ED25519",
    inception: float | None = None,
    expiration: float | None = None,
) -> tuple[dict[str, list[Any]], str]:
    """Sign every RRset under ``origin`` (DNSKEY added at the apex): zonedata and a DS.

    Args:
        origin: The zone apex.
        zonedata: The zone, in zonedata format (names outside ``origin`` are copied as is).
        private_key: A ``cryptography`` private key (tests make one).
        algorithm: Its DNSSEC algorithm mnemonic.
        inception: Signature inception (epoch seconds); default an hour ago.
        expiration: Signature expiration; default in 30 days (pass a past time for a
            zone whose signatures have expired).

    Returns:
        The signed zonedata, and the DS record text (SHA-256) for the parent.
    """
    import time

    import dns.dnssec
    import dns.rrset

    apex = dns.name.from_text(origin)
    dnskey = dns.dnssec.make_dnskey(private_key.public_key(), algorithm, flags=257)
    signed: dict[str, list[Any]] = {name: list(rows) for name, rows in zonedata.items()}
    signed.setdefault(_norm(origin), []).append({"DNSKEY": dnskey.to_text()})
    now = time.time()
    start = now - 3600 if inception is None else inception
    end = now + 30 * 86400 if expiration is None else expiration
    for name, rows in load_zone(signed).items():
        if not _under(name, {_norm(origin)}):
            continue
        for rtype in dict.fromkeys(t for t, v in rows if (t, v) != TIMEOUT and t != "RRSIG"):
            rrset = dns.rrset.RRset(dns.name.from_text(name), dns.rdataclass.IN, _rtype(rtype))
            for t, v in rows:
                if t == rtype:
                    rrset.add(_rdata(t, v), ttl=300)
            sig = dns.dnssec.sign(rrset, private_key, apex, dnskey, start, end, verify=False)
            signed.setdefault(name, []).append({"RRSIG": sig.to_text()})
    ds = dns.dnssec.make_ds(apex, dnskey, "SHA256")
    return signed, ds.to_text()


def _rtype(text: str) -> dns.rdatatype.RdataType:
    return dns.rdatatype.from_text(text)


def _bind_pair(host: str, wanted: int = 0) -> tuple[socket.socket, socket.socket]:
    """A UDP and a TCP socket bound to the same port (a free one when ``wanted`` is 0)."""
    for _ in range(1 if wanted else 50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((host, wanted))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind((host, port))
        except OSError:
            udp.close()
            tcp.close()
            continue
        tcp.listen(64)
        udp.setblocking(False)
        tcp.setblocking(False)
        return udp, tcp
    raise OSError("no free port for the DNS server")


def _rdata(rtype: str, value: Any) -> dns.rdata.Rdata:
    rdtype = dns.rdatatype.from_text(rtype)
    if rtype in ("TXT", "SPF"):
        parts = value if isinstance(value, list | tuple) else [value]
        strings = [
            p.encode("utf-8", "surrogateescape") if isinstance(p, str) else bytes(p) for p in parts
        ]
        chunks: list[bytes] = []
        for s in strings or [b""]:
            chunks.extend(s[i : i + 255] for i in range(0, max(len(s), 1), 255))
        return dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, rdtype, chunks)
    if rtype == "MX":
        pref, host = value
        text = f"{int(pref)} {_fqdn(host)}"
    elif rtype in ("CNAME", "PTR", "NS"):
        text = _fqdn(value)
    else:
        text = str(value)
    return dns.rdata.from_text(dns.rdataclass.IN, rdtype, text)


def _fqdn(name: Any) -> str:
    name = str(name)
    return name if name.endswith(".") else name + "."


def main(argv: list[str] | None = None) -> None:
    """Serve a zone file (JSON or YAML in zonedata format) until interrupted.

    ``python -m maildoctor.testing.dnsserver ZONEFILE [--host H] [--port P] [--delay S]``;
    prints ``READY host:port`` once listening (used by the benchmarks).
    """
    import argparse
    import json
    import time

    parser = argparse.ArgumentParser(prog="maildoctor-dnsserver")
    parser.add_argument("zonefile")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    with open(args.zonefile, encoding="utf-8") as fh:
        data = json.load(fh)
    with DnsServer(data, host=args.host, port=args.port, delay=args.delay) as server:
        print(f"READY {server.address}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
