"""Which DNS servers to ask: from ``--nameserver`` or from the system's configuration.

The system's servers are read by dnspython itself (``/etc/resolv.conf`` with its options on
Unix, the registry on Windows), so maildoctor asks what ``dig`` or ``nslookup`` would.
A ``--nameserver`` given as a host name is resolved once through the system resolver
(``getaddrinfo``: the hosts file first), as any other tool would.
"""

from __future__ import annotations

import concurrent.futures
import ipaddress
import os
import socket
from dataclasses import dataclass

__all__ = ["Nameserver", "parse_nameserver", "system_nameservers"]

#: Seconds allowed to resolve a nameserver given by name.
NAME_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class Nameserver:
    """A DNS server to ask: an IP address and a UDP/TCP port."""

    host: str
    port: int = 53

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_nameserver(text: str) -> Nameserver:
    """Parse ``IP``, ``IP:PORT``, ``[IPv6]:PORT``, a bare IPv6 address, or ``NAME[:PORT]``.

    Args:
        text: The option's value. A host name is resolved through the system resolver.

    Returns:
        The server, with port 53 unless one was given.

    Raises:
        ValueError: if the text is not one of those forms, or the name does not resolve.
    """
    text = text.strip()
    host, port = text, 53
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise ValueError(f"bad nameserver {text!r}")
        host, rest = text[1:end], text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"bad nameserver {text!r}")
            port = _port(rest[1:], text)
    elif text.count(":") == 1:
        host, port_text = text.split(":")
        port = _port(port_text, text)
    try:
        return Nameserver(str(ipaddress.ip_address(host)), port)
    except ValueError:
        pass
    if text.startswith("[") or not _looks_like_host(host):
        raise ValueError(f"nameserver must be an IP address or a host name, got {text!r}")
    return Nameserver(_resolve_name(host), port)


def _port(text: str, whole: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"bad port in nameserver {whole!r}")
    return int(text)


def _looks_like_host(name: str) -> bool:
    labels = name.rstrip(".").split(".")
    if not name or len(name) > 253 or labels[-1].isdigit():
        return False
    return all(
        0 < len(label) <= 63
        and label[0] != "-"
        and label[-1] != "-"
        and all(c.isalnum() or c == "-" for c in label)
        for label in labels
    )


def _resolve_name(host: str) -> str:
    """The first address ``getaddrinfo`` gives ``host`` (IPv4 first), within NAME_TIMEOUT."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(socket.getaddrinfo, host, 53, 0, socket.SOCK_DGRAM)
        infos = future.result(timeout=NAME_TIMEOUT)
    except concurrent.futures.TimeoutError:
        raise ValueError(f"nameserver {host!r}: no address in {NAME_TIMEOUT:g} s") from None
    except (OSError, UnicodeError) as exc:
        detail = exc.args[-1] if exc.args else type(exc).__name__
        raise ValueError(f"nameserver {host!r} does not resolve: {detail}") from None
    finally:
        pool.shutdown(wait=False)
    addresses = [str(info[4][0]) for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)]
    if not addresses:
        raise ValueError(f"nameserver {host!r} has no IP address")
    return sorted(addresses, key=lambda a: ":" in a)[0]


def system_nameservers(path: str | os.PathLike[str] | None = None) -> list[Nameserver]:
    """The system's DNS servers, in order, as dnspython configures them.

    Args:
        path: A resolv.conf(5) to read instead of ``/etc/resolv.conf`` (ignored on Windows,
            where dnspython reads the registry).

    Returns:
        Plain (UDP/TCP) servers with their ports; empty when nothing is configured or the
        file cannot be read. Link-local IPv6 servers with a zone (``fe80::1%eth0``) are
        left out: the stub resolver here cannot bind to a zone.
    """
    import dns.nameserver
    import dns.resolver

    try:
        configured = dns.resolver.Resolver(
            filename=path if path is not None else "/etc/resolv.conf", configure=True
        )
    except (dns.resolver.NoResolverConfiguration, OSError, ValueError):
        return []
    servers: list[Nameserver] = []
    for entry in configured.nameservers:
        if isinstance(entry, str):
            host, port = entry, configured.nameserver_ports.get(entry, configured.port)
        elif isinstance(entry, dns.nameserver.Do53Nameserver):
            host, port = entry.address, entry.port
        else:  # DNS over HTTPS/TLS/QUIC: not asked by this resolver
            continue
        if "%" in host:
            continue
        try:
            servers.append(Nameserver(str(ipaddress.ip_address(host)), int(port)))
        except ValueError:
            continue
    return servers
