"""Loopback fakes of the SendGrid and Postmark APIs, answering with their documented JSON.

Each fake is a small HTTP server on 127.0.0.1 (a free port, its own thread) holding an
account's state; point the provider at ``fake.url`` (``base_url=`` or the
``MAILDOCTOR_*_URL`` variable). They check the key the way the services do (401 with
the service's error body for a wrong one) and answer only the read-only calls
maildoctor makes::

    with SendGridFake(api_key) as fake:
        fake.authenticate_domain("example.com")
        account = SendGridAccount(api_key, base_url=fake.url)

JSON shapes: SendGrid v3 API reference (verified senders, domain authentication,
suppressions); Postmark API reference (sender signatures, domains, suppressions).
"""

from __future__ import annotations

import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..secrets import Secret

__all__ = ["PostmarkFake", "SendGridFake"]

Answer = tuple[int, Any]


class _Server:
    """A threaded HTTP server on 127.0.0.1 whose GETs go to ``self.answer``."""

    def __init__(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                status, body = outer.answer(unquote(url.path), query, dict(self.headers))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.requests: list[str] = []

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        raise NotImplementedError

    def start(self) -> Any:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _same(given: str | None, expected: Secret) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.reveal().encode())


# -- SendGrid --------------------------------------------------------------------------------


@dataclass
class _SendGridState:
    senders: dict[str, bool] = field(default_factory=dict)
    domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    bounces: dict[str, dict[str, Any]] = field(default_factory=dict)
    spam_reports: dict[str, dict[str, Any]] = field(default_factory=dict)


