"""The page over real HTTP on loopback: security headers, token, CSRF, limits, every page."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from web_support import incident_world, running

from maildoctor.testing.dnsserver import DnsServer
from maildoctor.web import ServeSettings, create_app
from maildoctor.web.security import CSP

ZONE = {
    "example.com": [{"MX": [10, "mx.example.com"]}, {"TXT": "v=spf1 ip4:192.0.2.0/24 -all"}],
    "mx.example.com": [{"A": "192.0.2.10"}],
    "_dmarc.example.com": [{"TXT": "v=DMARC1; p=none"}],
}

HOSTILE_HEADERS = (
    "Received: from <script>alert(1)</script>.example.com (mx.example.net [192.0.2.1])\n"
    "\tby mx.example.org with ESMTPS; Mon, 1 Jun 2026 12:00:00 +0000\n"
    'From: "<img src=x onerror=alert(2)>" <a@example.com>\n'
    "To: b@example.org\nSubject: hi\nDate: Mon, 1 Jun 2026 12:00:00 +0000\n"
    "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.com\n\n"
)


@pytest.fixture(scope="module")
def dns():
    with DnsServer(ZONE) as server:
        yield server


@pytest.fixture(scope="module")
def site(dns):
    from maildoctor.dns.nameserver import Nameserver

    settings = ServeSettings(nameservers=(Nameserver("127.0.0.1", dns.port),), timeout=1.0)
    with running(create_app(settings)) as url:
        yield url


def _csrf(client: httpx.Client, url: str) -> str:
    page = client.get(url).text
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, "every form carries a CSRF field"
    return match.group(1)


def test_every_page_is_served_with_strict_headers(site):
    with httpx.Client(base_url=site) as client:
        for path in ("/", "/diagnose", "/explain", "/domain", "/headers"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.headers["content-security-policy"] == CSP
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["cache-control"] == "no-store"
            assert "'unsafe-inline'" not in response.headers["content-security-policy"]


def test_a_post_without_the_csrf_value_is_refused(site):
    with httpx.Client(base_url=site) as client:
        client.get("/domain")
        response = client.post("/domain", data={"domain": "example.com", "csrf": "forged"})
        assert response.status_code == 400
        assert "form expired or came from elsewhere" in response.text
        fresh = httpx.post(f"{site}/domain", data={"domain": "example.com"})
        assert fresh.status_code == 400


def test_a_cross_site_post_is_refused(site):
    with httpx.Client(base_url=site) as client:
        csrf = _csrf(client, "/domain")
        response = client.post(
            "/domain",
            data={"domain": "example.com", "csrf": csrf},
            headers={"origin": "https://attacker.example"},
        )
        assert response.status_code == 403


def test_an_oversized_body_gets_413_before_the_page_reads_it(dns):
    app = create_app(ServeSettings(timeout=1.0))
    app.max_body = 1000
    with running(app) as url, httpx.Client(base_url=url) as client:
        csrf = _csrf(client, "/headers")
        response = client.post("/headers", data={"raw": "x" * 5000, "csrf": csrf})
        assert response.status_code == 413


def test_a_token_is_needed_when_one_is_set():
    app = create_app(ServeSettings(timeout=1.0, token="t0ken-for-test"))
    with running(app) as url:
        assert httpx.get(url + "/").status_code == 403
        assert httpx.get(url + "/?token=wrong").status_code == 403
        with httpx.Client(base_url=url) as client:
            first = client.get("/?token=t0ken-for-test", follow_redirects=False)
            assert first.status_code == 303 and "HttpOnly" in first.headers["set-cookie"]
            assert client.get("/diagnose").status_code == 200


def test_domain_page_shows_the_record_to_publish_and_the_report(site):
    with httpx.Client(base_url=site) as client:
        csrf = _csrf(client, "/domain")
        page = client.post("/domain", data={"domain": "example.com", "csrf": csrf}).text
        record = re.search(r'<code id="next-record">([^<]+)</code>', page)
        assert record and record.group(1).startswith("v=DMARC1;")
        report = re.search(r'src="(/jobs/[^"]+/report\.html)\?view=1"', page)
        assert report
        served = client.get(report.group(1) + "?view=1")
        assert (
            "example.com" in served.text
            and "'unsafe-inline'" in served.headers["content-security-policy"]
        )
        assert client.get(report.group(1)).headers["content-disposition"].startswith("attachment")
        assert (
            client.post("/domain", data={"domain": "bad domain!", "csrf": csrf}).status_code == 400
        )


def test_hostile_headers_are_shown_escaped(site):
    with httpx.Client(base_url=site) as client:
        csrf = _csrf(client, "/headers")
        response = client.post("/headers", data={"raw": HOSTILE_HEADERS, "csrf": csrf})
        assert response.status_code == 200
        page = response.text
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the hop, escaped, in the table
        assert '<table class="hops">' in page


def _wait_for_report(client: httpx.Client, job_url: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = client.get(job_url).text
        if 'class="verdict"' in page or 'role="alert"' in page:
            return page
        time.sleep(0.2)
    raise AssertionError("the diagnosis did not finish")


def test_diagnose_form_finds_both_incident_causes_and_never_shows_the_password(tmp_path):
    with incident_world(tmp_path) as world, running(create_app(world.settings)) as url:
        with httpx.Client(base_url=url) as client:
            form_page = client.get("/diagnose").text
            assert 'type="password"' in form_page
            csrf = re.search(r'name="csrf" value="([^"]+)"', form_page).group(1)
            fields = {**world.settings.defaults, "csrf": csrf}
            files = [("bounce_files", (p.name, p.read_bytes())) for p in world.replayed.bounces]
            files += [("log_files", (p.name, p.read_bytes())) for p in world.replayed.logs]
            posted = client.post("/diagnose", data=fields, files=files, follow_redirects=False)
            assert posted.status_code == 303
            job = posted.headers["location"]
            events = client.get(job + "/events").text  # streams until the job ends
            assert "event: done" in events and '"adapter": "relay"' in events
            page = _wait_for_report(client, job)
            assert "client.smtp_auth.stale_ses_password" in page
            assert "provider.ses.email_identity_only" in page
            password = world.settings.default_password.reveal()
            for fmt in ("html", "json", "md"):
                assert password not in client.get(f"{job}/report.{fmt}").text
            assert password not in page and password not in form_page


def test_explain_page_reads_a_reply_a_bounce_and_a_cause_id(site):
    with httpx.Client(base_url=site) as client:
        csrf = _csrf(client, "/explain")
        reply = (
            "550 5.7.515 Access denied, sending domain example.com doesn't meet the "
            "required authentication level."
        )
        page = client.post("/explain", data={"what": reply, "csrf": csrf}).text
        assert "Who can fix it" in page and "What the fix does not fix" in page
        by_id = client.post(
            "/explain", data={"what": "dns.dmarc.fo_without_ruf", "csrf": csrf}
        ).text
        assert "dns.dmarc.fo_without_ruf" in by_id and "<dt>Fix</dt>" in by_id
        hostile = client.post(
            "/explain", data={"what": "550 <script>alert(1)</script>", "csrf": csrf}
        )
        assert hostile.status_code == 200 and "<script>alert(1)" not in hostile.text
        assert client.post("/explain", data={"what": "  ", "csrf": csrf}).status_code == 400


def test_a_finished_job_lists_each_layer_once_with_its_last_state(tmp_path):
    with incident_world(tmp_path) as world, running(create_app(world.settings)) as url:
        with httpx.Client(base_url=url) as client:
            csrf = _csrf(client, "/diagnose")
            fields = {**world.settings.defaults, "csrf": csrf}
            posted = client.post("/diagnose", data=fields, follow_redirects=False)
            page = _wait_for_report(client, posted.headers["location"])
            layers = re.findall(r'<li data-adapter="([^"]+)" class="p-(\w+)"', page)
            assert len(layers) == len({name for name, _ in layers}) > 3
            assert "running" not in {state for _, state in layers}
