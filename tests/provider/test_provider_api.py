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
        "SesQuery",
        "evaluate",
        "smtp_endpoint_region",
    ]
    assert all(hasattr(provider, name) for name in provider.__all__)


def test_ses_provider_implements_the_interface():
    from maildoctor.provider.base import SendingProvider
    from maildoctor.provider.ses.client import SesProvider

    methods = [n for n in vars(SendingProvider) if not n.startswith("_") and n != "name"]
    assert methods and all(callable(getattr(SesProvider, n)) for n in methods)


def test_importing_the_pure_ses_checks_does_not_import_boto3():
    import subprocess
    import sys

    code = (
        "import sys, maildoctor.provider, maildoctor.provider.ses.endpoints; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
