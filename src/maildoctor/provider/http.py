"""Read-only JSON over HTTPS (httpx) for the sending services' APIs, as :class:`Fetched`.

One :class:`JsonApi` per service: base URL (overridable, so tests point it at a loopback
fake), headers carrying the key, a timeout. :meth:`JsonApi.get` never raises for the
service's trouble: a refused key, a missing permission, a timeout or a closed port come
back as a :class:`~maildoctor.provider.base.CallFailure` with the evidence of the exchange.
Keys are only ever in request headers; every text that leaves is redacted.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from ..model import Evidence
from ..secrets import Secret, redact
from .base import CallFailure, FailureKind, Fetched

__all__ = ["JsonApi"]

_KINDS = {
    401: FailureKind.BAD_CREDENTIALS,
    403: FailureKind.ACCESS_DENIED,
    404: FailureKind.NOT_FOUND,
    422: FailureKind.INVALID_INPUT,
    429: FailureKind.THROTTLED,
}
_SHOWN = 600


class JsonApi:
    """GET requests to one service's JSON API.

    Args:
        service: Short name for evidence ids (``sendgrid``).
        base_url: ``https://api.sendgrid.com`` or a loopback fake's URL.
        secrets: Values to redact from anything shown (the keys).
        timeout: Seconds for each request.
        transport: An httpx transport (tests); default: the network.
    """

    def __init__(
        self,
        *,
        service: str,
        base_url: str,
        secrets: tuple[Secret, ...],
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.service = service
        self.base_url = base_url.rstrip("/")
        self._secrets = secrets
        self._client = httpx.AsyncClient(
            base_url=self.base_url, timeout=timeout, transport=transport, follow_redirects=False
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def get(
        self,
        path: str,
        *,
        operation: str,
        permission: str,
        headers: Mapping[str, str],
        params: Mapping[str, str | int] | None = None,
        absent_ok: bool = False,
    ) -> Fetched[Any]:
        """GET ``path`` and decode its JSON.

        Args:
            path: The path under the base URL.
            operation: ``sendgrid.ListVerifiedSenders``, for evidence and failures.
            permission: The key scope the call needs, for people.
            headers: The request headers (the key goes here, never in the URL).
            params: Query parameters (never secrets).
            absent_ok: A 404 means "there is none" (value None) rather than a failure.

        Returns:
            The decoded JSON as the value, or a failure; always with evidence.
        """
        query = f"GET {path}" + (f"?{urlencode(params)}" if params else "")
        start = time.perf_counter()
        try:
            response = await self._client.get(path, params=params, headers=dict(headers))
        except httpx.TimeoutException:
            return self._failed(query, start, "timeout", FailureKind.TIMEOUT, operation, permission)
        except httpx.HTTPError as exc:
            name = type(exc).__name__
            return self._failed(query, start, name, FailureKind.NETWORK, operation, permission)
        return self._decode(response, query, start, operation, permission, absent_ok)

    def _decode(
        self,
        response: httpx.Response,
        query: str,
        start: float,
        operation: str,
        permission: str,
        absent_ok: bool,
    ) -> Fetched[Any]:
        body = redact(response.text, *self._secrets)
        evidence = self._evidence(query, start, str(response.status_code), body)
        if response.status_code == 404 and absent_ok:
            return Fetched(evidence=evidence, value=None)
        if response.status_code >= 400:
            kind = _KINDS.get(response.status_code, FailureKind.ERROR)
            failure = CallFailure(
                kind=kind,
                operation=operation,
                permission=permission,
                code=str(response.status_code),
                message=_message(body),
            )
            return Fetched(evidence=evidence, failure=failure)
        try:
            return Fetched(evidence=evidence, value=json.loads(response.text or "null"))
        except ValueError:
            failure = CallFailure(
                kind=FailureKind.ERROR,
                operation=operation,
                permission=permission,
                code="invalid_json",
                message="the answer is not JSON",
            )
            return Fetched(evidence=evidence, failure=failure)

    def _failed(
        self,
        query: str,
        start: float,
        outcome: str,
        kind: FailureKind,
        operation: str,
        permission: str,
    ) -> Fetched[Any]:
        evidence = self._evidence(query, start, outcome, "")
        failure = CallFailure(
            kind=kind, operation=operation, permission=permission, code=outcome, message=""
        )
        return Fetched(evidence=evidence, failure=failure)

    def _evidence(self, query: str, start: float, outcome: str, body: str) -> Evidence:
        return Evidence(
            id=f"{self.service}:{query}",
            source="https",
            query=query,
            server=urlsplit(self.base_url).netloc,
            outcome=outcome,
            raw=(body[:_SHOWN],) if body else (),
            elapsed_ms=(time.perf_counter() - start) * 1000,
        )


def _message(body: str) -> str:
    """The service's error message from its JSON body (SendGrid errors, Postmark Message)."""
    try:
        data = json.loads(body)
    except ValueError:
        return body[:200]
    if isinstance(data, dict):
        errors = data.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("message", ""))[:200]
        if "Message" in data:
            return str(data["Message"])[:200]
    return body[:200]
