"""Secrets that must never be shown: SMTP passwords and AWS secret keys.

A :class:`Secret` hides its value from ``repr``, ``str``, f-strings, logging and
JSON; the value is reachable only through :meth:`Secret.reveal`. Where the user
must know which credential was used, show :attr:`Secret.fingerprint` (the first
8 hex digits of its SHA-256) - DESIGN.md "Secrets".
"""

from __future__ import annotations

import hashlib

__all__ = ["Secret", "fingerprint", "redact"]


def fingerprint(value: str | bytes) -> str:
    data = value.encode("utf-8") if isinstance(value, str) else value
    return "sha256:" + hashlib.sha256(data).hexdigest()[:8]


class Secret:
    """A string that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    @property
    def fingerprint(self) -> str:
        return fingerprint(self._value)

    def __repr__(self) -> str:
        return f"Secret({self.fingerprint})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("secrets are not picklable")


def redact(text: str, *secrets: Secret | str | None) -> str:
    """Replace every occurrence of the given secrets in text (for exception messages)."""
    for s in secrets:
        value = s.reveal() if isinstance(s, Secret) else s
        if value and len(value) >= 4:
            text = text.replace(value, "[redacted]")
    return text
