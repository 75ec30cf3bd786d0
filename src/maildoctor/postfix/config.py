"""Read a Postfix configuration directory: main.cf, master.cf and the SASL password map.

Pure parsing, no Postfix needed (postconf(5), master(5)):

* main.cf: ``name = value`` lines, continued by lines that start with white space, ``#``
  comments; ``$name`` / ``${name}`` expand (bounded depth).
* master.cf: one service per line (``smtp unix - - y - - smtp``), continued by indented
  lines; ``-o name=value`` overrides main.cf for that service.
* ``smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd``: the text file the ``.db``
  is built from (``postmap``), ``key user:password`` per line. A map path that does not
  exist as written is looked for by its file name in the configuration directory, so a
  copied ``/etc/postfix`` can be checked elsewhere.

The password read from the map is held as a :class:`~maildoctor.secrets.Secret` at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..secrets import Secret

__all__ = [
    "Credential",
    "PostfixConfig",
    "Relayhost",
    "parse_main_cf",
    "parse_relayhost",
    "read_config",
]

_MAX_FILE = 1_000_000
_MAX_DEPTH = 10
_VAR = re.compile(r"\$(\{([A-Za-z0-9_]+)\}|\(([A-Za-z0-9_]+)\)|([A-Za-z0-9_]+))")
_TEXT_MAPS = ("hash", "btree", "lmdb", "cdb", "dbm", "sdbm", "texthash")


@dataclass(frozen=True, slots=True, kw_only=True)
class Relayhost:
    """``relayhost`` as written and as Postfix reads it.

    Attributes:
        text: The value as written (``[smtp.sendgrid.net]:587``), the map's lookup key.
        host: The host name or address.
        port: The port (25 when none is written).
        mx_lookup: True without brackets: Postfix looks up the host's MX records first.
    """

    text: str
    host: str
    port: int
    mx_lookup: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Credential:
    """One entry of the SASL password map.

    Attributes:
        key: The lookup key that matched.
        user: The username.
        password: The password, never shown.
        source: The map file it came from.
    """

    key: str
    user: str
    password: Secret = field(repr=False)
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PostfixConfig:
    """What the Postfix SMTP client will do, as far as relaying goes.

    Attributes:
        directory: The configuration directory read.
        main: main.cf parameters (expanded), with the smtp service's ``-o`` overrides.
        overrides: The ``-o`` overrides from master.cf for the smtp client service.
        relayhost: The relay, or None when Postfix delivers directly.
        credential: The map entry for the relay, if any.
        map_spec: ``smtp_sasl_password_maps`` as written ("" when unset).
        map_file: The text file read for it ("" when none could be read).
        problems: What could not be read (a missing map file...), for people.
    """

    directory: str
    main: dict[str, str]
    overrides: dict[str, str]
    relayhost: Relayhost | None
    credential: Credential | None
    map_spec: str
    map_file: str
    problems: tuple[str, ...] = ()

    def get(self, name: str, default: str = "") -> str:
        """A parameter's value (``-o`` overrides first), or ``default``."""
        return self.overrides.get(name, self.main.get(name, default)).strip()

    def flag(self, name: str) -> bool:
        """A yes/no parameter."""
        return self.get(name).lower() in ("yes", "true", "1")


