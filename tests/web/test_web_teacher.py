"""The teacher's live view: who joined, where each student is, endings and answers as they arrive
(as a page, and as server-sent events for its script), ending the session, and the class report."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import aiohttp
from web_client import TEACHER_CODE, Browser, Page, running_class

from game.web.guard import CSP

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

        async with teacher.session.get(running.base + "teacher/events") as stream:
            assert stream.headers["Content-Type"].startswith("text/event-stream")
            assert stream.headers["Content-Security-Policy"] == CSP
            board = await next_board(stream)
            assert [s["name"] for s in board["students"]] == ["Ana", anonymous_id]  # type: ignore[index]
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
