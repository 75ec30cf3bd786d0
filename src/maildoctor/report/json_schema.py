"""The JSON Schema of maildoctor's JSON report (``--format json``).

:data:`SCHEMA` describes :meth:`maildoctor.model.Report.to_dict` for every command, with
the root causes ``maildoctor diagnose`` adds. ``docs/report.schema.json`` is generated
from it (``python -m maildoctor.report.json_schema > docs/report.schema.json``) and a
test keeps the two in sync and validates real reports against it.

Compatibility: ``schema_version`` is ``MAJOR.MINOR``. A minor version only adds keys;
a major version may remove or change them. Consumers should ignore unknown keys.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ..model import SCHEMA_VERSION, CauseKind, Confidence, Layer, Status

__all__ = ["BOUNCE_SCHEMA", "EXPLAIN_SCHEMA", "PUBLISHED", "SCHEMA", "SCHEMA_ID", "schema_json"]

SCHEMA_ID = "https://maildoctor.example/schema/report.schema.json"

_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_LAYER: dict[str, Any] = {"enum": [str(x) for x in Layer]}
_STATUS: dict[str, Any] = {"enum": [str(x) for x in Status]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    """An object whose listed properties are all required; later minor versions may add keys."""
    return {"type": "object", "required": sorted(properties), "properties": properties}


EVIDENCE = _object(
    {
        "id": {"type": "string", "description": "Unique within the report."},
        "source": {"type": "string", "description": "dns, smtp, aws, file..."},
        "query": {"type": "string"},
        "server": {"type": ["string", "null"]},
        "outcome": {"type": "string"},
        "raw": _STRINGS,
        "elapsed_ms": {"type": ["number", "null"]},
    }
)

FINDING = _object(
    {
        "check": {"type": "string", "minLength": 1, "description": "Stable dotted id."},
        "layer": _LAYER,
        "status": _STATUS,
        "subject": {"type": "string"},
        "summary": {"type": "string"},
        "detail": {"type": "string"},
        "evidence": {"type": "array", "items": {"$ref": "#/$defs/evidence"}},
        "reference": {"type": "string"},
        "fix": {"type": "string"},
        "cause": {"type": "string", "description": "A catalogue id, or empty."},
        "data": {"type": "object"},
    }
)

ALTERNATIVE = _object(
    {
        "id": {"type": "string", "description": "Catalogue id of the defect this fix repairs."},
        "title": {"type": "string"},
        "fix": _STRINGS,
        "effort": {"type": "integer", "minimum": 1, "maximum": 3},
        "effort_note": {"type": "string"},
        "leaves": {**_STRINGS, "description": "What stays broken if only this fix is made."},
    }
)

ROOT_CAUSE = _object(
    {
        "id": {"type": "string", "description": "Catalogue id (maildoctor explain ID)."},
        "layer": _LAYER,
        "title": {"type": "string"},
        "severity": {"enum": [str(Status.FAIL), str(Status.WARN)]},
        "confidence": {"enum": [str(x) for x in Confidence]},
        "explanation": {"type": "string"},
        "fix": _STRINGS,
        "specific_fix": _STRINGS,
        "does_not_fix": _STRINGS,
        "references": _STRINGS,
        "findings": {**_STRINGS, "description": "Check ids of the findings it rests on."},
        "evidence": {**_STRINGS, "description": "Evidence ids it rests on."},
        "related": {**_STRINGS, "description": "Catalogue ids merged into this cause."},
        "subjects": _STRINGS,
        "sources": {**_STRINGS, "description": "Independent sources (bounce, relay, ses...)."},
        "conflicts": _STRINGS,
        "notes": {**_STRINGS, "description": "Catalogue ids of notes (note.*)."},
        "kind": {
            "enum": [str(x) for x in CauseKind],
            "description": "cause: of this non-delivery; defect: found on the way, did not "
            "stop this mail.",
        },
        "harms": {"type": "string", "description": "For a defect: whom it hurts."},
        "demoted_by": {**_STRINGS, "description": "Why a defect did not stop this mail."},
        "alternatives": {
            "type": "array",
            "items": {"$ref": "#/$defs/alternative"},
            "description": "Fixes of which any one is enough, cheapest first.",
        },
        "overruled": {
            **_STRINGS,
            "description": "Ids of contradicting causes set aside (see conflicts).",
        },
    }
)

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "maildoctor report",
    "description": (
        "The JSON report of any maildoctor command. exit_code: 0 nothing wrong, 1 at least "
        "one root cause or failure, 3 some checks could not complete."
    ),
    **_object(
        {
            "schema_version": {
                "type": "string",
                "pattern": r"^1\.\d+$",
                "description": f"MAJOR.MINOR; this schema describes {SCHEMA_VERSION}.",
            },
            "tool": {"const": "maildoctor"},
            "tool_version": {"type": "string", "description": "The maildoctor that made it."},
            "generated_at": {
                "type": "string",
                "format": "date-time",
                "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$",
                "description": "When it was made: UTC, ISO 8601, to the second.",
            },
            "command": {"type": "string"},
            "subject": {"type": "string"},
            "exit_code": {"enum": [0, 1, 3]},
            "counts": _object({str(s): {"type": "integer", "minimum": 0} for s in Status}),
            "elapsed_ms": {"type": "number", "minimum": 0},
            "meta": {"type": "object"},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
            "causes": {"type": "array", "items": {"$ref": "#/$defs/root_cause"}},
            "defects": {
                "type": "array",
                "items": {"$ref": "#/$defs/root_cause"},
                "description": "Defects found on the way that did not stop this mail.",
            },
        }
    ),
    "$defs": {
        "evidence": EVIDENCE,
        "finding": FINDING,
        "root_cause": ROOT_CAUSE,
        "alternative": ALTERNATIVE,
    },
}


_TEXT: dict[str, Any] = {"type": "string"}

#: ``maildoctor bounce --format json``: one object per line, one line per bounced recipient.
BOUNCE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://maildoctor.example/schema/bounce.schema.json",
    "title": "maildoctor bounce record (one JSON line)",
    "description": "What happened to one recipient of one message, and why. Consumers "
    "should ignore unknown keys.",
    **_object(
        {
            "recipient": _TEXT,
            "action": {**_TEXT, "description": "RFC 3464 Action, or empty."},
            "status": {**_TEXT, "pattern": r"^$|^[245]\.\d{1,3}\.\d{1,3}$"},
            "reply_code": {**_TEXT, "pattern": r"^$|^[2-5]\d\d$"},
            "reason": {**_TEXT, "description": "Sisimai's reason vocabulary."},
            "hard_bounce": {"type": "boolean"},
            "layer": _LAYER,
            "cause": {**_TEXT, "description": "A catalogue id, or empty."},
            "diagnostic": _TEXT,
            "diagnostic_type": _TEXT,
            "remote_mta": _TEXT,
            "reporting_mta": _TEXT,
            "command": _TEXT,
            "timestamp": {"type": ["string", "null"], "format": "date-time"},
            "feedback_type": _TEXT,
            "source": _TEXT,
            "alias": _TEXT,
            "sender": _TEXT,
            "generating_server": _TEXT,
            "outbound_ban": {"type": "boolean"},
            "bounce_type": _TEXT,
            "bounce_subtype": _TEXT,
            "notice": _TEXT,
            "origin": _TEXT,
            "warnings": _STRINGS,
        }
    ),
}

#: ``maildoctor explain ID --format json``: one catalogue entry (a reply line or an NDR is
#: ``docs/explain.schema.json``, from :mod:`maildoctor.replies.explain`).
EXPLAIN_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://maildoctor.example/schema/explain-entry.schema.json",
    "title": "maildoctor explain entry",
    "description": "A root cause or note of the catalogue (maildoctor explain ID).",
    **_object(
        {
            "id": {**_TEXT, "minLength": 1},
            "kind": _TEXT,
            "layer": _LAYER,
            "title": _TEXT,
            "explanation": _TEXT,
            "fix": _STRINGS,
            "does_not_fix": _STRINGS,
            "references": _STRINGS,
            "notes": _STRINGS,
            "aliases": _STRINGS,
        }
    ),
}

#: Published schemas: file under docs/ -> schema.
PUBLISHED = {
    "report.schema.json": SCHEMA,
    "bounce.schema.json": BOUNCE_SCHEMA,
    "explain-entry.schema.json": EXPLAIN_SCHEMA,
}


def schema_json(name: str = "report.schema.json") -> str:
    """A schema as published in ``docs/<name>`` (default the report's)."""
    return json.dumps(PUBLISHED[name], indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - `python -m maildoctor.report.json_schema [NAME]`
    sys.stdout.write(schema_json(*sys.argv[1:2]))
