"""The Diagnose form as a :class:`~maildoctor.diagnose.DiagnoseRequest`.

Uploaded and pasted evidence is written to a private temporary directory (mode
0700) because the layers read files; the directory is removed when the diagnosis
ends. Counts and sizes are capped before anything is written. The password field
becomes a :class:`~maildoctor.secrets.Secret` at once and is never echoed back:
a form shown again after an error leaves it empty.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnose import DiagnoseRequest, parse_relay
from ..errors import InputError
from ..secrets import Secret

__all__ = ["MAX_FILE", "MAX_FILES", "FormInput", "build_request"]

#: Files one form may carry, and bytes per file or pasted text.
MAX_FILES = 20
MAX_FILE = 10 * 1024 * 1024
#: Recipients one form may name.
MAX_RECIPIENTS = 50

#: Fields shown again when the form comes back with an error (never the password).
ECHOED = (
    "sender",
    "recipients",
    "relay",
    "relay_user",
    "provider",
    "region",
    "mx_port",
    "selectors",
    "regions",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class FormInput:
    """The form's text fields and files, as read from the request."""

    fields: Mapping[str, str]
    files: Mapping[str, list[tuple[str, bytes]]]


def build_request(
    form: FormInput, *, endpoint_url: str | None = None, default_password: Secret | None = None
) -> tuple[DiagnoseRequest, Path]:
    """The request the form describes, and the private directory holding its evidence.

    ``default_password`` stands in for an empty password field (``demo --serve`` holds
    the demo relay's password on the server, so the page never shows it).

    Raises:
        InputError: for an unusable field (the message names it); nothing is left on disk.
    """
    workdir = Path(tempfile.mkdtemp(prefix="maildoctor-web-"))
    os.chmod(workdir, 0o700)
    try:
        return _request(form, workdir, endpoint_url, default_password), workdir
    except BaseException:
        _remove(workdir)
        raise


def _request(
    form: FormInput, workdir: Path, endpoint_url: str | None, default_password: Secret | None
) -> DiagnoseRequest:
    text = form.fields
    sender = text.get("sender", "").strip()
    if not sender:
        raise InputError("the sender address is required")
    recipients = tuple(r.strip() for r in text.get("recipients", "").split() if r.strip())
    if len(recipients) > MAX_RECIPIENTS:
        raise InputError(f"at most {MAX_RECIPIENTS} recipients")
    evidence = _Evidence(workdir)
    bounces = evidence.save(
        "bounce", form.files.get("bounce_files", []), text.get("bounce_text", "")
    )
    headers = evidence.save(
        "headers", form.files.get("headers_file", []), text.get("headers_text", "")
    )
    logs = evidence.save("log", form.files.get("log_files", []), text.get("log_text", ""))
    password = text.get("password", "")
    secret = Secret(password) if password else default_password
    regions = tuple(text.get("regions", "").split())
    return DiagnoseRequest(
        sender=sender,
        recipients=recipients,
        bounces=tuple(bounces),
        headers=headers[0] if headers else None,
        logs=tuple(logs),
        relay=parse_relay(text["relay"]) if text.get("relay", "").strip() else None,
        relay_user=text.get("relay_user", "").strip() or None,
        relay_password=secret if text.get("relay", "").strip() else None,
        provider=text.get("provider", "").strip() or None,
        region=text.get("region", "").strip() or None,
        endpoint_url=endpoint_url,
        mx_port=_port(text.get("mx_port", "")),
        selectors=tuple(text.get("selectors", "").split()),
        scan_regions=regions or None,
    )


def _port(text: str) -> int:
    text = text.strip() or "25"
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise InputError(f"MX port {text!r} is not a port number")
    return int(text)


class _Evidence:
    """Writes uploads and pasted text into the private directory, within the caps."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.count = 0

    def save(self, kind: str, files: list[tuple[str, bytes]], pasted: str) -> list[Path]:
        blobs = [data for _, data in files if data]
        if pasted.strip():
            blobs.append(pasted.replace("\r\n", "\n").encode("utf-8", "surrogateescape"))
        paths = []
        for data in blobs:
            self.count += 1
            if self.count > MAX_FILES:
                raise InputError(f"at most {MAX_FILES} files and pasted texts in one diagnosis")
            if len(data) > MAX_FILE:
                raise InputError(f"a {kind} file is over {MAX_FILE // 2**20} MB")
            path = self.workdir / f"{kind}-{self.count}.txt"
            path.write_bytes(data)
            paths.append(path)
        return paths


def _remove(workdir: Path) -> None:
    import shutil

    shutil.rmtree(workdir, ignore_errors=True)


def echoed(fields: Mapping[str, Any]) -> dict[str, str]:
    """The fields to put back in a form shown again: never the password."""
    return {name: str(fields.get(name, "")) for name in ECHOED}
