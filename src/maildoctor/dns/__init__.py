"""The DNS layer: resolver, SPF, DMARC, DKIM keys, MX, MAIL FROM and PTR checks."""
