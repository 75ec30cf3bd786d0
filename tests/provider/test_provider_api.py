"""The provider package: the SES client implements the interface; the endpoint parser is light."""

from __future__ import annotations

import subprocess
import sys


def test_ses_provider_implements_the_interface():
    from maildoctor.provider.base import SendingProvider
    from maildoctor.provider.ses.client import SesProvider

    methods = [n for n in vars(SendingProvider) if not n.startswith("_") and n != "name"]
    assert methods and all(callable(getattr(SesProvider, n)) for n in methods)


def test_the_ses_endpoint_parser_loads_no_dns_or_aws_library():
    """Other layers (logs, bounce, smtp, diagnose) use it on their start-up path."""
    code = (
        "import sys, maildoctor.provider.ses.endpoints; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'boto3', 'botocore', 'dns'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
