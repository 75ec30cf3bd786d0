"""The DNS layer: resolver, SPF, DMARC, DKIM keys, MX, MAIL FROM and PTR checks."""

import dns._features

# maildoctor speaks plain DNS (UDP with TCP fallback) only. Without this, importing
# dns.query pulls in an HTTP client for DNS-over-HTTPS: a third of the CLI's start-up.
dns._features.force("doh", False)
