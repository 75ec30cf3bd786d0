"""What ``maildoctor demo`` needs beyond the default install, and the command that adds it.

The demo's loopback servers (aiosmtpd with a trustme CA, moto for SES, aiosmtplib playing the
senders) are the ``demo`` extra: the checks themselves use none of them. When one is missing
the demo says the exact command to add them to *this* installation (pipx or pip), instead of
failing on an import.
"""

from __future__ import annotations

import importlib.util
import shlex
import sys
from pathlib import Path

from ..errors import InputError

__all__ = ["DEMO_PACKAGES", "install_command", "missing_demo_packages", "require_demo_packages"]

#: (module the demo imports, requirement that provides it), as in pyproject.toml's ``demo`` extra.
DEMO_PACKAGES: tuple[tuple[str, str], ...] = (
    ("aiosmtpd", "aiosmtpd>=1.4.4"),
    ("aiosmtplib", "aiosmtplib>=3.0"),
    ("trustme", "trustme>=1.1"),
    ("moto", "moto[server]>=5.0"),
    ("flask", "moto[server]>=5.0"),
    ("flask_cors", "moto[server]>=5.0"),
)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent that fails, or a module set to None
        return False


def missing_demo_packages() -> list[str]:
    """The requirements of the ``demo`` extra whose modules cannot be imported.

    Returns:
        Requirement strings (``"trustme>=1.1"``), each once, in the extra's order; empty when
        the demo can run.
    """
    missing: list[str] = []
    for module, requirement in DEMO_PACKAGES:
        if requirement not in missing and not _importable(module):
            missing.append(requirement)
    return missing


def _pipx_venv(prefix: Path) -> str | None:
    """The pipx venv name when ``prefix`` is one (``.../pipx/venvs/<name>``)."""
    parts = prefix.parts
    if len(parts) >= 3 and parts[-2] == "venvs" and "pipx" in parts[-3].lower():
        return parts[-1]
    return None


def install_command(requirements: list[str], prefix: str | None = None) -> str:
    """The one command that adds ``requirements`` to the installation running maildoctor.

    Args:
        requirements: requirement strings, as :func:`missing_demo_packages` returns them.
        prefix: the environment's prefix (default ``sys.prefix``).

    Returns:
        ``pipx inject <venv> ...`` inside a pipx venv, otherwise ``<this python> -m pip install
        ...``, every argument shell-quoted.
    """
    quoted = " ".join(shlex.quote(r) for r in requirements)
    venv = _pipx_venv(Path(prefix or sys.prefix))
    if venv is not None:
        return f"pipx inject {shlex.quote(venv)} {quoted}"
    return f"{shlex.quote(sys.executable)} -m pip install {quoted}"


def require_demo_packages() -> None:
    """Raise :class:`InputError` (exit 2) naming the install command when the extra is missing.

    Raises:
        InputError: one of the ``demo`` extra's packages is not installed.
    """
    missing = missing_demo_packages()
    if missing:
        raise InputError(
            "the demo's loopback servers are the 'demo' extra, not installed here "
            f"(missing {', '.join(missing)}); add them with: {install_command(missing)}"
        )
