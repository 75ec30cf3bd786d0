"""The embedded default: scenarios built and replayed on loopback servers, no network needed.

* :mod:`.scenarios` - what each scenario sets up (a :class:`~.scenarios.World`, as data) and
  the exact root causes and advisories its diagnosis must produce;
* :mod:`.zones` - the DNS of the world (sender, recipients, vendor);
* :mod:`.stage` - the loopback servers: DNS, moto + fake for SES/IAM, the SES-like relay,
  the recipients' MX hosts, SES's own DKIM key;
* :mod:`.replay` - the messages sent again over real SMTP, leaving the user's evidence
  (built by :mod:`.evidence`: Gmail's notice, SES's DSNs and notifications, Postfix's log);
* :mod:`.runner` - the real :func:`maildoctor.diagnose.diagnose` on that evidence, and the
  comparison with the scenario (``maildoctor demo`` exits on it).
"""
