"""Write the web edition's screenshots (PNG) for the README and the teaching guide.

    python docs/screenshots/make_web.py

It starts `longarm serve` on a free loopback port with a temp results file (showing the join
address a teacher would give, http://192.168.1.20:8000/), lets a few students join and play in
headless Chromium (Debian's, driven by Playwright), and photographs what a student and the
teacher see: the join page and a scene on a phone (375 px wide), a scene and the debrief on a
laptop, and the teacher's live page. Names are made up; the anonymous ids change from run to run.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from bench.web import serve_class  # noqa: E402

CLASS_CODE = "HISTORY-9B"
TEACHER_CODE = "KT4G-QMDW-97K7"
PUBLIC_URL = "http://192.168.1.20:8000"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 667}
LAPTOP = {"width": 1100, "height": 800}


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def student(browser: Any, base: str, name: str, story: str, choices: int, viewport: dict[str, int] = LAPTOP) -> Any:
    """A student who joined as `name`, started `story` (id-role) and took the first open choice
    `choices` times (or until the ending)."""
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(base + "/")
    page.fill("#code", CLASS_CODE)
    page.fill("#name", name)
    submit(page, "#join")
    submit(page, f"#start-{story}")
    for _ in range(choices):
        if not page.locator("#choice-1").count():
            break
        submit(page, "#choice-1")
    return page


def shoot(page: Any, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(HERE / name), full_page=full_page)
    print(f"wrote docs/screenshots/{name}")


def main() -> int:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("make_web.py needs Playwright for Python: pip install -e '.[test]'", file=sys.stderr)
        return 2
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("make_web.py needs Chromium: apt-get install chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="longarm-shots-") as temp, \
            serve_class(Path(temp) / "results.sqlite", Path(temp) / "data", CLASS_CODE, "--public-url", PUBLIC_URL,
                        teacher_code=TEACHER_CODE) as served, sync_playwright() as playwright:
        base = served.base
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        join = browser.new_context(viewport=PHONE).new_page()
        join.goto(base + "/")
        join.fill("#code", CLASS_CODE)
        shoot(join, "web-join.png")

        phone = student(browser, base, "Dara", "arrival-hall-journalist", 1, PHONE)
        shoot(phone, "web-scene-phone.png")
        laptop = student(browser, base, "Sokha", "arrival-hall-journalist", 5)
        shoot(laptop, "web-scene.png")
        student(browser, base, "", "under-watch-activist", 3)
        student(browser, base, "Dara", "the-way-home-journalist", 6)
        finished = student(browser, base, "Vanna", "arrival-hall-activist", 40)
        finished.fill("#answer-1", "Because Cambodia asked, and Malaysia did not want trouble with a neighbour.")
        submit(finished, "#save-answers")
        finished.evaluate("window.scrollTo(0, 0)")
        shoot(finished, "web-debrief.png")
        browser.new_context().new_page().goto(base + "/")  # a student who has not joined: not counted

        teacher = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
        teacher.goto(base + "/teacher")
        teacher.fill("#teacher-code", TEACHER_CODE)
        submit(teacher, "#login")
        teacher.wait_for_selector("#live:not([hidden])")
        shoot(teacher, "web-teacher.png", full_page=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
