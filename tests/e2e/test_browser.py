"""The class report in a real browser: headless Chromium, driven by Playwright, opens a report of
real games and finds no script error and no request beyond the file itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: `apt-get install chromium`")

# The flags this machine's Chromium needs as root, headless, with no network beyond loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_the_class_report_opens_in_chromium_without_errors(tmp_path: Path) -> None:
    """A report of real games played on the shipped stories, opened as a file: no script errors,
    nothing requested from anywhere, and a screenshot to look at."""
    import random

    from game.classroom.recorder import GameRecorder
    from game.classroom.report import build_report
    from game.classroom.store import SqliteStore
    from game.engine.loader import catalog
    from game.session.play import PlaySession

    results = tmp_path / "results.sqlite"
    store = SqliteStore(results)
    rng = random.Random(4)
    for entry in catalog.shipped():
        scenario = entry.result.scenario
        assert scenario is not None
        for number in range(6):
            recorder = GameRecorder(store, f"Student {number}" if number % 2 else None, "TEST-9B")
            session = PlaySession.new(scenario, list(scenario.roles)[number % 2], seed=number, observers=[recorder])
            session.begin()
            while not session.over:
                session.choose(rng.choice([o.choice.id for o in session.options() if o.available]))
            session.answer(0, "<b>not bold</b> & a fair point")
    store.close()
    report = tmp_path / "report.html"
    report.write_text(build_report(results, "html"), encoding="utf-8")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        errors: list[str] = []
        requests: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        assert page.locator("svg").count() > 0
        assert "<b>not bold</b> & a fair point" in page.inner_text("body")  # shown as text, not markup
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert errors == [] and requests == [report.as_uri()]
