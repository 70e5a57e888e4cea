"""Past one laptop: a real PostgreSQL and a real nginx (Debian's packages), two `longarm serve` nodes
under /longarm behind the proxy, and a class played through it: joining, choices, answers, the
teacher's live view of every node's students; kill -9 of one node mid-class, and its students
carry on through the other with nothing lost; the limit on wrong codes across both nodes, by the
client's own address; the health check as the store fails and comes back.

Skips, with the reason, only where PostgreSQL, nginx or psycopg is not installed.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from services import Cluster, free_port, missing_services, nginx_proxy, serve_nodes
from web_client import CLASS_CODE, TEACHER_CODE, Browser

from game.classroom.stores import open_store

pytestmark = pytest.mark.skipif(bool(missing_services()), reason=missing_services() or "installed")

WriteScenario = Callable[..., Path]
PREFIX = "/longarm"
STUDENTS = 6


async def next_board(stream: aiohttp.ClientResponse, timeout: float = 15.0) -> dict[str, object]:
    """The next board the teacher's live stream sends."""
    event = ""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        assert left > 0, "no board on the live stream in time"
        line = (await asyncio.wait_for(stream.content.readline(), left)).decode("utf-8")
        if line.startswith("event: "):
            event = line[len("event: "):].strip()
        elif line.startswith("data: ") and event == "board":
            board: dict[str, object] = json.loads(line[len("data: "):])
            return board


async def healthz(port: int) -> int:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
        return response.status


async def poll_until(check: Callable[[], object], timeout: float, what: str) -> None:
    """Await `check()` (a coroutine function returning truth) until it holds, with a deadline."""
    deadline = time.monotonic() + timeout
    while not await check():  # type: ignore[misc]
        assert time.monotonic() < deadline, f"{what}: not within {timeout:g} s"
        await asyncio.sleep(0.1)


async def test_a_class_through_nginx_on_two_nodes_carries_on_when_one_is_killed(
        postgres: Cluster, tmp_path: Path, write_scenario: WriteScenario) -> None:
    address = postgres.new_database()
    scenario = str(write_scenario())
    proxy_port, ports = free_port(), [free_port(), free_port()]
    public = f"http://127.0.0.1:{proxy_port}"
    arguments = [scenario, "--class", CLASS_CODE, "--teacher-code", TEACHER_CODE, "--public-url", public + PREFIX,
                 "--base-path", PREFIX, "--trust-proxy", "127.0.0.1"]
    browsers: list[Browser] = []

    def browser(local_address: str | None = None) -> Browser:
        made = Browser(public, public, PREFIX, local_address)
        browsers.append(made)
        return made

    try:
        with serve_nodes(ports, address, arguments, tmp_path) as nodes, nginx_proxy(ports, PREFIX, port=proxy_port):
            assert [await healthz(port) for port in ports] == [200, 200]
            teacher = browser()
            page = await teacher.get("/teacher")
            page = await teacher.submit(page.form("/teacher/login"), values={"code": TEACHER_CODE})
            assert page.title == f"Class {CLASS_CODE}"
            assert not re.search(r'(href|action|src)="/(?!longarm/)', page.text), "a path outside the prefix"

            # Every page under the prefix; the cookie too; joining and a first choice, through both nodes.
            students = [browser() for _ in range(STUDENTS)]
            for number, student in enumerate(students):
                page = await student.join(f"Student {number}")
                assert page.title == "Pick a story" and page.url == f"{public}{PREFIX}/play"
                await student.start("test-story", "journalist")
                page = await student.choose("fly")
                assert page.title == "The arrival hall"
            assert all(cookie["path"] == PREFIX + "/" for cookie in students[0].session.cookie_jar)

            # The live view, through the proxy, sees students whichever node they used.
            async with teacher.session.get(teacher.url("/teacher/events")) as stream:
                board = await next_board(stream)
                assert board["joined"] == STUDENTS and board["playing"] == STUDENTS
                assert {line["step"] for line in board["students"]} == {1}  # type: ignore[index, union-attr]

                # The wrong-code limit holds across both nodes, by the client's own address.
                guesser, neighbour = browser("127.0.0.2"), browser("127.0.0.3")
                for number in range(5):
                    assert (await guesser.join(code=f"GUESS-{number}")).status == 403
                page = await guesser.join(code=CLASS_CODE)
                assert page.status == 429 and "Too many wrong codes" in page.text
                assert (await neighbour.join("Neighbour")).title == "Pick a story"

                # kill -9 one node mid-class: its students carry on through the other.
                nodes[0].kill()
                for student in students:
                    page = await student.choose("gate")
                    assert "Questions to discuss" in page.text, page.text[:300]
                    form = page.form("/play/answers")
                    page = await student.submit(form, form.button(id="save-answers"),
                                                {"answer-0": f"Answer of {student.cookie('longarm_student')[:6]}"})
                    assert "Your answers are saved." in page.text  # the notice came back, whichever node drew it
                while True:
                    board = await next_board(stream)
                    if board["finished"] == STUDENTS:
                        break
                answered = [line for line in board["students"] if line["answers"]]  # type: ignore[union-attr]
                assert len(answered) == STUDENTS and board["joined"] == STUDENTS + 1

            page = await teacher.get("/teacher")
            assert f"{STUDENTS + 1} joined, {STUDENTS} playing, {STUDENTS} reached an ending." in page.text

            # The health check follows the store: failing, then back.
            database = address.rsplit("/", 1)[1]
            postgres.sql(postgres.address("postgres"), f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
            postgres.sql(postgres.address("postgres"),
                         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,))
            await poll_until(lambda: _status_is(ports[1], 503), 20, "healthz to say 503")
            postgres.sql(postgres.address("postgres"), f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
            await poll_until(lambda: _status_is(ports[1], 200), 20, "healthz to say 200 again")
    finally:
        for made in browsers:
            await made.close()

    store = open_store(address, create=False)
    games = store.games(class_code=CLASS_CODE)
    store.close()
    assert len(games) == STUDENTS and all(game.finished for game in games)
    assert all([c.choice_id for c in game.choices] == ["fly", "gate"] for game in games)
    assert all(len(game.answers) == 1 for game in games)
    assert len({game.student_id for game in games}) == STUDENTS


async def _status_is(port: int, status: int) -> bool:
    try:
        return await healthz(port) == status
    except aiohttp.ClientError:
        return False

