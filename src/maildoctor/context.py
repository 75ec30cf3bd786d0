"""One Context per run: the resolver, timeouts and clock every check is given.

Checks never build their own clients: they take what the Context holds, so tests
and the demo can point everything at loopback servers (MODELS.md section 2). The CLI
builds it (``cli/common.make_context``), tests and the demo build their own; this module
imports nothing from the layers at run time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dns.resolver import Resolver

__all__ = ["Context"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """What a run needs from the outside world.

    Attributes:
        resolver: Answers DNS questions (cached and coalesced for the run).
        timeout: Seconds allowed for each network step.
        clock: Wall clock, injectable for certificate-expiry and report times.
    """

    resolver: Resolver
    timeout: float = 5.0
    clock: Callable[[], float] = field(default=time.time)
    #: Extra PEM CA bundle trusted for TLS (private relays, tests).
    ca_file: str | None = None
    #: False to carry on past certificate problems, which are still reported.
    verify_tls: bool = True
    #: Builds boto3 clients, ``(service, region) -> client``; None: boto3's standard chain.
    aws_client_factory: Callable[[str, str], Any] | None = None
    #: Endpoint for every AWS call (moto in tests and the demo); None: AWS_ENDPOINT_URL or AWS.
    aws_endpoint_url: str | None = None
