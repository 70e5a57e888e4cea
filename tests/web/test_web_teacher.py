"""The teacher's live view: who joined, where each student is, endings and answers as they arrive
(as a page, and as server-sent events for its script), with the knowledge check on each student's
progress with it (on SQLite and PostgreSQL), ending the session, and the class report."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from web_client import TEACHER_CODE, Browser, Page, running_class

from game.web.guard import CSP
from shared import CHECK_SCENARIO

WriteScenario = Callable[..., Path]


async def teacher_of(browser: Browser) -> Page:
    page = await browser.get("/teacher")
    assert page.title == "Teacher's page"
    return await browser.submit(page.form("/teacher/login"), values={"code": TEACHER_CODE.lower()})


async def next_board(response: aiohttp.ClientResponse) -> dict[str, object]:
    """The next board sent on the event stream."""
    event = ""
    while True:
        line = (await asyncio.wait_for(response.content.readline(), 10)).decode("utf-8")
        if line.startswith("event: "):
            event = line[len("event: "):].strip()
        elif line.startswith("data: ") and event == "board":
            board: dict[str, object] = json.loads(line[len("data: "):])
            return board


async def test_the_board_shows_who_joined_where_they_are_and_their_endings_and_answers(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        teacher, ana, anonymous = running.browser(), running.browser(), running.browser()
        page = await teacher_of(teacher)
        assert page.title == "Class TEST-CLASS" and "Nobody has joined yet." in page.text
        await ana.join("Ana")
        await anonymous.join("")
        await ana.start("test-story", "journalist")
        await ana.choose("fly")
        page = await teacher.get("/teacher")
        assert "<th scope=\"row\">Ana <span class=\"meta\">student-" in page.text and "The arrival hall" in page.text
        anonymous_id = running.classroom.students[1].record.anonymous_id
        assert anonymous_id.startswith("student-") and f"<th scope=\"row\">{anonymous_id}</th>" in page.text
        assert "picking a story" in page.text and "2 joined, 1 playing, 0 reached an ending." in page.text
        assert "Knowledge check" not in page.text and 'colspan="6"' not in page.text  # the check is off

        async with teacher.session.get(running.base + "teacher/events") as stream:
            assert stream.headers["Content-Type"].startswith("text/event-stream")
            assert stream.headers["Content-Security-Policy"] == CSP
            board = await next_board(stream)
            assert [s["name"] for s in board["students"]] == ["Ana", anonymous_id]  # type: ignore[index]
            assert "check" not in board and "check" not in board["students"][0]  # type: ignore[index, operator]
            page = await ana.choose("gate")
            form = page.form("/play/answers")
            await ana.submit(form, form.button(id="save-answers"), {"answer-0": "Because it was asked."})
            while True:  # changes come as they happen; wait for the answer to arrive
                board = await next_board(stream)
                line = board["students"][0]  # type: ignore[index]
                if line["answers"]:
                    break
            assert line["ending"] and line["tone"] in ("bitter", "mixed") and line["step"] == 2
            assert line["answers"][0]["answer"] == "Because it was asked."
            assert board["finished"] == 1 and board["health"]["state"] == "ok"  # type: ignore[index]
        page = await teacher.get("/teacher")
        assert "<dd>Because it was asked.</dd>" in page.text and 'src="/static/teacher.js"' in page.text


async def board_where(stream: aiohttp.ClientResponse, holds: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The first board on the stream for which `holds` is true (changes come as they happen)."""
    while True:
        board = await next_board(stream)
        if holds(board):
            return board


