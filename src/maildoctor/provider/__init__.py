"""The sending-service layer (``provider``): Amazon SES, SendGrid and Postmark.

``base`` is the interface: ``SenderAccount``, the questions every sending service answers
(does it send from the sender, the domain's DKIM and return path, suppressions), and
``SendingProvider``, the SES calls behind it; ``aws`` is the boto3 plumbing; ``ses/`` is
Amazon SES by topic (pure checks), with its boto3 client and the ``check_ses`` driver in
``ses.client`` and ``ses.driver`` and its ``SenderAccount`` in ``ses.sender_account``;
``sendgrid`` and ``postmark`` answer over their HTTP APIs (``http``, httpx);
``account_checks`` turns any service's answers into findings. Importing the package imports
no module of it: import the one you need.
"""
