"""botocore exceptions -> CallFailure, through the one table; credentials preflight."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from maildoctor.provider.aws import credentials_problem, iam_action, translate
from maildoctor.provider.base import FailureKind
from maildoctor.secrets import Secret


def client_error(code: str, message: str = "msg", status: int = 400) -> ClientError:
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "Op")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("AccessDenied", FailureKind.ACCESS_DENIED),
        ("AccessDeniedException", FailureKind.ACCESS_DENIED),
        ("NoSuchEntity", FailureKind.NOT_FOUND),
        ("NotFoundException", FailureKind.NOT_FOUND),
        ("Throttling", FailureKind.THROTTLED),
        ("TooManyRequestsException", FailureKind.THROTTLED),
        ("InvalidClientTokenId", FailureKind.BAD_CREDENTIALS),
        ("SignatureDoesNotMatch", FailureKind.BAD_CREDENTIALS),
        ("ExpiredToken", FailureKind.BAD_CREDENTIALS),
        ("OptInRequired", FailureKind.REGION_UNAVAILABLE),
        ("404", FailureKind.UNSUPPORTED),
        ("SomethingNew", FailureKind.ERROR),
    ],
)
def test_client_error_codes(code, kind):
    failure = translate(client_error(code), service="sesv2", operation="GetAccount")
    assert failure.kind is kind
    assert failure.code == code
    assert failure.permission == "ses:GetAccount"


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (NoCredentialsError(), FailureKind.NO_CREDENTIALS),
        (ConnectTimeoutError(endpoint_url="http://127.0.0.1:1"), FailureKind.TIMEOUT),
        (ReadTimeoutError(endpoint_url="http://127.0.0.1:1"), FailureKind.TIMEOUT),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), FailureKind.NETWORK),
        (ResponseParserError("bad XML"), FailureKind.UNSUPPORTED),
        (ParamValidationError(report="bad"), FailureKind.INVALID_INPUT),
        (RuntimeError("boom"), FailureKind.ERROR),
    ],
)
def test_botocore_exceptions(exc, kind):
    failure = translate(exc, service="iam", operation="GetUser")
    assert failure.kind is kind and failure.permission == "iam:GetUser"


def test_html_bodies_are_not_copied():
    html = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>"
    failure = translate(client_error("404", html, 404), service="sesv2", operation="GetAccount")
    assert "<" not in failure.message and "404" in failure.message
    assert "not implemented" in failure.describe()


def test_secrets_are_redacted_from_messages():
    secret = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    exc = client_error("SignatureDoesNotMatch", f"string to sign used {secret.reveal()} oops")
    failure = translate(exc, service="ses", operation="GetSendQuota", secrets=(secret,))
    assert secret.reveal() not in failure.message and "[redacted]" in failure.message


@pytest.mark.parametrize(
    ("service", "operation", "action"),
    [
        ("sesv2", "GetSuppressedDestination", "ses:GetSuppressedDestination"),
        ("ses", "GetIdentityDkimAttributes", "ses:GetIdentityDkimAttributes"),
        ("iam", "GetAccessKeyLastUsed", "iam:GetAccessKeyLastUsed"),
        ("cloudwatch", "GetMetricData", "cloudwatch:GetMetricData"),
    ],
)
def test_iam_action_names(service, operation, action):
    assert iam_action(service, operation) == action


def test_credentials_problem_none_with_env_keys():
    assert credentials_problem() is None


def test_credentials_problem_says_what_to_set(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    problem = credentials_problem()
    assert problem is not None and "AWS_PROFILE" in problem and "AWS_ACCESS_KEY_ID" in problem


def test_unknown_profile(monkeypatch):
    problem = credentials_problem("nope")
    assert problem is not None and "'nope'" in problem
