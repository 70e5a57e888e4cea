"""Playing the web edition as a student does, by forms and redirects: join, pick, choose, undo,
answer, export, play again; reload and a form sent twice never repeat a choice."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import aiohttp
from web_client import CLASS_CODE, ORIGIN, running_class

from game.classroom.store import SqliteStore

WriteScenario = Callable[..., Path]


def choices_in_store(results: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(results) as connection:
        return [(int(step), str(choice)) for step, choice in
                connection.execute("SELECT step, choice_id FROM choices ORDER BY step")]


async def test_a_student_joins_plays_to_an_ending_answers_and_downloads_the_debrief(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario())) as running:
        student = running.browser()
        page = await student.join("Ana")
        assert page.history == (303,) and page.url.endswith("/play") and page.title == "Pick a story"
        page = await student.start("test-story", "journalist")
        assert page.title == "The newsroom"
        assert 'lang="en"' in page.text and "Your phone lights up. Safety is 4, footage: no." in page.text
        assert 'id="choice-1"' in page.text and "Fly to Kuala Lumpur" in page.text
        assert "Mu Sochua was held for most of a day" in page.text  # the journal
        assert "Safety" in page.text and "4 of 5" in page.text  # a stat

        page = await student.choose("fly")
        assert page.title == "The arrival hall"
        assert "You filmed the detention" in page.text  # a flag now set
        page = await student.choose("gate")  # seed-dependent outcome: refused or quiet, both endings
        assert "Questions to discuss" in page.text and 'id="answer-1"' in page.text
        ending = page.title
        await running.settled()
        assert choices_in_store(results) == [(1, "fly"), (2, "gate")]

        form = page.form("/play/answers")
        page = await student.submit(form, form.button(id="save-answers"), {"answer-0": "Because they were asked."})
        assert "Your answers are saved." in page.text
        assert ">Because they were asked.</textarea>" in page.text  # refilled
        async with student.session.get(running.base + "play/debrief.md") as response:
            markdown = await response.text()
            assert response.status == 200
            assert response.headers["Content-Disposition"].startswith('attachment; filename="longarm-test-story-')
            assert response.headers["Content-Type"].startswith("text/markdown")
        assert f"# Test story: {ending}" in markdown
        assert "## Your answers" in markdown and "> Because they were asked." in markdown

        form = (await student.get("/play")).form("/play/answers")
        async with student.session.post(running.base + "play/answers", data={**form.fields, "then": "export",
                                        "answer-0": "Changed my mind."}, headers={"Origin": ORIGIN},
                                        allow_redirects=False) as response:
            assert response.status == 303 and response.headers["Location"] == "/play/debrief.md"
        await running.settled()
        [game] = SqliteStore(results, create=False).games()
        assert game.player == "Ana" and game.finished and game.class_code == CLASS_CODE
        assert [a.answer for a in game.answers] == ["Changed my mind."]
        assert game.student_id == running.classroom.students[0].record.id


async def test_reload_and_back_never_repeat_a_choice_and_a_form_sent_twice_is_taken_once(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario())) as running:
        student = running.browser()
        await student.join()
        await student.start("test-story", "journalist")
        newsroom = await student.get("/play")
        form = newsroom.form("/play/choose")
        page = await student.submit(form, form.button(name="choice", value="fly"), follow=False)
        assert page.status == 303 and page.headers["Location"] == "/play"
        for _ in range(3):  # reload, and back (every page is no-store: the browser asks again)
            page = await student.get("/play")
            assert page.title == "The arrival hall"
            assert page.headers["Cache-Control"] == "no-store"
        again = await student.submit(form, form.button(name="choice", value="fly"))  # the old form, again
        assert again.title == "The arrival hall"
        assert "That choice was already made" in again.text
        await running.settled()
        assert choices_in_store(results) == [(1, "fly")]


async def test_a_stale_step_is_ignored_even_for_a_choice_open_now(tmp_path: Path,
                                                                   write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario())) as running:
        student = running.browser()
        await student.join()
        await student.start("test-story", "journalist")
        form = (await student.get("/play")).form("/play/choose")
        assert form.fields["step"] == "0"
        await student.choose("fly")
        page = await student.submit(form, values={"choice": "gate", "step": "0"})  # a form of step 0, sent at step 1
        assert page.title == "The arrival hall"
        await running.settled()
        assert choices_in_store(results) == [(1, "fly")]


async def test_undo_takes_back_the_last_choice_once(tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario())) as running:
        student = running.browser()
        await student.join()
        await student.start("test-story", "journalist")
        await student.choose("fly")
        page = await student.get("/play")
        undo = page.form("/play/undo")
        page = await student.submit(undo)
        assert page.title == "The newsroom"
        page = await student.submit(undo)  # sent twice: the step has moved, nothing more is undone
        assert page.title == "The newsroom"
        await running.settled()
        assert choices_in_store(results) == []
        page = await student.choose("stay")
        assert page.title == "A quiet night"
        page = await student.submit(page.form("/play/undo"))
        assert page.title == "The newsroom"
        await running.settled()
        [game] = SqliteStore(results, create=False).games()
        assert not game.finished and game.choices == ()


async def test_a_locked_choice_is_shown_disabled_with_its_reason_and_cannot_be_forced(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario())) as running:
        student = running.browser()
        await student.join()
        await student.start("test-story", "journalist")
        await student.choose("fly")
        page = await student.choose("back")  # open: the airport revealed the arrests fact
        assert page.title == "The newsroom"
        assert "Locked: Your editor will not pay" in page.text
        assert 'disabled id="locked-1"' in page.text
        form = page.form("/play/choose")
        page = await student.submit(form, values={"choice": "fly"})  # forced past the disabled button
        assert page.title == "The newsroom" and "That choice is not open here." in page.text


async def test_play_again_same_or_other_role_starts_a_new_game_and_keeps_the_finished_one(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario())) as running:
        student = running.browser()
        await student.join("Bo")
        await student.start("test-story", "journalist")
        page = await student.choose("stay")
        again = page.form("/play/start")
        assert again.button(id="again-activist")["value"] == "activist"
        page = await student.submit(again, again.button(id="again-activist"))
        assert page.title == "The newsroom" and "Activist" in page.text
        await running.settled()
        games = SqliteStore(results, create=False).games()
        assert [(g.role, g.finished) for g in games] == [("journalist", True), ("activist", False)]


async def test_the_glossary_is_searchable_without_javascript(tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        student = running.browser()
        await student.join()
        await student.start("test-story", "journalist")
        page = await student.get("/play/glossary")
        assert "<dt>CNRP</dt>" in page.text and "Cambodia National Rescue Party." in page.text
        page = await student.get("/play/glossary?q=rescue")
        assert "<dt>CNRP</dt>" in page.text
        page = await student.get("/play/glossary?q=nothing-like-this")
        assert "No term matches." in page.text


async def test_two_students_with_the_same_name_in_any_case_are_two_students(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario())) as running:
        first, second = running.browser(), running.browser()
        await first.join("Dara")
        await second.join("dara")
        await first.start("test-story", "journalist")
        await second.start("test-story", "activist")
        await first.choose("stay")
        assert (await second.get("/play")).title == "The newsroom"  # the other Dara's game is not touched
        await running.settled()
        store = SqliteStore(results, create=False)
        assert [s.name for s in store.students()] == ["Dara", "dara"]
        games = store.games()
        assert len({g.student_id for g in games}) == 2 and len({g.student_key for g in games}) == 2


async def test_leave_forgets_the_browser_but_keeps_the_game(tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario())) as running:
        student = running.browser()
        await student.join("Shared Chromebook")
        await student.start("test-story", "journalist")
        page = await student.get("/play")
        page = await student.submit(page.form("/leave"))
        assert page.title == "Join the class"
        assert (await student.get("/play")).title == "Join the class"
        await running.settled()
        assert running.rows("games") == 1 and running.rows("students") == 1


async def test_a_shipped_story_played_to_an_ending_shows_the_whole_debrief(tmp_path: Path) -> None:
    async with running_class(tmp_path / "results.sqlite") as running:
        student = running.browser()
        await student.join()
        page = await student.start("arrival-hall", "activist")
        while "/play/answers" not in page.text:
            form = page.form("/play/choose")
            page = await student.submit(form, next(b for b in form.buttons if b.get("name") == "choice"))
            assert page.status == 200
        for heading in ("What really happened", "The facts", "What the governments said", "Your path",
                        "Questions to discuss", "Real or invented", "Play again"):
            assert f">{heading}</h2>" in page.text, heading
        assert "<details>" in page.text and "<blockquote><p>\u201c" in page.text
        assert 'rel="noreferrer noopener"' in page.text and '<html lang="en">' in page.text
        questions = page.form("/play/answers").textareas
        assert questions and all(f'<label for="answer-{n}">' in page.text for n in range(1, len(questions) + 1))


async def test_a_link_from_another_site_leads_a_joined_student_back_to_their_game(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario())) as running:
        student = running.browser()
        await student.join("Ana")
        await student.start("test-story", "journalist")
        cookies = student.session.cookie_jar
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as from_elsewhere:
            # SameSite=Strict: a link followed from another site arrives without the cookie.
            async with from_elsewhere.get(running.base, headers={"Sec-Fetch-Site": "cross-site"}) as response:
                text = await response.text()
            assert '<meta http-equiv="refresh" content="0; url=/">' in text and 'id="join"' not in text
        async with student.session.get(running.base, headers={"Sec-Fetch-Site": "same-origin"}) as response:
            assert str(response.url).endswith("/play") and "The newsroom" in await response.text()
        assert len(cookies) == 1
