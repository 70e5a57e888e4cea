"""The knowledge check in the web edition (`longarm serve --check on`), by forms as a student sends
them: the check before the first scene, again after the debrief, then what changed; every answer in
the results store; a game replayed from the store keeps its check; off by default."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from web_client import Browser, Page, running_class

from game.classroom.store import SqliteStore
from game.web.banner import banner
from game.web.writer import StoreHealth
from shared import CHECK_SCENARIO

WriteScenario = Callable[..., Path]
#: The first check: wrong, "I don't know", right, right. The second: all right.
BEFORE = {"item-held-where": "1", "item-held-by": "dont-know", "item-how-long": "1", "item-then": "0"}
AFTER = {"item-held-where": "0", "item-held-by": "1", "item-how-long": "1", "item-then": "0"}


def text_of(page: Page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text)).replace("&#39;", "'")


async def send_check(student: Browser, path: str, answers: dict[str, str]) -> Page:
    page = await student.get(path)
    return await student.submit(page.form("/play/check"), values=answers)


@pytest.mark.parametrize("cache_size", [400, 0], ids=["kept in memory", "replayed from the store"])
async def test_the_check_before_play_after_the_debrief_and_what_changed(
        tmp_path: Path, write_scenario: WriteScenario, cache_size: int) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario(CHECK_SCENARIO)), check=True, cache_size=cache_size) as running:
        student = running.browser()
        await student.join("Ana")
        page = await student.start("test-story", "journalist")
        assert page.title == "Before you play: a short check"
        assert page.text.count('type="radio"') == 3 + 2 + 4 + 2 + 4  # each item's options and "I don't know"
        assert 'name="item-held-where" value="dont-know" required> I don' in page.text
        assert "nobody sees a score, you included, until the end" in text_of(page)
        scene = await student.post("/play/choose", {**page.form("/play/check").fields, "choice": "stay", "step": "0"})
        assert scene.title == "Before you play: a short check"  # no choice before the check

        page = await student.submit(page.form("/play/check"), values={"item-held-where": "1", "item-then": "0"})
        assert page.title == "Before you play: a short check"
        assert "Please answer every question" in text_of(page)
        assert 'name="item-held-where" value="1" required checked>' in page.text  # kept, ticked
        page = await student.submit(page.form("/play/check"), values=BEFORE)
        assert page.title == "The newsroom"
        assert "right" not in text_of(page).lower().replace("copyright", "")  # no score before the end

        page = await student.choose("stay")
        assert page.title == "A quiet night" and 'id="check-again"' in page.text and 'id="check-again-end"' in page.text
        assert (await student.get("/play/change")).title == "A quiet night"  # not before the second check
        page = await student.get("/play/check")
        assert page.title == "After the debrief: the same check again"
        assert 'value="1" required checked>' not in page.text  # the first check's answers are not shown again
        page = await student.submit(page.form("/play/check"), values=AFTER)
        assert page.url.endswith("/play/change") and page.title == "What changed for you"
        shown = text_of(page)
        assert "Before you played: 2 of 4 right. Now: 4 of 4 right." in shown
        assert ("Where was Mu Sochua held? New: right now, not before. Before: At the Thai border. "
                "Now: At Kuala Lumpur's airport. The answer: At Kuala Lumpur's airport") in shown
        assert "Who held her? New: right now, not before. Before: I don't know. Now: Malaysia's authorities." in shown
        assert "\u201cdetained for most of the day by the Malaysian authorities" in shown
        assert "Source: \u201cCambodia: Stop pressuring regional neighbours" in shown
        page = await student.get("/play")
        assert 'id="see-change"' in page.text and 'id="check-again"' not in page.text
        stale = await student.post("/play/check", {**page.form("/play/answers").fields, "phase": "after",
                                                   **{key: "2" for key in AFTER}})
        assert stale.title == "A quiet night"  # the check is closed: an old form changes nothing
        await running.settled()
    [game] = SqliteStore(results, create=False).games()
    assert [(c.phase, c.item_id, c.option, c.right) for c in game.checks] == [
        ("before", "held-where", 1, False), ("before", "held-by", None, False), ("before", "how-long", 1, True),
        ("before", "then", 0, True), ("after", "held-where", 0, True), ("after", "held-by", 1, True),
        ("after", "how-long", 1, True), ("after", "then", 0, True)]
    assert game.student_id is not None and game.ending_id == "quiet"


async def test_without_check_on_no_question_is_asked(tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario(CHECK_SCENARIO))) as running:
        student = running.browser()
        await student.join("Ben")
        page = await student.start("test-story", "journalist")
        assert page.title == "The newsroom"
        page = await student.choose("stay")
        assert "check-again" not in page.text and "see-change" not in page.text
        assert (await student.get("/play/check")).title == "A quiet night"


async def test_a_check_form_must_carry_the_students_token_and_names_only_real_options(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario(CHECK_SCENARIO)), check=True) as running:
        student = running.browser()
        await student.join("Cleo")
        page = await student.start("test-story", "journalist")
        refused = await student.post("/play/check", {**BEFORE, "phase": "before", "token": "forged"})
        assert refused.status == 403
        page = await student.submit(page.form("/play/check"),
                                    values={**BEFORE, "item-held-by": "7", "item-how-long": "<script>"})
        assert page.title == "Before you play: a short check" and "Please answer every question" in text_of(page)
        assert "<script>" not in page.text


def test_the_banner_says_whether_the_check_is_on(tmp_path: Path) -> None:
    from web_client import class_settings

    health = StoreHealth("ok", "", "")
    on = banner(class_settings(tmp_path / "r.sqlite", None, check=True), ["Story"], health, "ascii")
    off = banner(class_settings(tmp_path / "r.sqlite", None), ["Story"], health, "ascii")
    assert "Knowledge check:  on: asked before the first scene and after the debrief" in on
    assert "Knowledge check:  off (--check on asks it before and after play)" in off
