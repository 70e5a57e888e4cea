"""The recorder: real games through the engine land in the store, and a failing store never stops play."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from recorded import UNDO, Clock, play, seed_for

from game.classroom.recorder import (
    MAX_ANSWER_CHARS,
    GameRecorder,
    RecordWarning,
    clean_name,
)
from game.classroom.store import ResultsStore
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.engine.runtime.state import Game


@pytest.fixture
def scenario(write_scenario: Callable[..., Path]) -> Scenario:
    loaded = load_scenario(write_scenario()).scenario
    assert loaded is not None
    return loaded


def test_a_played_game_is_stored_as_the_engine_played_it(tmp_path: Path, scenario: Scenario) -> None:
    store = ResultsStore(tmp_path / "results.sqlite")
    clock = Clock()
    recorder = GameRecorder(store, "  Ana   Lopez ", " 7B ", clock=clock)
    refused = seed_for(0, [3, 1], step=1)
    played = play(recorder, clock, scenario, "journalist", ["fly", "gate"], seed=refused, minutes=12,
                  answers={0: "Trade, perhaps."})
    assert played.warnings == [] and played.game.ending is not None and played.game.ending.id == "refused"
    [game] = store.games()
    state = played.game.state
    assert game.id == recorder.game_id(played.game)
    assert (game.scenario_id, game.scenario_title, game.role, game.seed) == ("test-story", "Test story", "journalist",
                                                                             refused)
    assert (game.player, game.class_code) == ("Ana Lopez", "7B")
    assert [(c.step, c.scene_id, c.choice_id) for c in game.choices] == [(1, "newsroom", "fly"), (2, "airport", "gate")]
    assert (game.ending_id, game.ending_tone, game.facts_found) == ("refused", "bitter", state.known)
    assert game.seconds == 12 * 60 and game.started_at == "2019-11-08T09:00:00.000+00:00"
    assert [(a.question_index, a.question, a.answer) for a in game.answers] == [
        (0, "Why would a neighbour agree?", "Trade, perhaps.")]


def test_a_student_without_a_name_gets_an_anonymous_id(tmp_path: Path) -> None:
    recorder = GameRecorder(ResultsStore(tmp_path / "r.sqlite"), "   ", None)
    assert recorder.player is None and recorder.class_code is None
    assert re.fullmatch(r"student-[0-9a-f]{6}", recorder.anonymous_id)
    assert GameRecorder(ResultsStore(tmp_path / "r.sqlite"), None, "").anonymous_id != recorder.anonymous_id
    assert clean_name("x" * 500) == "x" * 80


def test_undo_and_a_new_choice_replace_the_old_path(tmp_path: Path, scenario: Scenario) -> None:
    store = ResultsStore(tmp_path / "results.sqlite")
    clock = Clock()
    recorder = GameRecorder(store, None, "7B", clock=clock)
    played = play(recorder, clock, scenario, "journalist", ["fly", UNDO, "stay"])
    assert played.warnings == []
    [game] = store.games()
    assert [c.choice_id for c in game.choices] == ["stay"]
    assert game.ending_id == "quiet" and game.facts_found == ("klia-detention",)


def test_undo_from_an_ending_takes_the_ending_back(tmp_path: Path, scenario: Scenario) -> None:
    store = ResultsStore(tmp_path / "results.sqlite")
    recorder = GameRecorder(store, None, None)
    game = Game(scenario, "journalist", 1)
    recorder.start(game)
    game.choose("stay")
    recorder.choice(game, "newsroom", "stay")
    assert recorder.end(game) is None and store.games()[0].finished
    game.undo()
    assert recorder.undo(game) is None
    [stored] = store.games()
    assert not stored.finished and stored.choices == ()


def test_misuse_is_a_warning_not_an_exception(tmp_path: Path, scenario: Scenario) -> None:
    store = ResultsStore(tmp_path / "results.sqlite")
    recorder = GameRecorder(store, "Ana", None)
    game = Game(scenario, "journalist", 1)
    recorder.start(game)
    assert isinstance(recorder.end(game), RecordWarning)  # not at an ending
    assert isinstance(recorder.answer(game, 0, "too soon"), RecordWarning)
    game.choose("stay")
    recorder.choice(game, "newsroom", "stay")
    recorder.end(game)
    warning = recorder.answer(game, 5, "no such question")
    assert isinstance(warning, RecordWarning) and "no question 6" in warning.message
    long = recorder.answer(game, 0, "y" * (MAX_ANSWER_CHARS + 10))
    assert isinstance(long, RecordWarning) and "10,000" in str(long)
    assert store.games()[0].answers[0].answer == "y" * MAX_ANSWER_CHARS


def test_a_later_answer_replaces_the_earlier(tmp_path: Path, scenario: Scenario) -> None:
    store = ResultsStore(tmp_path / "results.sqlite")
    clock = Clock()
    recorder = GameRecorder(store, "Ana", None, clock=clock)
    played = play(recorder, clock, scenario, "journalist", ["stay"], answers={0: "first"})
    recorder.answer(played.game, 0, "  second  ")
    assert [(a.question_index, a.answer) for a in store.games()[0].answers] == [(0, "second")]


def test_a_game_never_started_is_recorded_whole_at_its_first_write(tmp_path: Path, scenario: Scenario) -> None:
    store = ResultsStore(tmp_path / "results.sqlite")
    recorder = GameRecorder(store, "Ana", None)
    game = Game(scenario, "journalist", 1)
    game.choose("fly")
    assert recorder.choice(game, "newsroom", "fly") is None
    [stored] = store.games()
    assert [(c.scene_id, c.choice_id) for c in stored.choices] == [("newsroom", "fly")]


def test_an_unusable_store_never_stops_play_and_the_game_catches_up_later(tmp_path: Path, scenario: Scenario) -> None:
    path = tmp_path / "results.sqlite"
    path.write_text("this is not a database", encoding="utf-8")
    store = ResultsStore(path)
    clock = Clock()
    recorder = GameRecorder(store, "Ana", "7B", clock=clock)
    game = Game(scenario, "journalist", 1)
    warning = recorder.start(game)
    assert isinstance(warning, RecordWarning) and "not a Long Arm results file" in warning.message
    game.choose("fly")
    assert isinstance(recorder.choice(game, "newsroom", "fly"), RecordWarning)
    path.unlink()  # the teacher fixes the file; the next write brings the game up to date
    game.choose("back")
    assert recorder.choice(game, "airport", "back") is None
    [stored] = store.games()
    assert [(c.step, c.scene_id, c.choice_id) for c in stored.choices] == [(1, "newsroom", "fly"),
                                                                           (2, "airport", "back")]
    assert stored.started_at == "2019-11-08T09:00:00.000+00:00" and stored.player == "Ana"


def test_a_store_busy_past_its_timeout_gives_a_warning_then_catches_up(tmp_path: Path, scenario: Scenario) -> None:
    path = tmp_path / "results.sqlite"
    store = ResultsStore(path, busy_timeout=0.05)
    recorder = GameRecorder(store, None, None)
    game = Game(scenario, "journalist", 1)
    assert recorder.start(game) is None
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    game.choose("fly")
    warning = recorder.choice(game, "newsroom", "fly")
    assert isinstance(warning, RecordWarning) and "stayed busy" in warning.message
    blocker.execute("ROLLBACK")
    blocker.close()
    game.choose("gate")
    assert recorder.choice(game, "airport", "gate") is None
    assert [c.choice_id for c in store.games()[0].choices] == ["fly", "gate"]


def test_starting_a_game_loaded_from_a_save_records_the_choices_it_already_has(tmp_path: Path,
                                                                             scenario: Scenario) -> None:
    store = ResultsStore(tmp_path / "results.sqlite")
    recorder = GameRecorder(store, "Ana", None)
    game = Game(scenario, "journalist", 1)
    game.choose("fly")
    game.choose("back")
    assert recorder.start(game) is None
    [stored] = store.games()
    assert [(c.scene_id, c.choice_id) for c in stored.choices] == [("newsroom", "fly"), ("airport", "back")]
    game.choose("stay")
    assert recorder.choice(game, "newsroom", "stay") is None
    assert [c.step for c in store.games()[0].choices] == [1, 2, 3]
