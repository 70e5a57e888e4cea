"""A class game in a real browser: headless Chromium against `longarm serve`, driven by Playwright.

It opens the page, types the class code, stays anonymous, picks the scenario and role, plays to an
ending, and checks the class's record of it in the results store the server was given; a
screenshot of the debrief is saved in the test's temp folder for a person to look at.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: `apt-get install chromium`")

# The flags this machine's Chromium needs as root, headless, with no network beyond loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def wait_for(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_class_plays_to_a_debrief_in_chromium(server: str, tmp_path: Path) -> None:
    results = tmp_path / "results.sqlite"

    def recorded_games() -> tuple:  # type: ignore[type-arg]
        from game.classroom.store import ResultsStore

        return ResultsStore(results, create=False).games() if results.exists() else ()

    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        outside: list[str] = []
        page.on("request", lambda request: outside.append(request.url)
                if not request.url.startswith((server, server.replace("http", "ws"), "data:")) else None)
        page.goto(server + "/")
        page.wait_for_selector("body.-first-byte", timeout=30_000)  # the game process is drawing
        time.sleep(3.0)  # the app starts, and shows the class-code dialog
        page.focus(".xterm-helper-textarea")  # xterm.js reads keys from this hidden text area
        page.keyboard.type("TEST-9B", delay=50)
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # no name: anonymous
        time.sleep(1.0)
        page.keyboard.press("Enter")  # the scenario
        time.sleep(1.0)
        page.keyboard.press("Enter")  # the first role: journalist
        time.sleep(1.0)
        page.keyboard.press("2")  # stay home: an ending
        page.screenshot(path=str(tmp_path / "before.png"))
        wait_for(lambda: any(game.ending_id for game in recorded_games()))
        time.sleep(1.0)
        page.screenshot(path=str(tmp_path / "debrief.png"))
        with page.expect_download(timeout=20_000) as download_info:
            page.keyboard.press("e")  # export: in a browser, the debrief becomes a download
        download = download_info.value
        assert download.suggested_filename == "longarm-test-story-quiet.md"
        exported = Path(download.path()).read_text(encoding="utf-8")
        browser.close()
    assert exported.startswith("# Test story: A quiet night") and "## What really happened" in exported
    [game] = recorded_games()
    assert (game.scenario_id, game.role, game.class_code, game.ending_id) == ("test-story", "journalist", "TEST-9B", "quiet")
    assert [choice.choice_id for choice in game.choices] == ["stay"] and game.player is None
    assert errors == [] and outside == []
    assert (tmp_path / "debrief.png").stat().st_size > 10_000


def test_the_class_report_opens_in_chromium_without_errors(tmp_path: Path) -> None:
    """A report of real games played on the shipped stories, opened as a file: no script errors,
    nothing requested from anywhere, and a screenshot to look at."""
    import random

    from game.classroom.recorder import GameRecorder
    from game.classroom.report import build_report
    from game.classroom.store import ResultsStore
    from game.engine.loader import catalog
    from game.engine.runtime.state import Game

    results = tmp_path / "results.sqlite"
    store = ResultsStore(results)
    rng = random.Random(4)
    for entry in catalog.shipped():
        scenario = entry.result.scenario
        assert scenario is not None
        for number in range(6):
            recorder = GameRecorder(store, f"Student {number}" if number % 2 else None, "TEST-9B")
            game = Game(scenario, list(scenario.roles)[number % 2], seed=number)
            recorder.start(game)
            while not game.over:
                scene = game.state.place
                choice = rng.choice([o.choice.id for o in game.options() if o.available])
                game.choose(choice)
                recorder.choice(game, scene, choice)
            recorder.end(game)
            recorder.answer(game, 0, "<b>not bold</b> & a fair point")
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