class SendGridFake(_Server):
    """The SendGrid v3 API for one account.

    Args:
        api_key: The only key it accepts (``Authorization: Bearer <key>``).
        scopes_denied: Endpoint prefixes the key may not read (403, as a Mail Send-only key).
    """

    UNAUTHORIZED = {"errors": [{"field": None, "message": "authorization required"}]}
    FORBIDDEN = {"errors": [{"field": None, "message": "access forbidden"}]}

    def __init__(self, api_key: Secret, *, scopes_denied: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.api_key = api_key
        self.scopes_denied = scopes_denied
        self.state = _SendGridState()
        self._next_id = 1

    def verify_sender(self, address: str, *, verified: bool = True) -> None:
        """A Single Sender (verified, or waiting for its confirmation e-mail)."""
        self.state.senders[address.lower()] = verified

    def authenticate_domain(
        self, domain: str, *, valid: bool = True, subdomain: str = "em1234"
    ) -> None:
        """Domain Authentication with automated security (three CNAMEs)."""
        records = {
            "mail_cname": (f"{subdomain}.{domain}", "u1234.wl.sendgrid.net"),
            "dkim1": (f"s1._domainkey.{domain}", "s1.domainkey.u1234.wl.sendgrid.net"),
            "dkim2": (f"s2._domainkey.{domain}", "s2.domainkey.u1234.wl.sendgrid.net"),
        }
        self.state.domains[domain.lower()] = {
            "id": self._next_id,
            "user_id": 1234,
            "subdomain": subdomain,
            "domain": domain,
            "username": "maildoctor-test",
            "ips": [],
            "custom_spf": False,
            "default": True,
            "legacy": False,
            "automatic_security": True,
            "valid": valid,
            "dns": {
                name: {"valid": valid, "type": "cname", "host": host, "data": data}
                for name, (host, data) in records.items()
            },
        }
        self._next_id += 1

    def bounce(
        self, address: str, *, reason: str = "550 5.1.1 The email account does not exist."
    ) -> None:
        """Put an address on the bounce suppression list."""
        self.state.bounces[address.lower()] = {
            "created": 1733011200,
            "email": address,
            "reason": reason,
            "status": "5.1.1",
        }

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        self.requests.append(path)
        auth = headers.get("Authorization") or headers.get("authorization") or ""
        if not _same(auth.removeprefix("Bearer "), self.api_key):
            return 401, self.UNAUTHORIZED
        if any(path.startswith(p) for p in self.scopes_denied):
            return 403, self.FORBIDDEN
        return self._route(path, query)

    def _route(self, path: str, query: dict[str, str]) -> Answer:
        if path == "/v3/verified_senders":
            results = [
                {"id": i, "from_email": a, "from_name": "", "verified": v, "locked": False}
                for i, (a, v) in enumerate(self.state.senders.items(), 1)
            ]
            return 200, {"results": results}
        if path == "/v3/whitelabel/domains":
            wanted = query.get("domain", "").lower()
            return 200, [d for k, d in self.state.domains.items() if not wanted or k == wanted]
        for kind in ("bounces", "spam_reports"):
            prefix = f"/v3/suppression/{kind}/"
            if path.startswith(prefix):
                table = getattr(self.state, kind)
                entry = table.get(path.removeprefix(prefix).lower())
                return 200, [entry] if entry else []
        return 404, {"errors": [{"field": None, "message": "resource not found"}]}


# -- Postmark ---------------------------------------------------------------------------------


@dataclass
class _PostmarkState:
    signatures: dict[str, bool] = field(default_factory=dict)
    domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    suppressions: dict[str, dict[str, Any]] = field(default_factory=dict)


class PostmarkFake(_Server):
    """The Postmark API for one account and one server.

    Args:
        account_token: Accepted as ``X-Postmark-Account-Token``.
        server_token: Accepted as ``X-Postmark-Server-Token``.
    """

    NO_TOKEN = {
        "ErrorCode": 10,
        "Message": "The Server Token you provided in the X-Postmark-Server-Token request "
        "header was invalid. Please verify that you are using a valid token.",
    }
    NO_ACCOUNT_TOKEN = {
        "ErrorCode": 10,
        "Message": "No Account or Server API tokens were supplied in the HTTP headers. Please "
        "add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.",
    }

    def __init__(self, account_token: Secret, server_token: Secret) -> None:
        super().__init__()
        self.account_token = account_token
        self.server_token = server_token
        self.state = _PostmarkState()

    def add_signature(self, address: str, *, confirmed: bool = True) -> None:
        """A sender signature (confirmed, or waiting for its confirmation e-mail)."""
        self.state.signatures[address.lower()] = confirmed

    def add_domain(
        self, domain: str, *, dkim: bool = True, return_path: str = "", return_path_ok: bool = True
    ) -> None:
        """A domain, its DKIM verified or not, with an optional custom Return-Path."""
        self.state.domains[domain.lower()] = {
            "ID": len(self.state.domains) + 1,
            "Name": domain,
            "SPFVerified": True,
            "DKIMVerified": dkim,
            "WeakDKIM": False,
            "ReturnPathDomain": return_path,
            "ReturnPathDomainVerified": bool(return_path) and return_path_ok,
        }

    def suppress(self, address: str, *, reason: str = "HardBounce") -> None:
        """Suppress an address in the outbound stream (HardBounce, SpamComplaint...)."""
        self.state.suppressions[address.lower()] = {
            "EmailAddress": address,
            "SuppressionReason": reason,
            "Origin": "Recipient",
            "CreatedAt": "2026-11-30T09:00:00-05:00",
        }

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        self.requests.append(path)
        lowered = {k.lower(): v for k, v in headers.items()}
        if path.startswith("/message-streams/"):
            if not _same(lowered.get("x-postmark-server-token"), self.server_token):
                return 401, self.NO_TOKEN
            return self._suppressions(path, query)
        if not _same(lowered.get("x-postmark-account-token"), self.account_token):
            return 401, self.NO_ACCOUNT_TOKEN
        return self._account(path)

    def _account(self, path: str) -> Answer:
        if path == "/senders":
            signatures = [
                {
                    "Domain": a.partition("@")[2],
                    "EmailAddress": a,
                    "ReplyToEmailAddress": "",
                    "Name": "",
                    "Confirmed": ok,
                    "ID": i,
                }
                for i, (a, ok) in enumerate(self.state.signatures.items(), 1)
            ]
            return 200, {"TotalCount": len(signatures), "SenderSignatures": signatures}
        if path == "/domains":
            listed = [
                {k: v for k, v in d.items() if k != "ReturnPathDomain"}
                for d in self.state.domains.values()
            ]
            return 200, {"TotalCount": len(listed), "Domains": listed}
        if path.startswith("/domains/"):
            for entry in self.state.domains.values():
                if str(entry["ID"]) == path.rpartition("/")[2]:
                    return 200, entry
        return 404, {"ErrorCode": 510, "Message": "This domain was not found."}

    def _suppressions(self, path: str, query: dict[str, str]) -> Answer:
        if not path.endswith("/suppressions/dump"):
            return 404, {"ErrorCode": 1226, "Message": "The message stream was not found."}
        wanted = query.get("EmailAddress", "").lower()
        entries = [e for a, e in self.state.suppressions.items() if not wanted or a == wanted]
        return 200, {"Suppressions": entries}
