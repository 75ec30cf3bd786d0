"""``maildoctor serve``: seconds from pressing Diagnose to the report, for the incident.

Builds the demo's incident world on loopback, serves the page, and has the distribution's
Chromium (Playwright) fill the form with the replayed evidence and submit it; the clock
runs from the click to the verdict on the page. In the same run, the same diagnosis is
made in-process (``diagnose`` on the same world and evidence), so the ratio shows what the
page adds. Bar (issue 16): under 3 s after submit.

    .venv/bin/python bench/bench_web.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT / "tests" / "web"))

from playwright.sync_api import sync_playwright  # noqa: E402
from web_support import incident_world, running  # noqa: E402

from maildoctor.diagnose import diagnose  # noqa: E402
from maildoctor.web import create_app  # noqa: E402
from maildoctor.web.forms import FormInput  # noqa: E402
from maildoctor.web.forms import build_request as form_request  # noqa: E402

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _in_thread(request: object, settings: object) -> float:
    """Seconds for the same diagnosis run directly, in a thread (Playwright owns this loop)."""
    seconds: list[float] = []

    def run() -> None:
        start = time.perf_counter()
        asyncio.run(diagnose(request, ctx=settings.context()))  # type: ignore[arg-type, attr-defined]
        seconds.append(time.perf_counter() - start)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return seconds[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    page_times, direct_times = [], []
    with tempfile.TemporaryDirectory() as tmp, incident_world(Path(tmp)) as world:
        files = {
            "bounce_files": [(p.name, p.read_bytes()) for p in world.replayed.bounces],
            "log_files": [(p.name, p.read_bytes()) for p in world.replayed.logs],
        }
        with running(create_app(world.settings)) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for _ in range(args.runs):
                page = browser.new_page()
                page.goto(url + "/diagnose")
                page.set_input_files("#bounce_files", [str(p) for p in world.replayed.bounces])
                page.set_input_files("#log_files", [str(p) for p in world.replayed.logs])
                start = time.perf_counter()
                page.click("button[type=submit]")
                page.wait_for_selector("#verdict", timeout=60_000)
                page_times.append(time.perf_counter() - start)
                assert "client.smtp_auth.stale_ses_password" in page.inner_text("main")
                page.close()
                request, workdir = form_request(
                    FormInput(fields=world.settings.defaults, files=files),
                    default_password=world.settings.default_password,
                )
                direct_times.append(_in_thread(request, world.settings))
                shutil.rmtree(workdir, ignore_errors=True)
            browser.close()
    page_s, direct_s = statistics.median(page_times), statistics.median(direct_times)
    print(f"submit -> report on the page: {page_s:.2f} s (median of {args.runs}; bar < 3 s)")
    print(
        f"same diagnosis in-process:     {direct_s:.2f} s; the page adds {page_s - direct_s:.2f} s"
        f" ({page_s / direct_s:.2f}x)"
    )


if __name__ == "__main__":
    main()
