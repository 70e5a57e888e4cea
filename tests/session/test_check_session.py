"""The knowledge check in the play session: asked before the first choice and again at the ending,
each answer an event for the observers, the student's change only once both checks are complete,
and the answers kept by saves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine.loader.load import load_scenario
from game.engine.runtime.knowledge import DONT_KNOW, CheckLog
from game.engine.runtime.model import Scenario
from game.engine.runtime.saves import SaveData, read_save
from game.session.autosave import Autosave
from game.session.events import CheckAnswered, ChoiceMade, GameEnded, GameStarted
from game.session.play import CheckPending, PlaySession
from shared import BASE_SCENARIO, CHECK_SCENARIO
from test_play import Heard

#: The right option of each item of CHECK_BLOCK, by id.
RIGHT = {"held-where": 0, "held-by": 1, "how-long": 1, "then": 0}


@pytest.fixture
def scenario(write_scenario: Callable[..., Path]) -> Scenario:
    loaded = load_scenario(write_scenario(CHECK_SCENARIO), use_cache=False).scenario
    assert loaded is not None
    return loaded


def answer_all(session: PlaySession, phase: str, answers: dict[str, int | None]) -> None:
    for item, option in answers.items():
        session.answer_check(phase, item, option)  # type: ignore[arg-type]


def test_the_check_comes_before_the_first_choice_and_again_at_the_ending(scenario: Scenario) -> None:
    heard = Heard()
    session = PlaySession.new(scenario, "journalist", 1, observers=[heard], check=True)
    session.begin()
    assert session.check_on and session.check_due() == "before"
    with pytest.raises(CheckPending):
        session.choose("stay")
    answer_all(session, "before", {"held-where": 1, "held-by": 1, "how-long": None})
    assert session.check_due() == "before" and not session.check_complete("before")
    with pytest.raises(ValueError, match="once both checks"):
        session.own_change()
    session.answer_check("before", "then", 0)
    assert session.check_complete("before") and session.check_due() is None
    with pytest.raises(ValueError, match="not open now"):
        session.answer_check("before", "then", 1)  # the first check is closed once complete
    assert session.choose("stay").ended
    assert session.check_due() == "after"
    answer_all(session, "after", {"held-where": 0, "held-by": 0, "how-long": 1, "then": 0})
    assert session.check_due() is None
    kinds = [type(event) for event in heard.events]
    assert kinds == [GameStarted] + [CheckAnswered] * 4 + [ChoiceMade, GameEnded] + [CheckAnswered] * 4
    first = heard.events[1]
    assert isinstance(first, CheckAnswered)
    assert (first.phase, first.index, first.item.id, first.option, first.right, first.answer_text) == (
        "before", 0, "held-where", 1, False, "At the Thai border")
    dont_know = heard.events[3]
    assert isinstance(dont_know, CheckAnswered) and dont_know.answer_text == DONT_KNOW and not dont_know.right
    last = heard.events[-1]
    assert isinstance(last, CheckAnswered) and (last.phase, last.right) == ("after", True)
    assert last.game.check is not None and len(last.game.check.answers) == 8


def test_the_students_own_change_item_by_item(scenario: Scenario) -> None:
    session = PlaySession.new(scenario, "activist", 1, check=True)
    answer_all(session, "before", {"held-where": 1, "held-by": 1, "how-long": None, "then": 0})
    session.choose("stay")
    answer_all(session, "after", {"held-where": 0, "held-by": 0, "how-long": None, "then": 0})
    changes = session.own_change()
    assert [(c.item.id, c.right_before, c.right_after, c.change) for c in changes] == [
        ("held-where", False, True, "learned"), ("held-by", True, False, "lost"),
        ("how-long", False, False, "not yet"), ("then", True, True, "kept")]
    assert changes[0].item.right_option == "At Kuala Lumpur's airport" and changes[0].item.fact == "klia-detention"


def test_an_answer_may_change_while_its_check_is_open_and_only_then(scenario: Scenario) -> None:
    heard = Heard()
    session = PlaySession.new(scenario, "journalist", 1, observers=[heard], check=True)
    session.answer_check("before", "held-where", 2)
    assert session.answer_check("before", "held-where", 2) == ()  # the same answer: nothing to hear
    session.answer_check("before", "held-where", 0)
    log = session.check_log
    assert log is not None and [(a.item, a.option) for a in log.answers] == [("held-where", 0)]
    assert len(heard.events) == 2
    with pytest.raises(ValueError, match="not open now"):
        session.answer_check("after", "held-where", 0)
    with pytest.raises(ValueError, match="no item"):
        session.answer_check("before", "nothing", 0)
    with pytest.raises(ValueError, match="no option 3"):
        session.answer_check("before", "held-by", 2)


def test_the_check_is_off_by_default_and_for_a_scenario_without_one(scenario: Scenario,
                                                                     write_scenario: Callable[..., Path]) -> None:
    session = PlaySession.new(scenario, "journalist", 1)
    assert not session.check_on and session.check_due() is None and session.check_items == ()
    assert session.choose("stay").ended and session.check_due() is None
    with pytest.raises(ValueError):
        session.answer_check("after", "held-where", 0)
    plain = load_scenario(write_scenario(BASE_SCENARIO, name="plain"), use_cache=False).scenario
    assert plain is not None
    asked = PlaySession.new(plain, "journalist", 1, check=True)
    assert not asked.check_on and asked.check_due() is None
    assert "check" not in asked.save_data().to_json()


def test_no_after_check_when_the_first_was_not_complete(scenario: Scenario) -> None:
    save = SaveData(scenario.id, "journalist", 1, ("stay",), scenario.content_hash, check=CheckLog())
    session, _ = PlaySession.from_save(scenario, save)
    assert session.over and session.check_on and session.check_due() is None


def test_saves_keep_the_check_and_a_continued_game_asks_what_is_left(scenario: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "autosave.json"
    session = PlaySession.new(scenario, "journalist", 1, observers=[Autosave(path)], check=True)
    session.begin()
    answer_all(session, "before", {"held-where": 0, "held-by": None, "how-long": 3, "then": 1})
    session.choose("stay")
    session.answer_check("after", "held-where", 0)
    save = read_save(path)
    assert save.check == session.check_log
    assert save.to_json()["check"] == {"before": {"held-where": 0, "held-by": None, "how-long": 3, "then": 1},
                                       "after": {"held-where": 0}}
    continued, message = PlaySession.from_save(scenario, save)
    assert message == "" and continued.check_due() == "after"
    answer_all(continued, "after", {"held-by": 1, "how-long": 1, "then": 0})
    assert [c.change for c in continued.own_change()] == ["kept", "learned", "learned", "learned"]


def test_damaged_check_answers_in_a_save_are_dropped_not_fatal() -> None:
    data = SaveData("s", "r", 1, ()).to_json()
    data["check"] = {"before": {"a": 1, "b": "x", "c": True, "d": -1, "e": None, "f": 99}, "after": ["a"]}
    save = SaveData.from_json(data)
    assert save.check is not None and [(a.phase, a.item, a.option) for a in save.check.answers] == [
        ("before", "a", 1), ("before", "e", None)]
    del data["check"]
    assert SaveData.from_json(data).check is None
