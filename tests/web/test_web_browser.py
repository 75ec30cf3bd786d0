"""The page in a real browser: Chromium from the distribution, driven by Playwright.

The Diagnose form is filled with the incident's evidence against the demo's loopback
servers and must show both causes; a hostile bounce must come back escaped, with no
script run; every page passes axe-core's checks and every control can be reached and
used from the keyboard. Chromium comes from the distribution (``make`` installs the
``chromium`` package when it can); set MAILDOCTOR_SKIP_BROWSER=1 to skip these tests
on a machine where it cannot be installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright
from web_support import incident_world, running

from maildoctor.dns.nameserver import Nameserver
from maildoctor.testing.dnsserver import DnsServer
from maildoctor.web import ServeSettings, create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if os.environ.get("MAILDOCTOR_SKIP_BROWSER"):
    pytest.skip("MAILDOCTOR_SKIP_BROWSER is set", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium not found: install the distribution's 'chromium' package")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def local_settings() -> Iterator[ServeSettings]:
    """Settings whose checks ask an empty loopback DNS server (nothing leaves 127.0.0.1)."""
    with DnsServer({}) as dns:
        yield ServeSettings(nameservers=(Nameserver("127.0.0.1", dns.port),), timeout=0.5)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


def _serious(page: Page) -> list[str]:
    result = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in result.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _unlabelled(page: Page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll(
                'input:not([type=hidden]), select, textarea, button')]
            .filter(el => el.tagName === 'BUTTON' ? !el.textContent.trim() : el.labels.length === 0)
            .map(el => el.outerHTML.slice(0, 80))"""
    )


def test_diagnose_the_incident_from_the_keyboard(page, tmp_path):
    with incident_world(tmp_path) as world, running(create_app(world.settings)) as url:
        page.goto(url + "/diagnose")
        assert page.input_value("#sender") == world.settings.defaults["sender"]
        page.set_input_files("#bounce_files", [str(p) for p in world.replayed.bounces])
        page.set_input_files("#log_files", [str(p) for p in world.replayed.logs])
        page.focus("#log_text")
        for _ in range(10):  # Tab onwards to the button, then Enter: no mouse
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.type") == "submit":
                break
        assert page.evaluate("document.activeElement.textContent") == "Diagnose"
        page.keyboard.press("Enter")
        page.wait_for_selector("#verdict")
        text = page.inner_text("main")
        assert "client.smtp_auth.stale_ses_password" in text
        assert "provider.ses.email_identity_only" in text
        assert world.settings.default_password.reveal() not in page.content()
        assert _serious(page) == []


def test_a_hostile_bounce_comes_back_escaped_and_inert(page, tmp_path, local_settings):
    bounce = tmp_path / "hostile.eml"
    bounce.write_text(
        "From: MAILER-DAEMON@mx.example.net\nTo: admin@example.com\n"
        "Subject: Undelivered Mail <script>window.__pwned=1</script>" + "x" * 200_000 + "\n"
        "Content-Type: text/plain\n\n"
        "This is the mail system at host mx.example.net.\n\n"
        "<b@example.org>: host mx.example.org[192.0.2.7] said: 550 5.1.1 "
        '<img src=x onerror="window.__pwned=2"> <script>window.__pwned=3</script> user unknown\n'
    )
    with running(create_app(local_settings)) as url:
        page.goto(url + "/diagnose")
        page.fill("#sender", "admin@example.com")
        page.set_input_files("#bounce_files", str(bounce))
        page.click("button[type=submit]")
        page.wait_for_selector(".verdict, .error")
        frame = page.frame_locator("iframe.report")
        frame.locator("body").wait_for()
        assert page.evaluate("window.__pwned") is None
        report = page.frames[1]
        assert report.evaluate("() => typeof window.__pwned") == "undefined"
        assert "<script>window.__pwned" in report.inner_text("body")  # shown as text


@pytest.mark.parametrize("path", ["/", "/diagnose", "/explain", "/domain", "/headers"])
def test_every_page_is_labelled_and_passes_axe(page, path, local_settings):
    with running(create_app(local_settings)) as url:
        page.goto(url + path)
        assert _unlabelled(page) == []
        assert _serious(page) == []
