"""maildoctor: finds out why email is not being delivered.

The Python API (each name loads its layer on first use; see :mod:`maildoctor.api`)::

    import maildoctor

    report = maildoctor.check_domain("example.com")   # a frozen Report
    print(report.verdict, [c.id for c in report.causes])

* :func:`diagnose` / :func:`adiagnose`: every layer the evidence allows, root causes;
* :func:`check_domain` / :func:`acheck_domain`: a sending domain's DNS;
* :func:`classify_bounces` / :func:`aclassify_bounces`: bounces into per-recipient records;
* :func:`probe_relay` / :func:`aprobe_relay`: an SMTP relay, step by step;
* the result model: :class:`Report`, :class:`Finding`, :class:`RootCause`, :class:`Status`...
"""

import logging
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import (
        acheck_domain,
        aclassify_bounces,
        adiagnose,
        aprobe_relay,
        check_domain,
        classify_bounces,
        probe_relay,
    )
    from .model import (
        SCHEMA_VERSION,
        Confidence,
        Evidence,
        ExitCode,
        Finding,
        FindingMaker,
        Layer,
        Report,
        RootCause,
        Status,
    )

__version__ = "0.1.0"

# The library logs; it never prints. Without a handler configured by the application,
# Python's last-resort handler would write warnings (and tracebacks) to stderr.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "SCHEMA_VERSION",
    "Confidence",
    "Evidence",
    "ExitCode",
    "Finding",
    "FindingMaker",
    "Layer",
    "Report",
    "RootCause",
    "Status",
    "__version__",
    "acheck_domain",
    "aclassify_bounces",
    "adiagnose",
    "aprobe_relay",
    "check_domain",
    "classify_bounces",
    "diagnose",
    "probe_relay",
]

_API = frozenset(n for n in __all__ if n[0].islower() and n not in ("diagnose", "__version__"))
_MODEL = frozenset(n for n in __all__ if n[0].isupper())


def __getattr__(name: str) -> Any:
    """The API and the model's names, imported on first use (PEP 562), so that a command
    loads only the layers it runs."""
    if name in _MODEL:
        from . import model

        return getattr(model, name)
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """The package, whose ``diagnose`` is the module callable as the synchronous diagnosis.

    The import system sets each submodule as an attribute of its package; for
    ``maildoctor.diagnose`` this property answers instead, with the same module object
    made callable (:class:`maildoctor.api.DiagnoseModule`), whichever was imported first.
    """

    @property
    def diagnose(self) -> Any:
        """The module ``maildoctor.diagnose``; ``maildoctor.diagnose(sender, ...)`` runs
        :func:`maildoctor.api.diagnose`."""
        from .api import diagnose_module

        return diagnose_module()

    @diagnose.setter
    def diagnose(self, _module: Any) -> None:
        """The import system setting the submodule: the getter finds it in sys.modules."""


sys.modules[__name__].__class__ = _Package
