"""What keeps the page safe to run: an access token, CSRF, limits and strict headers.

- **Token.** Bound to loopback, the page is open to the local user. Bound to any
  other address it needs the token printed at start: visiting ``/?token=...`` once
  sets an HttpOnly, SameSite=Strict cookie; every other request without the cookie
  gets 403.
- **CSRF.** Every form carries a random value that must equal the ``md_csrf``
  cookie (SameSite=Strict, HttpOnly: the double-submit pattern); a POST whose
  ``Origin`` names another site is refused before that.
- **Limits.** A request body over :data:`MAX_BODY` gets 413, whatever its
  ``Content-Length`` claims: the body is read (in memory) before the page sees it.
- **Headers.** A Content-Security-Policy that allows only this server's own
  script, style, forms and frames; no referrer; no framing by others; no sniffing.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "CSP",
    "CSRF_COOKIE",
    "MAX_BODY",
    "TOKEN_COOKIE",
    "SecurityMiddleware",
    "csrf_ok",
    "new_csrf",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Bytes a request body may have (uploads included).
MAX_BODY = 25 * 1024 * 1024
TOKEN_COOKIE = "md_token"
CSRF_COOKIE = "md_csrf"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on the
    # page's own form posts, which the Origin check must refuse.
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cache-control", b"no-store"),
]


def new_csrf() -> str:
    """A fresh CSRF value for a form and its cookie."""
    return secrets.token_urlsafe(24)


def csrf_ok(cookie: str | None, field: str | None) -> bool:
    """Whether a form's CSRF field matches its cookie."""
    return bool(cookie and field) and secrets.compare_digest(str(cookie), str(field))


class SecurityMiddleware:
    """Token check, Origin check, body limit and security headers for every response."""

    def __init__(self, app: ASGIApp, *, token: str | None, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _plain(send, *refusal)
            return
        if self.token and _query_token(scope) == self.token:
            await _redirect_with_cookie(send, scope["path"], self.token)
            return
        if scope["method"] in ("POST", "PUT"):
            buffered = await self._buffered(receive)
            if buffered is None:
                await _plain(send, 413, f"maildoctor: request over {self.max_body // 2**20} MB")
                return
            receive = buffered
        await self.app(scope, receive, _with_headers(send))

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        if self.token and not self._has_token(scope, headers):
            return 403, "maildoctor: this page needs the token printed when the server started"
        if scope["method"] == "POST" and not _same_origin(headers):
            return 403, "maildoctor: cross-site request refused"
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return 413, f"maildoctor: request over {self.max_body // 2**20} MB"
        return None

    def _has_token(self, scope: Scope, headers: dict[str, str]) -> bool:
        assert self.token is not None
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == TOKEN_COOKIE and secrets.compare_digest(value, self.token):
                return True
        return _query_token(scope) == self.token

    async def _buffered(self, receive: Receive) -> Receive | None:
        """Read the whole body (at most ``max_body`` bytes), then hand it on; None if over."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return _replay([message])
            size += len(message.get("body", b""))
            if size > self.max_body:
                return None
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return _replay([{"type": "http.request", "body": b"".join(chunks), "more_body": False}])


def _replay(messages: list[Message]) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        return {"type": "http.disconnect"}

    return receive


def _query_token(scope: Scope) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


def _same_origin(headers: dict[str, str]) -> bool:
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == headers.get("host", "")


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in _HEADERS if k not in present]
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return wrapped


async def _plain(send: Send, status: int, text: str) -> None:
    await _with_headers(send)(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": (text + "\n").encode()})


async def _redirect_with_cookie(send: Send, path: str, token: str) -> None:
    cookie = f"{TOKEN_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
    await _with_headers(send)(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [(b"location", path.encode()), (b"set-cookie", cookie.encode())],
        }
    )
    await send({"type": "http.response.body", "body": b""})
