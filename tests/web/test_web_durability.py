"""The results file is the session store: kill -9 the server, start it again on the same file, and
every student carries on from their last choice with the same cookie; continuing a finished game
records nothing; a busy file never holds a page back beyond its bound, and its write lands later."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from shared import free_port
from web_client import TEACHER_CODE, Browser, running_class, served, wait_for

from game.classroom.store import SqliteStore
from game.web.student_routes import STUDENT_COOKIE

WriteScenario = Callable[..., Path]


def dump(results: Path) -> list[tuple[object, ...]]:
    """Every row of every table, in order: to see that nothing at all was written."""
    with sqlite3.connect(results) as connection:
        rows: list[tuple[object, ...]] = []
        for table in ("students", "games", "choices", "answers", "settings"):
            rows += [(table, *row) for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        return rows


async def listening(port: int, process: subprocess.Popen[str], timeout: float = 30.0) -> None:
    """Wait until the server accepts connections (it has printed its banner by then)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            assert process.poll() is None, f"longarm serve exited: {process.communicate()[1]}"
            assert time.monotonic() < deadline, "longarm serve did not start listening"
            await asyncio.sleep(0.05)


async def test_kill_9_and_restart_every_student_carries_on_from_their_last_choice(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "class" / "results.sqlite"
    scenario = str(write_scenario())
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    students = [Browser(origin, origin) for _ in range(3)]
    try:
        with served(results, port, scenario, {}) as process:
            await listening(port, process)
            for number, student in enumerate(students):
                await student.join(f"Student {number}")
            await students[0].start("test-story", "journalist")
            page = await students[0].choose("fly")  # at the arrival hall, 1 choice
            form_before = page.form("/play/choose")  # sent only after the restart
            await students[1].start("test-story", "activist")
            await students[1].choose("stay")  # at an ending
            page = await students[1].get("/play")
            form = page.form("/play/answers")
            await students[1].submit(form, form.button(id="save-answers"), {"answer-0": "Kept through a crash."})
            # students[2] joined and has not picked a story yet.
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        assert oct(results.stat().st_mode & 0o777) == "0o600"
        before = dump(results)
        with served(results, port, scenario, {}) as process:
            await listening(port, process)
            assert (await students[0].get("/play")).title == "The arrival hall"
            page = await students[1].get("/play")
            assert page.title == "A quiet night" and ">Kept through a crash.</textarea>" in page.text
            assert (await students[2].get("/play")).title == "Pick a story"
            assert dump(results) == before  # carrying on wrote nothing
            page = await students[0].submit(form_before, form_before.button(name="choice", value="gate"))
            assert "Questions to discuss" in page.text
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=20)
            assert process.returncode == 0, err
            assert "Stopped. Every choice is in the results store." in out and err == ""
        games = {game.player: game for game in SqliteStore(results, create=False).games()}
        assert [c.choice_id for c in games["Student 0"].choices] == ["fly", "gate"] and games["Student 0"].finished
        assert [a.answer for a in games["Student 1"].answers] == ["Kept through a crash."]
        assert "Student 2" not in games and len(SqliteStore(results, create=False).students()) == 3
    finally:
        for student in students:
            await student.close()


async def test_continuing_a_finished_game_after_a_restart_records_nothing(tmp_path: Path,
                                                                          write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    scenario = str(write_scenario())
    async with running_class(results, scenario) as running:
        student = running.browser()
        await student.join("Ana")
        await student.start("test-story", "journalist")
        page = await student.choose("stay")
        form = page.form("/play/answers")
        await student.submit(form, form.button(id="save-answers"), {"answer-0": "Mine."})
        cookie = student.cookie(STUDENT_COOKIE)
    before = dump(results)
    async with running_class(results, scenario) as running:
        board = await running.classroom.refresh_board()
        assert [p.ending_title for p in board.students] == ["A quiet night"]
        again = running.browser()
        again.session.cookie_jar.update_cookies({STUDENT_COOKIE: cookie})
        for _ in range(3):
            page = await again.get("/play")
            assert page.title == "A quiet night" and ">Mine.</textarea>" in page.text
        await running.settled()
    assert dump(results) == before


async def test_a_busy_results_file_never_holds_a_page_back_and_the_write_lands_later(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario()), write_wait=0.5) as running:
        student, teacher = running.browser(), running.browser()
        await student.join("Ana")
        await student.start("test-story", "journalist")
        page = await teacher.get("/teacher")
        page = await teacher.submit(page.form("/teacher/login"), values={"code": TEACHER_CODE})
        assert "Results file: ok" in page.text
        await running.settled()
        holder = sqlite3.connect(results, isolation_level=None, timeout=0)
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            started = time.monotonic()
            page = await student.choose("fly")
            assert time.monotonic() - started < 1.5  # the 0.5 s bound, plus the page itself
            assert page.title == "The arrival hall"  # from memory
            await wait_for(lambda: running.classroom.board.health.state == "retrying")
            page = await teacher.get("/teacher")
            assert "Results file: retrying since" in page.text and "none lost" in page.text
            started = time.monotonic()
            assert (await student.get("/play")).title == "The arrival hall"
            assert time.monotonic() - started < 0.5  # a page that writes nothing does not wait at all
            with sqlite3.connect(results) as reader:
                assert reader.execute("SELECT count(*) FROM choices").fetchone() == (0,)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await wait_for(lambda: running.classroom.board.health.state == "ok")
        await running.settled()
        [game] = SqliteStore(results, create=False).games()
        assert [c.choice_id for c in game.choices] == ["fly"]
        assert "Results file: ok" in (await teacher.get("/teacher")).text


async def test_the_terminal_hears_at_once_when_the_results_file_stops_and_starts_taking_writes(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    student = Browser(origin, origin)
    lines: list[str] = []
    try:
        with served(results, port, str(write_scenario()), {}) as process:
            assert process.stderr is not None
            reader = threading.Thread(target=lambda: lines.extend(iter(process.stderr.readline, "")), daemon=True)
            reader.start()
            await listening(port, process)
            await student.join("Ana")
            await student.start("test-story", "journalist")
            holder = sqlite3.connect(results, isolation_level=None, timeout=5)
            holder.execute("BEGIN IMMEDIATE")
            try:
                await student.choose("fly")
                await wait_for(lambda: any("results store: retrying since" in line for line in lines), 10)
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            await wait_for(lambda: any("results store: ok" in line for line in lines), 10)
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)
        assert all(line.startswith("longarm serve: ") for line in lines), lines
        assert not any("Traceback" in line for line in lines)
    finally:
        await student.close()
