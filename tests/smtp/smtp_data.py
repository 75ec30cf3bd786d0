"""Constants shared by the SMTP tests (importable as ``smtp_data``)."""

#: REFERENCE.md section 1's example key; the "current" secret of the SES-like server.
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#: The key's secret before rotation.
OLD_SECRET = "oldOLDoldOLDoldOLDoldOLDoldOLDoldOLDold1"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SES_HOST = "email-smtp.us-east-1.amazonaws.com"
