"""The sending-service layer (``provider``): Amazon SES first.

``base`` is the small interface any sending service implements and ``aws`` the boto3
plumbing; ``ses/`` is Amazon SES by topic (pure checks), with its boto3 client and the
``check_ses`` driver in ``ses.client`` and ``ses.driver``. Importing the package imports
no module of it: import the one you need.
"""
