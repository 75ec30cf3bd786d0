"""Secrets that must never be shown: SMTP passwords and AWS secret keys.

A :class:`Secret` hides its value from ``repr``, ``str``, f-strings, logging and
JSON; the value is reachable only through :meth:`Secret.reveal`. No function of a
secret is ever shown either: a hash or fingerprint of a weak password lets whoever
holds a report confirm guesses offline (issue 9). To say which credential was used,
show the username or access key id, which are not secret.
"""

from __future__ import annotations

__all__ = ["Secret", "redact"]


class Secret:
    """A string that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

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
