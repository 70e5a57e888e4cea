"""The web edition's security, tried from outside as a stranger, a student or a page elsewhere would:
nothing before the code, wrong codes limited, forms only from the server's own pages with their
token, hostile text inert everywhere, no way into another student's game, headers on everything."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from web_client import CLASS_CODE, ORIGIN, TEACHER_CODE, Browser, RunningClass, running_class

import game.web as game_web
from game.classroom.report import build_report
from game.web.codes import code_matches, code_problem, make_code
from game.web.guard import CSP
from game.web.ratelimit import WrongTries, seconds_to_wait
from game.web.student_routes import STUDENT_COOKIE

WriteScenario = Callable[..., Path]
HOSTILE_NAME = "<script>alert('name')</script>\x1b[31mred\x1b[0m\u202eevil\u202c\x07"
HOSTILE_ANSWER = ("<script>alert('answer')</script><img src=x onerror=alert(1)>\x1b]0;title\x07\u202ereversed "
                  + "x" * 100_000)


def nothing_made(running: RunningClass) -> None:
    assert running.classroom.students == ()
    assert len(running.classroom.sessions) == 0
    assert running.rows("students") == 0 and running.rows("games") == 0 and running.rows("choices") == 0


async def test_a_wrong_or_missing_code_makes_no_student_row_session_or_cookie(tmp_path: Path,
                                                                           write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        stranger = running.browser()
        for code in ("WRONG-CODE", "", "TEST-CLAS", "TEST-CLASS-"):
            page = await stranger.join("Mallory", code=code)
            assert page.status == 403 and page.title == "Join the class"
            assert "That is not the class code." in page.text
        page = await stranger.post("/join", {"name": "Mallory"})  # no code and no token at all
        assert page.status == 403
        assert stranger.cookie(STUDENT_COOKIE) == ""
        for path in ("/play", "/play/new", "/play/glossary", "/play/debrief.md"):
            assert (await stranger.get(path)).title == "Join the class"
        for path in ("/play/start", "/play/choose", "/play/undo", "/play/answers"):
            page = await stranger.post(path, {"scenario": "test-story", "role": "journalist", "choice": "stay"})
            assert page.title == "Join the class"
        await running.settled()
        nothing_made(running)


async def test_the_class_code_is_any_case_and_wrong_tries_are_limited_per_address(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        guesser = running.browser()
        for number in range(5):
            assert (await guesser.join(code=f"GUESS-{number}")).status == 403
        page = await guesser.join(code=CLASS_CODE)  # right, but this address has had its five tries
        assert page.status == 429 and int(page.headers["Retry-After"]) > 0
        assert "Too many wrong codes" in page.text
        await running.settled()
        nothing_made(running)
        # Another limit for the teacher's code, counted on its own.
        page = await guesser.get("/teacher")
        page = await guesser.submit(page.form("/teacher/login"), values={"code": "nope-nope"})
        assert page.status == 403
    async with running_class(tmp_path / "other.sqlite", str(write_scenario())) as running:
        page = await running.browser().join("Ana", code=CLASS_CODE.lower())
        assert page.title == "Pick a story"


async def test_the_limit_lets_an_address_try_again_once_its_oldest_wrong_try_is_a_minute_old(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    now = [1000.0]
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        classroom = running.classroom
        tries = WrongTries(classroom.reader, classroom.writer, "join", limit=5, window=60.0, clock=lambda: now[0])
        other_door = WrongTries(classroom.reader, classroom.writer, "teacher", limit=5, window=60.0,
                                clock=lambda: now[0])
        for _ in range(5):
            assert await tries.retry_after("10.0.0.1") == 0
            await tries.wrong("10.0.0.1")
            now[0] += 1
        assert await tries.retry_after("10.0.0.1") == 55 and await tries.retry_after("10.0.0.2") == 0
        assert await other_door.retry_after("10.0.0.1") == 0
        now[0] = 1060.5
        assert await tries.retry_after("10.0.0.1") == 0


def test_the_wait_counts_from_the_try_that_keeps_the_address_at_its_limit() -> None:
    assert seconds_to_wait([], 5, 60.0, 100.0) == 0
    assert seconds_to_wait([10.0, 20.0, 30.0, 40.0], 5, 60.0, 50.0) == 0
    assert seconds_to_wait([10.0, 20.0, 30.0, 40.0, 50.0], 5, 60.0, 50.0) == 20
    assert seconds_to_wait([10.0, 20.0, 30.0, 40.0, 50.0, 55.0], 5, 60.0, 56.0) == 24  # two nodes counted at once
    assert seconds_to_wait([10.0, 20.0, 30.0, 40.0, 50.0], 5, 60.0, 70.5) == 0  # the first has left the window


def test_codes_are_long_enough_readable_and_compared_in_any_case() -> None:
    assert "at least 6" in code_problem("ABCDE")
    assert code_problem("HISTORY-9B") == "" and "letters, digits or hyphens" in code_problem("HIST ORY")
    made = make_code()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", made) and not set(made) & set("01OILSZ28B5")
    assert code_matches(" history-9b ", "HISTORY-9B") and not code_matches("HISTORY-9", "HISTORY-9B")


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1:8001"},
    {"Origin": "", "Referer": "http://evil.example/page"},
])
async def test_a_form_from_anywhere_but_the_servers_own_pages_is_refused(
        tmp_path: Path, write_scenario: WriteScenario, headers: dict[str, str]) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        student = running.browser()
        await student.join("Ana")
        await student.start("test-story", "journalist")
        form = (await student.get("/play")).form("/play/choose")
        sent = {k: v for k, v in headers.items() if v}
        evil = Browser(running.base, origin="")
        running.browsers.append(evil)
        evil.session.cookie_jar.update_cookies({STUDENT_COOKIE: student.cookie(STUDENT_COOKIE)})
        page = await evil.post("/play/choose", {**form.fields, "choice": "stay"}, headers=sent)
        assert page.status == 403 and "not sent from this server" in page.text
        page = await evil.post("/join", {"code": CLASS_CODE}, headers=sent)
        assert page.status == 403
        await running.settled()
        assert running.rows("choices") == 0 and running.rows("students") == 1
        # The same form from the server's own page (Referer alone, as some privacy tools send) is taken.
        page = await evil.post("/play/choose", {**form.fields, "choice": "stay"}, headers={"Referer": ORIGIN + "/play"})
        assert page.title == "A quiet night"


async def test_a_form_without_the_students_own_token_is_refused(tmp_path: Path,
                                                                write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        ana, bo = running.browser(), running.browser()
        await ana.join("Ana")
        await bo.join("Bo")
        await ana.start("test-story", "journalist")
        form = (await ana.get("/play")).form("/play/choose")
        bo_token = (await bo.get("/play/new")).forms[0].fields["token"]
        for token in (None, "", "0" * 64, bo_token):
            fields = {k: v for k, v in form.fields.items() if k != "token"}
            if token is not None:
                fields["token"] = token
            page = await ana.post("/play/choose", {**fields, "choice": "stay"})
            assert page.status == 403
        await running.settled()
        assert running.rows("choices") == 0


async def test_another_students_game_cannot_be_read_or_changed_by_guessing_or_replaying(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        ana, bo = running.browser(), running.browser()
        await ana.join("Ana")
        await bo.join("Bo")
        await ana.start("test-story", "journalist")
        page = await ana.choose("fly")
        ana_form = page.form("/play/choose")
        # Bo replays Ana's whole form (her token, her step) with his own cookie: refused.
        page = await bo.submit(ana_form, ana_form.button(name="choice", value="gate"))
        assert page.status == 403
        # No address names a game: Bo's pages are his own, whatever he asks for.
        page = await bo.get("/play?game=" + running.classroom.students[0].record.id)
        assert page.title == "Pick a story"
        # A guessed cookie is nobody.
        guesser = running.browser()
        guesser.session.cookie_jar.update_cookies({STUDENT_COOKIE: "A" * 43})
        assert (await guesser.get("/play")).title == "Join the class"
        await running.settled()
        assert running.rows("choices") == 1 and (await ana.get("/play")).title == "The arrival hall"


async def test_hostile_names_and_answers_are_inert_in_every_page_stream_and_report(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario())) as running:
        student = running.browser()
        await student.join(HOSTILE_NAME)
        await student.start("test-story", "journalist")
        page = await student.choose("stay")
        form = page.form("/play/answers")
        debrief = await student.submit(form, form.button(id="save-answers"), {"answer-0": HOSTILE_ANSWER})
        assert "Only the first 10,000 characters" in debrief.text
        await running.settled()

        teacher = running.browser()
        page = await teacher.get("/teacher")
        board = await teacher.submit(page.form("/teacher/login"), values={"code": TEACHER_CODE})
        report = await teacher.get("/teacher/report")
        async with teacher.session.get(running.base + "teacher/events") as response:
            line = b""
            while not line.startswith(b"data: "):
                line = await response.content.readline()
            stream = json.loads(line[len(b"data: "):])
        async with student.session.get(running.base + "play/debrief.md") as response:
            export = await response.text()
        texts = {"debrief": debrief.text, "board": board.text, "report": report.text,
                 "file report": build_report(results, "html", CLASS_CODE), "export": export,
                 "stream": json.dumps(stream, ensure_ascii=False)}
        for where, text in texts.items():
            assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text, where
            if where not in ("export", "stream"):  # data, not markup: a Markdown download; JSON drawn as text
                assert "<script>alert" not in text and "<img src=x" not in text, where
        for where in ("debrief", "board", "report", "file report"):
            assert "&lt;script&gt;alert(" in texts[where], where
        assert "[31mred" not in board.text and "redevil" in board.text  # escapes removed whole, not shown
        script = (Path(game_web.__file__).parent / "static" / "teacher.js").read_text(encoding="utf-8")
        assert "textContent" in script and not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write",
                                                         script)
        [line_of_student] = stream["students"]
        assert line_of_student["name"] == "<script>alert('name')</script>redevil"  # text, drawn with textContent
        assert len(line_of_student["answers"][0]["answer"]) == 10_000


async def test_every_response_has_the_security_headers(tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        student = running.browser()
        pages = [await student.get("/"), await student.get("/static/style.css"),
                 await student.get("/static/teacher.js"),
                 await student.get("/nowhere"), await student.get("/ws"), await student.get("/teacher"),
                 await student.post("/play/choose", {}, headers={"Origin": "http://evil.example"}),
                 await student.join(code="WRONG-CODE"), await student.join("Ana"), await student.get("/play"),
                 await student.get("/play/new", follow=False), await student.post("/play/undo", {})]
        async with student.session.request("PUT", running.base + "play", headers={"Origin": ORIGIN}) as response:
            assert response.status == 405
            pages.append(await student._page(response))
        for page in pages:
            assert page.headers["Content-Security-Policy"] == CSP, page.url
            assert page.headers["X-Content-Type-Options"] == "nosniff"
            assert page.headers["X-Frame-Options"] == "DENY"
            assert page.headers["Referrer-Policy"] == "same-origin"
        assert "<script" not in pages[0].text and " style=" not in pages[0].text  # nothing inline for the CSP to allow


async def test_no_directory_listing_and_unknown_paths_are_a_404_page(tmp_path: Path,
                                                                    write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        browser = running.browser()
        for path in ("/static/", "/static", "/static/..%2Fpyproject.toml", "/static/%2e%2e/app.py",
                     "/static/templates", "/ws", "/websocket", "/.git/config", "/teacher/../pyproject.toml"):
            page = await browser.get(path)
            assert page.status == 404, path
            assert page.title == "There is no page here", path
        upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                   "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
        async with browser.session.get(running.base + "ws", headers=upgrade) as response:
            assert response.status == 404


async def test_a_request_larger_than_the_limit_is_a_413_page(tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        student = running.browser()
        await student.join("Ana")
        form = (await student.get("/play/new")).forms[0]
        page = await student.post("/play/start", {**form.fields, "role": "journalist", "scenario": "x" * 400_000})
        assert page.status == 413 and page.title == "Too much at once"


async def test_the_teacher_pages_need_the_teacher_code_not_the_class_code(tmp_path: Path,
                                                                          write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        student = running.browser()
        await student.join("Ana")
        for path in ("/teacher/report", "/teacher/events"):
            page = await student.get(path)
            assert page.title == "Teacher's page" or page.status == 403, path
        page = await student.get("/teacher")
        page = await student.submit(page.form("/teacher/login"), values={"code": CLASS_CODE})
        assert page.status == 403 and "That is not the teacher code." in page.text
        page = await student.post("/teacher/end", {"confirm": "yes"})
        assert page.status == 403 and not running.classroom.board.ended


async def test_a_fault_in_a_page_is_a_plain_500_page_and_one_log_line(
        tmp_path: Path, write_scenario: WriteScenario, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    import game.web.student_routes as student_routes

    def broken(session: object) -> object:
        raise RuntimeError("the scene could not be drawn")

    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        student = running.browser()
        await student.join()
        await student.start("test-story", "journalist")
        monkeypatch.setattr(student_routes, "scene_view", broken)
        page = await student.get("/play")
        assert page.status == 500 and page.title == "Something went wrong" and "Traceback" not in page.text
        assert page.headers["Content-Security-Policy"] == CSP
    [record] = [r for r in caplog.records if r.name == "game.web.guard"]
    assert record.getMessage() == "GET /play failed: RuntimeError: the scene could not be drawn"
    assert record.exc_info is None
