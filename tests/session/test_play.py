"""The play session: the one loop every front end drives, and what its observers hear."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.engine.runtime.saves import SaveData, read_save
from game.engine.runtime.state import ChoiceError
from game.session.autosave import Autosave
from game.session.events import (
    AnswerGiven,
    ChoiceMade,
    ChoiceUndone,
    GameEnded,
    GameStarted,
    Notice,
    SessionEvent,
)
from game.session.play import PlaySession


class Heard:
    """An observer that keeps every event."""

    def __init__(self) -> None:
        self.events: list[SessionEvent] = []

    def on_event(self, event: SessionEvent) -> Notice | None:
        self.events.append(event)
        return None


class Broken:
    def on_event(self, event: SessionEvent) -> Notice | None:
        raise RuntimeError("disk on fire")


@pytest.fixture
def scenario(write_scenario: Callable[..., Path]) -> Scenario:
    loaded = load_scenario(write_scenario(), use_cache=False).scenario
    assert loaded is not None
    return loaded


def test_observers_hear_typed_events_in_order(scenario: Scenario) -> None:
    heard = Heard()
    session = PlaySession.new(scenario, "journalist", 1, observers=[heard])
    session.begin()
    turn = session.choose("stay", at_step=0)
    assert turn.taken and turn.ended and session.over
    session.answer(0, "  Because.  ")
    assert session.undo()[0] and not session.over
    kinds = [type(event) for event in heard.events]
    assert kinds == [GameStarted, ChoiceMade, GameEnded, AnswerGiven, ChoiceUndone]
    made = heard.events[1]
    assert isinstance(made, ChoiceMade) and (made.scene_id, made.choice_id, made.step) == ("newsroom", "stay", 1)
    answer = heard.events[3]
    assert isinstance(answer, AnswerGiven) and answer.text == "Because." and answer.game.answers == ((0, "Because."),)
    assert {event.game.game_id for event in heard.events} == {session.game_id}
    assert session.answers == {}  # undo leaves the ending, and its answers with it


def test_a_choice_for_a_step_already_past_is_not_taken(scenario: Scenario) -> None:
    heard = Heard()
    session = PlaySession.new(scenario, "journalist", 1, observers=[heard])
    assert session.choose("fly", at_step=0).taken
    assert not session.choose("fly", at_step=0).taken  # the same form sent twice
    assert session.step == 1 and len(heard.events) == 1
    with pytest.raises(ChoiceError):
        session.choose("no-such-choice")


def test_a_failing_observer_is_a_notice_and_the_others_still_hear(scenario: Scenario) -> None:
    heard = Heard()
    session = PlaySession.new(scenario, "journalist", 1, observers=[Broken(), heard])
    [notice] = session.begin()
    assert "disk on fire" in notice.message
    assert [type(event) for event in heard.events] == [GameStarted]


def test_answers_only_at_an_ending_and_only_for_its_questions(scenario: Scenario) -> None:
    session = PlaySession.new(scenario, "journalist", 1)
    with pytest.raises(ValueError, match="at an ending"):
        session.answer(0, "too soon")
    session.choose("stay")
    with pytest.raises(ValueError, match="no question 2"):
        session.answer(1, "nope")
    assert session.answer(0, "") == ()  # clearing an empty answer changes nothing


def test_the_autosave_keeps_the_game_id_and_answers_and_continue_restores_both(scenario: Scenario,
                                                                                tmp_path: Path) -> None:
    path = tmp_path / "autosave.json"
    session = PlaySession.new(scenario, "journalist", 1, observers=[Autosave(path)])
    session.begin()
    session.choose("stay")
    session.answer(0, "Quietly.")
    save = read_save(path)
    assert (save.game_id, save.choices, save.answers) == (session.game_id, ("stay",), ((0, "Quietly."),))
    again, message = PlaySession.from_save(scenario, save)
    assert message == "" and again.game_id == session.game_id and again.answers == {0: "Quietly."}
    assert again.over and again.debrief().ending_id == "quiet"


def test_a_save_from_an_edited_scenario_keeps_what_still_replays(scenario: Scenario) -> None:
    save = SaveData(scenario.id, "journalist", 1, ("fly", "no-longer-there"), "old-hash", answers=((0, "x"),))
    session, message = PlaySession.from_save(scenario, save)
    assert session.step == 1 and "stops after 1 of 2 choices" in message
    assert session.answers == {}  # answers belong to an ending this replay did not reach


def test_game_ids_are_random_version_4_uuids() -> None:
    """Made without importing `uuid`, the ids are still what `uuid.uuid4()` would give."""
    import uuid

    from game.session.play import new_game_id

    ids = [new_game_id() for _ in range(500)]
    assert len(set(ids)) == 500
    for text in ids:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)
    # every one of the 122 random bits varies
    assert all(len({text[position] for text in ids}) > 1 for position in range(36)
               if position not in (8, 13, 14, 18, 23))


def test_a_failing_observer_is_logged_and_never_shown_on_a_terminal(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    class Broken:
        def on_event(self, event: SessionEvent) -> Notice | None:
            raise RuntimeError("disk on fire")

    scenario = load_scenario(Path("scenarios/arrival-hall.yaml")).scenario
    assert scenario is not None
    session = PlaySession.new(scenario, "journalist", seed=1, observers=[Broken()])
    notices = session.begin()
    assert any("disk on fire" in notice.message for notice in notices)
    [record] = [r for r in caplog.records if r.name == "game.session.play"]
    assert record.levelname == "WARNING" and record.exc_info is not None
    assert capsys.readouterr().err == ""
