"""Exceptions that cross the library boundary.

::

    MaildoctorError
     └── InputError      bad usage or unreadable input: the CLI exits 2 with one line

Checks never raise for a broken domain, server or credential; those are findings.
"""

from __future__ import annotations

__all__ = ["InputError", "MaildoctorError"]


class MaildoctorError(Exception):
    """Base class."""


class InputError(MaildoctorError, ValueError):
    """The user's input cannot be used (bad domain, unreadable file, wrong option)."""
