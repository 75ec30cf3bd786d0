"""Renderers: a report in, text for people or data for machines out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..escaping import INVISIBLE, json_safe, printable, printable_lines

__all__ = ["INVISIBLE", "coverage", "json_safe", "printable", "printable_lines"]


def coverage(meta: Mapping[str, Any]) -> str:
    """ "checked N of M layers; not checked: a, b" for a diagnosis that skipped layers.

    A verdict of "no failure found" means little when most layers were not looked at,
    so every renderer puts this next to the verdict. Empty when every layer ran (or
    the report is not a diagnosis).

    Args:
        meta: ``Report.meta``; diagnose puts ``{"layers": {name: {"state": ...}}}`` there.
    """
    layers = meta.get("layers")
    if not isinstance(layers, Mapping) or not layers:
        return ""
    states = {
        name: str(info.get("state", ""))
        for name, info in layers.items()
        if isinstance(info, Mapping)
    }
    missing = [name for name, state in states.items() if state != "done"]
    if not missing:
        return ""
    return (
        f"checked {len(states) - len(missing)} of {len(states)} layers; "
        f"not checked: {', '.join(missing)} (see Layers)"
    )
