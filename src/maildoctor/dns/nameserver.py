"""Which DNS servers to ask: parsed from options or from the system's configuration.

Kept free of dnspython so that the CLI can send its first questions before the
DNS library has finished loading (see :mod:`maildoctor.dns.early`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Nameserver", "parse_nameserver", "system_nameservers"]


@dataclass(frozen=True, slots=True)
class Nameserver:
    host: str
    port: int = 53

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_nameserver(text: str) -> Nameserver:
    """Parse ``IP``, ``IP:PORT``, ``[IPv6]:PORT`` or a bare IPv6 address.

    Raises:
        ValueError: if the text is not one of those forms.
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
        ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"nameserver must be an IP address, got {text!r}") from None
    return Nameserver(host, port)


def _port(text: str, whole: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"bad port in nameserver {whole!r}")
    return int(text)


def system_nameservers(path: str | Path = "/etc/resolv.conf") -> list[Nameserver]:
    """The ``nameserver`` lines of resolv.conf(5), in order; empty when unreadable.

    Link-local IPv6 servers with a zone (``fe80::1%eth0``) are left out: the
    stub resolver here cannot bind to a zone.
    """
    try:
        lines = Path(path).read_text("utf-8", "replace").splitlines()
    except OSError:
        return []
    servers = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver" and "%" not in fields[1]:
            try:
                servers.append(Nameserver(str(ipaddress.ip_address(fields[1]))))
            except ValueError:
                continue
    return servers
