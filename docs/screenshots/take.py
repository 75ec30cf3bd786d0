"""Screenshots of every page of ``maildoctor serve`` on the incident's world (``make screenshots``).

Builds the demo world, serves the page on loopback, and has the distribution's Chromium
(driven by Playwright) visit each page, fill it as a user would, and save a PNG here.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests" / "web"))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from web_support import incident_world, running  # noqa: E402

from maildoctor.testing import netguard  # noqa: E402
from maildoctor.web import create_app  # noqa: E402

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPLY = (
    "550 5.7.515 Access denied, sending domain example.com doesn't meet the required "
    "authentication level."
)


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=str(HERE / f"{name}.png"), full_page=True)
    print(f"wrote docs/screenshots/{name}.png")


def main() -> None:
    netguard.install()
    with tempfile.TemporaryDirectory() as tmp, incident_world(Path(tmp)) as world:
        with running(create_app(world.settings)) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(url + "/")
            shoot(page, "index")
            page.goto(url + "/diagnose")
            page.set_input_files("#bounce_files", [str(p) for p in world.replayed.bounces])
            page.set_input_files("#log_files", [str(p) for p in world.replayed.logs])
            shoot(page, "diagnose-form")
            page.click("button[type=submit]")
            page.wait_for_selector("#verdict", timeout=60_000)
            shoot(page, "diagnose-report")
            page.goto(url + "/explain")
            page.fill("#what", REPLY)
            page.click("button[type=submit]")
            shoot(page, "explain")
            page.goto(url + "/domain")
            page.fill("#domain", world.settings.defaults["sender"].partition("@")[2])
            page.click("button[type=submit]")
            page.wait_for_selector("iframe.report")
            shoot(page, "domain")
            if world.replayed.headers is not None:
                page.goto(url + "/headers")
                page.fill("#raw", world.replayed.headers.read_text(errors="replace"))
                page.click("button[type=submit]")
                page.wait_for_selector("iframe.report")
                shoot(page, "headers")
            browser.close()


if __name__ == "__main__":
    main()
