"""Loaded by subprocesses the tests start (PYTHONPATH): no network beyond loopback."""

from maildoctor.testing import netguard

netguard.install()