@pytest.fixture(params=["sqlite", "postgres"])
def results(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new results store of each kind (PostgreSQL's skips where it is not installed)."""
    if request.param == "sqlite":
        return str(tmp_path / "results.sqlite")
    return str(request.getfixturevalue("postgres").new_database())


async def test_with_the_check_on_the_board_shows_each_students_progress_with_it_never_their_answers(
        results: str, write_scenario: WriteScenario) -> None:
    async with running_class(results, str(write_scenario(CHECK_SCENARIO)), check=True) as running:
        assert running.classroom.settings.results == results  # a database's address stays one
        teacher, ana, bo = running.browser(), running.browser(), running.browser()
        page = await teacher_of(teacher)
        assert '<th scope="col" id="check-heading">Knowledge check</th>' in page.text
        assert 'colspan="6">Nobody has joined yet.' in page.text
        assert "Knowledge check: 0 done before play, 0 done after the debrief." in page.text
        await ana.join("Ana")
        await bo.join("Bo")
        page = await ana.start("test-story", "journalist")
        await ana.submit(page.form("/play/check"), values={"item-held-where": "1", "item-then": "0"})
        await running.settled()
        page = await teacher.get("/teacher")
        assert "<td>before: 2 of 4 answered</td>" in page.text  # the no-JS board, drawn on the server

        async with teacher.session.get(running.base + "teacher/events") as stream:
            board = await next_board(stream)
            assert board["check"] is True and board["checked_before"] == 0
            assert [s["check"] for s in board["students"]] == ["before: 2 of 4 answered", ""]
            page = await ana.get("/play")
            await ana.submit(page.form("/play/check"), values={"item-held-by": "dont-know", "item-how-long": "1"})
            board = await board_where(stream, lambda b: b["checked_before"] == 1)
            assert board["students"][0]["check"] == "before: done" and board["checked_after"] == 0

            await ana.choose("stay")  # an ending: the check after the debrief is due
            board = await board_where(stream, lambda b: b["students"][0]["ending"] != "")
            assert board["students"][0]["check"] == "before: done, after: 0 of 4 answered"
            page = await ana.get("/play/check")
            await ana.submit(page.form("/play/check"), values={"item-held-where": "0", "item-held-by": "1",
                                                               "item-how-long": "1", "item-then": "0"})
            board = await board_where(stream, lambda b: b["checked_after"] == 1)
            assert board["students"][0]["check"] == "before: done, after: done"
            assert board["check_counts"] == "Knowledge check: 1 done before play, 1 done after the debrief."
            sent = json.dumps(board)
            assert "Kuala Lumpur" not in sent and "right" not in sent.lower()  # progress only, never answers
        page = await teacher.get("/teacher")
        assert "<td>before: done, after: done</td>" in page.text
        assert "Knowledge check: 1 done before play, 1 done after the debrief." in page.text
        assert "Kuala Lumpur" not in page.text and "I don&#39;t know" not in page.text


async def test_ending_the_session_stops_joining_and_choosing_but_not_answering(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        teacher, ana, bo = running.browser(), running.browser(), running.browser()
        await ana.join("Ana")
        await ana.start("test-story", "journalist")
        finished = running.browser()
        await finished.join("Cy")
        await finished.start("test-story", "journalist")
        await finished.choose("stay")
        page = await teacher_of(teacher)
        form = page.form("/teacher/end")
        page = await teacher.submit(form)  # without ticking the box: nothing happens
        assert not running.classroom.board.ended
        page = await teacher.submit(form, values={"confirm": "yes"})
        assert running.classroom.board.ended and "The session has ended" in page.text

        page = await bo.get("/")
        assert "This class session has ended." in page.text and not page.forms
        page = await bo.post("/join", {"code": "TEST-CLASS"})
        assert page.status == 403 and bo.cookie("longarm_student") == ""
        page = await ana.get("/play")
        assert 'id="session-ended"' in page.text and 'id="choice-1" disabled' in page.text
        page = await ana.submit(page.form("/play/choose"), values={"choice": "stay"})
        assert page.status == 409 and page.title == "The session has ended"
        page = await finished.get("/play")
        form = page.form("/play/answers")
        page = await finished.submit(form, form.button(id="save-answers"), {"answer-0": "Still mine."})
        assert ">Still mine.</textarea>" in page.text
        await running.settled()
        assert running.rows("choices") == 1 and running.rows("answers") == 1


async def test_the_class_report_is_served_with_only_its_own_style_allowed(tmp_path: Path,
                                                                         write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        teacher, ana = running.browser(), running.browser()
        await ana.join("Ana")
        await ana.start("test-story", "journalist")
        await ana.choose("stay")
        await running.settled()
        await teacher_of(teacher)
        page = await teacher.get("/teacher/report")
        assert page.status == 200 and "Ana" in page.text and "A quiet night" in page.text
        policy = page.headers["Content-Security-Policy"]
        assert policy.startswith(CSP + "; style-src 'self' 'sha256-") and "script" not in policy
