"""The knowledge check in a real browser (Chromium through Playwright), against `python -m game
serve --check on` as a process of its own: a student answers the check before the first scene by
clicking and by keyboard, plays a shipped story to its ending, answers the check again from the
debrief and reads what changed, while the teacher's live board follows their progress with it
(never their answers); every answer is in the results file; a phone never scrolls
sideways on the check. Skipped, with the reason, where Chromium or Playwright is missing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.web import serve_class

from test_web_browser import (  # noqa: F401 - the browser and page fixtures, and the helpers, are shared
    CLASS_CODE,
    PHONE,
    Classroom,
    browser,
    expect,
    join,
    open_page,
    play_to_ending,
    submit,
    teacher_login,
)

from game.engine.loader import catalog

STORY = catalog.find("arrival-hall").scenario  # type: ignore[attr-defined]


@pytest.fixture
def checked_class(tmp_path: Path) -> Iterator[Classroom]:
    with serve_class(tmp_path / "results.sqlite", tmp_path / "data", CLASS_CODE, "--check", "on") as served:
        yield Classroom(served, tmp_path / "results.sqlite")


def answer_all(page: Any, pick: Callable[[int, int], str]) -> None:
    """Tick one option of each question: `pick(question number, options)` gives the value."""
    for number, item in enumerate(STORY.check):
        page.check(f"input[name='item-{item.id}'][value='{pick(number, len(item.options))}']")


def test_a_student_takes_the_check_before_and_after_and_reads_what_changed(
        checked_class: Classroom, open_page: Callable[..., Any]) -> None:
    assert checked_class.served.banner_value("Knowledge check").startswith("on")
    teacher = open_page(checked_class)
    teacher_login(teacher, checked_class)
    expect(teacher.locator("#live")).to_be_visible()  # the live stream is connected
    teacher.evaluate("window.sameDocument = true")  # gone if the page reloads
    progress = teacher.locator("#student-rows tr").first.locator("td").last  # the knowledge check's column
    items = len(STORY.check)
    page = open_page(checked_class)
    join(page, checked_class, "Ana")
    submit(page, "#start-arrival-hall-journalist")
    expect(page.locator("h1")).to_have_text("Before you play: a short check")
    expect(progress).to_have_text(f"before: 0 of {items} answered")
    expect(page.locator("fieldset")).to_have_count(len(STORY.check))
    page.click("#check-done")  # nothing ticked: the browser asks for an answer and sends nothing
    assert page.evaluate("document.querySelector('#check').checkValidity()") is False
    expect(page.locator("h1")).to_have_text("Before you play: a short check")
    answer_all(page, lambda number, options: "dont-know")
    submit(page, "#check-done")
    expect(page.locator("#scene-title")).to_be_visible()
    play_to_ending(page)
    expect(page.locator("#check-again")).to_be_visible()
    submit(page, "#check-again")
    expect(page.locator("h1")).to_have_text("After the debrief: the same check again")
    answer_all(page, lambda number, options: str(STORY.check[number].answer))
    submit(page, "#check-done")
    expect(page.locator("h1")).to_have_text("What changed for you")
    expect(progress).to_have_text("before: done, after: done")  # drawn live by the teacher's script
    expect(teacher.locator("#check-counts")).to_have_text(
        "Knowledge check: 1 done before play, 1 done after the debrief.")
    assert teacher.evaluate("window.sameDocument === true")
    expect(page.locator("#change-summary")).to_have_text(
        f"Before you played: 0 of {len(STORY.check)} right. Now: {len(STORY.check)} of {len(STORY.check)} right.")
    expect(page.locator("li.change.learned")).to_have_count(len(STORY.check))
    expect(page.locator("li.change blockquote").first).to_contain_text("detained for most of the day")
    submit(page, "#back-to-debrief")
    expect(page.locator("#see-change")).to_be_visible()
    with sqlite3.connect(f"file:{checked_class.results}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT phase, count(*), sum(correct) FROM checks GROUP BY phase ORDER BY phase").fetchall()
    assert rows == [("after", len(STORY.check), len(STORY.check)), ("before", len(STORY.check), 0)]


def test_the_check_answers_by_keyboard_and_fits_a_phone(checked_class: Classroom, open_page: Callable[..., Any]) -> None:
    page = open_page(checked_class, viewport=PHONE)
    join(page, checked_class)
    submit(page, "#start-arrival-hall-activist")
    expect(page.locator("h1")).to_have_text("Before you play: a short check")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.focus(f"input[name='item-{STORY.check[0].id}'][value='0']")
    for _ in STORY.check:
        page.keyboard.press("Space")  # ticks the radio in focus
        page.keyboard.press("Tab")  # on to the next question (a radio group is one stop)
    expect(page.locator("#check-done")).to_be_focused()
    submit(page, None, key="Enter")
    expect(page.locator("#scene-title")).to_be_visible()
