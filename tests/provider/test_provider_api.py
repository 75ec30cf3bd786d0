"""The provider package's public surface is pinned."""

from __future__ import annotations

import maildoctor.provider as provider


def test_public_names_are_pinned_and_sorted():
    assert provider.__all__ == [
        "CAUSES",
        "CallFailure",
        "FailureKind",
        "Fetched",
        "SendingProvider",
        "SesFacts",
        "SesProvider",
        "SesQuery",
        "check_ses",
        "evaluate",
        "smtp_endpoint_region",
    ]
    assert all(hasattr(provider, name) for name in provider.__all__)


def test_ses_provider_implements_the_interface():
    from maildoctor.provider.base import SendingProvider

    methods = [n for n in vars(SendingProvider) if not n.startswith("_") and n != "name"]
    assert methods and all(callable(getattr(provider.SesProvider, n)) for n in methods)
