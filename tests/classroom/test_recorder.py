"""The recorder: real games through the engine land in the store, and a failing store never stops play."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from recorded import UNDO, Clock, play, seed_for

from game.classroom.recorder import GameRecorder
from game.classroom.store import SqliteStore
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.engine.runtime.saves import SaveData
from game.session.cleaning import MAX_ANSWER_CHARS, clean_name
from game.session.events import Notice
from game.session.play import PlaySession


@pytest.fixture
def scenario(write_scenario: Callable[..., Path]) -> Scenario:
    loaded = load_scenario(write_scenario()).scenario
    assert loaded is not None
    return loaded


def test_a_played_game_is_stored_as_the_engine_played_it(tmp_path: Path, scenario: Scenario) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    clock = Clock()
    recorder = GameRecorder(store, "  Ana   Lopez ", " 7B ", clock=clock)
    refused = seed_for(0, [3, 1], step=1)
    played = play(recorder, clock, scenario, "journalist", ["fly", "gate"], seed=refused, minutes=12,
                  answers={0: "Trade, perhaps."})
    assert played.warnings == [] and played.session.ending is not None and played.session.ending.id == "refused"
    [game] = store.games()
    state = played.session.state
    assert game.id == played.session.game_id
    assert (game.scenario_id, game.scenario_title, game.role, game.seed) == ("test-story", "Test story", "journalist",
                                                                             refused)
    assert (game.player, game.class_code) == ("Ana Lopez", "7B")
    assert [(c.step, c.scene_id, c.choice_id) for c in game.choices] == [(1, "newsroom", "fly"), (2, "airport", "gate")]
    assert (game.ending_id, game.ending_tone, game.facts_found) == ("refused", "bitter", state.known)
    assert game.seconds == 12 * 60 and game.started_at == "2019-11-08T09:00:00.000+00:00"
    assert [(a.question_index, a.question, a.answer) for a in game.answers] == [
        (0, "Why would a neighbour agree?", "Trade, perhaps.")]


def test_check_answers_are_stored_with_whether_they_were_right(tmp_path: Path,
                                                               write_scenario: Callable[..., Path]) -> None:
    from shared import CHECK_SCENARIO

    checked = load_scenario(write_scenario(CHECK_SCENARIO, name="checked")).scenario
    assert checked is not None
    store = SqliteStore(tmp_path / "results.sqlite")
    clock = Clock()
    session = PlaySession.new(checked, "journalist", 1, observers=[GameRecorder(store, "Ana", "7B", clock=clock)],
                              check=True)
    assert session.begin() == ()
    for item, option in (("held-where", 1), ("held-by", 1), ("how-long", None), ("then", 0)):
        assert session.answer_check("before", item, option) == ()
    session.choose("stay")
    assert session.answer_check("after", "how-long", 1) == ()
    [game] = store.games()
    assert [(c.phase, c.item_id, c.item_index, c.option, c.answer, c.right) for c in game.checks] == [
        ("before", "held-where", 0, 1, "At the Thai border", False), ("before", "held-by", 1, 1, "Malaysia's authorities", True),
        ("before", "how-long", 2, None, "I don't know", False), ("before", "then", 3, 0, "She was released", True),
        ("after", "how-long", 2, 1, "Most of a day", True)]
    assert game.checks[0].question == "Where was Mu Sochua held?"


def test_check_answers_that_could_not_be_written_catch_up(tmp_path: Path, write_scenario: Callable[..., Path]) -> None:
    from shared import CHECK_SCENARIO

    checked = load_scenario(write_scenario(CHECK_SCENARIO, name="checked")).scenario
    assert checked is not None
    path = tmp_path / "results.sqlite"
    path.write_text("this is not a database", encoding="utf-8")
    store = SqliteStore(path)
    session = PlaySession.new(checked, "journalist", 1, observers=[GameRecorder(store, None, None)], check=True)
    session.begin()
    [warning] = session.answer_check("before", "held-where", 0)
    assert warning.message.startswith("Your check answer was not saved for your teacher's report")
    path.unlink()
    assert session.answer_check("before", "held-by", 0) == ()
    [game] = store.games()
    assert [(c.item_id, c.option, c.right) for c in game.checks] == [("held-where", 0, True), ("held-by", 0, False)]


def test_a_student_without_a_name_gets_an_anonymous_id(tmp_path: Path) -> None:
    recorder = GameRecorder(SqliteStore(tmp_path / "r.sqlite"), "   ", None)
    assert recorder.player is None and recorder.class_code is None
    assert re.fullmatch(r"student-[0-9a-f]{6}", recorder.anonymous_id)
    assert GameRecorder(SqliteStore(tmp_path / "r.sqlite"), None, "").anonymous_id != recorder.anonymous_id
    assert clean_name("x" * 500) == "x" * 80


def test_undo_and_a_new_choice_replace_the_old_path(tmp_path: Path, scenario: Scenario) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    clock = Clock()
    recorder = GameRecorder(store, None, "7B", clock=clock)
    played = play(recorder, clock, scenario, "journalist", ["fly", UNDO, "stay"])
    assert played.warnings == []
    [game] = store.games()
    assert [c.choice_id for c in game.choices] == ["stay"]
    assert game.ending_id == "quiet" and game.facts_found == ("klia-detention",)


def test_undo_from_an_ending_takes_the_ending_back(tmp_path: Path, scenario: Scenario) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    session = PlaySession.new(scenario, "journalist", 1, observers=[GameRecorder(store, None, None)])
    session.begin()
    assert session.choose("stay").notices == () and store.games()[0].finished
    assert session.undo() == (True, ())
    [stored] = store.games()
    assert not stored.finished and stored.choices == ()


def test_answers_are_cleaned_and_capped_before_they_are_stored(tmp_path: Path, scenario: Scenario) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    session = PlaySession.new(scenario, "journalist", 1, observers=[GameRecorder(store, "Ana", None)])
    session.begin()
    with pytest.raises(ValueError):
        session.answer(0, "too soon")  # not at an ending
    session.choose("stay")
    with pytest.raises(ValueError, match="no question 6"):
        session.answer(5, "no such question")
    [long] = session.answer(0, "y" * (MAX_ANSWER_CHARS + 10))
    assert "10,000" in str(long)
    assert store.games()[0].answers[0].answer == "y" * MAX_ANSWER_CHARS
    session.answer(0, "\x1b[31mred\x07 \u202eevil\x00")
    assert store.games()[0].answers[0].answer == "red evil"


def test_a_later_answer_replaces_the_earlier(tmp_path: Path, scenario: Scenario) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    clock = Clock()
    recorder = GameRecorder(store, "Ana", None, clock=clock)
    played = play(recorder, clock, scenario, "journalist", ["stay"], answers={0: "first"})
    played.session.answer(0, "  second  ")
    assert [(a.question_index, a.answer) for a in store.games()[0].answers] == [(0, "second")]


def test_an_unusable_store_never_stops_play_and_the_game_catches_up_later(tmp_path: Path, scenario: Scenario) -> None:
    path = tmp_path / "results.sqlite"
    path.write_text("this is not a database", encoding="utf-8")
    store = SqliteStore(path)
    clock = Clock()
    session = PlaySession.new(scenario, "journalist", 1, observers=[GameRecorder(store, "Ana", "7B", clock=clock)])
    [warning] = session.begin()
    assert isinstance(warning, Notice) and "not a Long Arm results file" in warning.message
    [warning] = session.choose("fly").notices
    assert "was not saved for your teacher's report" in str(warning)
    path.unlink()  # the teacher fixes the file; the next write brings the game up to date
    assert session.choose("back").notices == ()
    [stored] = store.games()
    assert [(c.step, c.scene_id, c.choice_id) for c in stored.choices] == [(1, "newsroom", "fly"),
                                                                           (2, "airport", "back")]
    assert stored.started_at == "2019-11-08T09:00:00.000+00:00" and stored.player == "Ana"


def test_a_store_busy_past_its_timeout_gives_a_warning_then_catches_up(tmp_path: Path, scenario: Scenario) -> None:
    path = tmp_path / "results.sqlite"
    store = SqliteStore(path, busy_timeout=0.05)
    session = PlaySession.new(scenario, "journalist", 1, observers=[GameRecorder(store, None, None)])
    assert session.begin() == ()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    [warning] = session.choose("fly").notices
    assert "stayed busy" in warning.message
    blocker.execute("ROLLBACK")
    blocker.close()
    assert session.choose("gate").notices == ()
    assert [c.choice_id for c in store.games()[0].choices] == ["fly", "gate"]


def test_a_game_continued_from_a_save_stays_one_game(tmp_path: Path, scenario: Scenario) -> None:
    """Continue, even of a finished game, and even many times, records nothing new."""
    store = SqliteStore(tmp_path / "results.sqlite")
    recorder = GameRecorder(store, "Ana", None)
    first = PlaySession.new(scenario, "journalist", 1, observers=[recorder])
    first.begin()
    first.choose("fly")
    first.choose("back")
    save = first.save_data()
    for _ in range(3):
        again, message = PlaySession.from_save(scenario, SaveData.from_json(save.to_json()), observers=[recorder])
        assert message == "" and again.game_id == first.game_id
        assert again.begin(resumed=True) == ()
    [stored] = store.games()
    assert [(c.scene_id, c.choice_id) for c in stored.choices] == [("newsroom", "fly"), ("airport", "back")]
    assert again.choose("stay").notices == ()
    assert [c.step for c in store.games()[0].choices] == [1, 2, 3]
    done, _ = PlaySession.from_save(scenario, again.save_data(), observers=[GameRecorder(store, "Ana", None)])
    done.begin(resumed=True)
    assert len(store.games()) == 1 and store.games()[0].finished


def test_a_game_recorded_by_a_new_recorder_is_written_whole(tmp_path: Path, scenario: Scenario) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    session = PlaySession.new(scenario, "journalist", 1)
    session.choose("fly")
    resumed, _ = PlaySession.from_save(scenario, session.save_data(), observers=[GameRecorder(store, "Ana", None)])
    assert resumed.begin() == ()
    [stored] = store.games()
    assert [(c.scene_id, c.choice_id) for c in stored.choices] == [("newsroom", "fly")]