def _read(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_FILE + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > _MAX_FILE:
        raise InputError(f"{path} is larger than {_MAX_FILE} bytes")
    return data.decode("utf-8", "replace")


def _logical_lines(text: str) -> list[str]:
    """Join continuation lines (leading white space) and drop comments and blank lines."""
    lines: list[str] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw[0] in " \t" and lines:
            lines[-1] += " " + raw.strip()
        else:
            lines.append(raw.strip())
    return lines


def parse_main_cf(text: str) -> dict[str, str]:
    """main.cf parameters, ``$name`` expanded.

    Args:
        text: main.cf's content.

    Returns:
        Name -> value; lines without ``=`` are ignored.
    """
    raw: dict[str, str] = {}
    for line in _logical_lines(text):
        name, sep, value = line.partition("=")
        if sep and name.strip():
            raw[name.strip()] = value.strip()
    return {name: _expand(value, raw, 0) for name, value in raw.items()}


def _expand(value: str, table: dict[str, str], depth: int) -> str:
    if depth >= _MAX_DEPTH or "$" not in value:
        return value

    def one(match: re.Match[str]) -> str:
        name = match.group(2) or match.group(3) or match.group(4)
        return _expand(table.get(name, ""), table, depth + 1)

    return _VAR.sub(one, value)


def parse_master_overrides(text: str, service: str = "smtp") -> dict[str, str]:
    """The ``-o name=value`` overrides of the unix service ``service`` in master.cf."""
    for line in _logical_lines(text):
        fields = line.split()
        if len(fields) >= 8 and fields[0] == service and fields[1] == "unix":
            return _overrides(fields[8:])
    return {}


def _overrides(args: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for i, arg in enumerate(args):
        if arg == "-o" and i + 1 < len(args):
            name, sep, value = args[i + 1].partition("=")
            if sep:
                found[name.strip()] = value.strip()
    return found


def parse_relayhost(text: str) -> Relayhost | None:
    """``[host]:port``, ``host:port``, ``[host]`` or ``host``; None when empty.

    Raises:
        InputError: for a port that is not a number.
    """
    text = text.strip().split(",")[0].strip()
    if not text:
        return None
    bracketed = text.startswith("[")
    host, port_text = text, ""
    if bracketed and "]" in text:
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    if port_text and not port_text.isdigit():
        raise InputError(f"relayhost {text!r}: the port is not a number")
    port = int(port_text) if port_text else 25
    return Relayhost(text=text, host=host.strip().lower(), port=port, mx_lookup=not bracketed)


def read_config(directory: Path) -> PostfixConfig:
    """Read main.cf (required), master.cf and the password map from ``directory``.

    Raises:
        InputError: when the directory or its main.cf cannot be read.
    """
    if not directory.is_dir():
        raise InputError(f"{directory} is not a directory")
    main = parse_main_cf(_read(directory / "main.cf"))
    master = directory / "master.cf"
    service = main.get("default_transport", "smtp").partition(":")[0] or "smtp"
    overrides = parse_master_overrides(_read(master), service) if master.is_file() else {}
    relay_text = overrides.get("relayhost", main.get("relayhost", ""))
    relayhost = parse_relayhost(relay_text)
    spec = overrides.get("smtp_sasl_password_maps", main.get("smtp_sasl_password_maps", ""))
    credential, map_file, problems = _lookup(directory, spec, relayhost)
    return PostfixConfig(
        directory=str(directory),
        main=main,
        overrides=overrides,
        relayhost=relayhost,
        credential=credential,
        map_spec=spec,
        map_file=map_file,
        problems=problems,
    )


def _map_path(directory: Path, spec: str) -> tuple[Path | None, str]:
    kind, sep, path = spec.strip().split(",")[0].strip().partition(":")
    if not sep or kind.lower() not in _TEXT_MAPS:
        return (
            None,
            f"smtp_sasl_password_maps {spec!r}: only file maps ({', '.join(_TEXT_MAPS)}) are read",
        )
    written = Path(path)
    if written.is_file():
        return written, ""
    local = directory / written.name
    if local.is_file():
        return local, ""
    return None, f"the password map file {path} does not exist (nor {local})"


def _lookup(
    directory: Path, spec: str, relayhost: Relayhost | None
) -> tuple[Credential | None, str, tuple[str, ...]]:
    if not spec or relayhost is None:
        return None, "", ()
    path, problem = _map_path(directory, spec)
    if path is None:
        return None, "", (problem,)
    entries = _map_entries(_read(path))
    # Postfix looks up the relayhost exactly as written, then the bare host name.
    for key in (relayhost.text.lower(), relayhost.host):
        if key in entries:
            user, _, password = entries[key].partition(":")
            credential = Credential(key=key, user=user, password=Secret(password), source=str(path))
            return credential, str(path), ()
    return None, str(path), ()


def _map_entries(text: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in _logical_lines(text):
        key, _, value = line.partition(" ")
        if not value:
            key, _, value = line.partition("\t")
        entries.setdefault(key.strip().lower(), value.strip())
    return entries
