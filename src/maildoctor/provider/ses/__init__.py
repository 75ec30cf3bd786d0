"""Amazon SES, by topic.

``facts`` holds what one run asked and fetched (:class:`SesFacts`); the topic modules
turn the facts they name into findings - ``account`` (caller, sandbox, sending,
enforcement, quota, reputation), ``identity``, ``dkim``, ``mail_from``, ``suppression``,
``keys`` (the access key behind an SMTP username) and ``region`` - and ``findings.evaluate``
runs them in order. ``causes`` is the table of root-cause ids and vendor documents,
``endpoints`` the one parser of SES SMTP host names. The boto3 side is apart: ``client``
(:class:`SesProvider`, read-only calls) and ``driver`` (``check_ses``: gather, then
evaluate); ``sender_account`` puts SES behind the contract every sending service shares
(:class:`~maildoctor.provider.base.SenderAccount`, with SendGrid and Postmark). Importing
the package imports nothing: import the module you need
(``endpoints`` is used by other layers and loads no DNS or AWS library).
"""
