"""Playing: options and locks, effects and clamping, seeded outcomes, journal, visits, undo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from shared import BASE_SCENARIO
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.engine.runtime.state import UNDO_DEPTH, ChoiceError, Game, draw_outcome_index


@pytest.fixture
def scenario(write_scenario: Callable[..., Path]) -> Scenario:
    loaded = load_scenario(write_scenario(), use_cache=False).scenario
    assert loaded is not None
    return loaded


def test_start_applies_role_stats_and_reveals(scenario: Scenario) -> None:
    journalist = Game(scenario, "journalist", seed=1)
    assert journalist.state.stats == {"safety": 4, "story": 0, "suspicion": 0}
    assert journalist.state.place == "newsroom"
    assert journalist.state.known == ("klia-detention",)
    assert journalist.state.visits == {"newsroom": 1}
    assert Game(scenario, "activist", seed=1).state.stats["safety"] == 3


def test_options_show_open_locked_and_hide_unexplained(scenario: Scenario) -> None:
    journalist = Game(scenario, "journalist", seed=1)
    assert [(o.choice.id, o.available) for o in journalist.options()] == [("fly", True), ("stay", True)]
    activist = Game(scenario, "activist", seed=1)
    assert [o.choice.id for o in activist.options()] == ["fly", "activist-only", "stay"]


def test_locked_choice_shows_its_reason_and_cannot_be_taken(scenario: Scenario) -> None:
    game = Game(scenario, "journalist", seed=1)
    game.choose("fly")
    game.choose("back")  # back in the newsroom, now with footage: `fly` is locked
    [fly, stay] = game.options()
    assert (fly.available, fly.locked_reason) == (False, "Your editor will not pay")
    with pytest.raises(ChoiceError):
        game.choose("fly")
    with pytest.raises(ChoiceError):
        game.choose("no-such-choice")


def test_effects_apply_and_stats_clamp(scenario: Scenario) -> None:
    game = Game(scenario, "journalist", seed=1)
    game.choose("fly")
    assert game.state.stats["story"] == 1 and "has_footage" in game.state.flags
    game = Game(scenario, "journalist", seed=1)
    game.choose("stay")  # safety += 10 on a 0..5 stat
    assert game.state.stats["safety"] == 5
    assert game.over and game.ending is not None and game.ending.id == "quiet"


def test_interpolation_uses_the_current_state(scenario: Scenario) -> None:
    game = Game(scenario, "journalist", seed=1)
    scene = game.scene
    assert scene is not None
    assert game.fill(scene.text).strip() == "Your phone lights up. Safety is 4, footage: no."


def test_visits_journal_and_path(scenario: Scenario) -> None:
    game = Game(scenario, "journalist", seed=1)
    game.choose("fly")
    game.choose("back")
    game.choose("stay")
    assert game.state.visits == {"newsroom": 2, "airport": 1, "quiet": 1}
    assert game.state.known == ("klia-detention", "arrests")
    assert game.state.path == ("newsroom", "airport", "newsroom", "quiet")
    assert game.state.choices == ("fly", "back", "stay")


def outcome_of(scenario: Scenario, seed: int) -> str:
    game = Game(scenario, "journalist", seed=seed)
    game.choose("fly")
    game.choose("gate")
    return game.state.place


def test_outcomes_replay_exactly_for_a_seed_and_follow_their_weights(scenario: Scenario) -> None:
    results = [outcome_of(scenario, seed) for seed in range(400)]
    assert results == [outcome_of(scenario, seed) for seed in range(400)]
    share = results.count("refused") / len(results)
    assert 0.65 < share < 0.85  # weights 3:1


def test_outcome_effects_apply(scenario: Scenario) -> None:
    seed = next(s for s in range(100) if outcome_of(scenario, s) == "quiet")
    game = Game(scenario, "journalist", seed=seed)
    game.choose("fly")
    game.choose("gate")
    assert game.state.stats["safety"] == 3 and game.state.stats["suspicion"] == 1


def test_draw_depends_on_seed_and_step_only() -> None:
    assert draw_outcome_index([1, 1, 1], 7, 3) == draw_outcome_index([1, 1, 1], 7, 3)
    assert {draw_outcome_index([1, 1, 1, 1], seed, 0) for seed in range(50)} == {0, 1, 2, 3}


def test_undo_goes_back_at_least_fifty_steps(scenario: Scenario) -> None:
    game = Game(scenario, "activist", seed=1)
    assert not game.undo()
    history = [game.state]
    for _ in range(60):  # back and forth between the two scenes
        game.choose("activist-only" if game.state.place == "newsroom" else "back")
        history.append(game.state)
    assert UNDO_DEPTH >= 50
    for expected in reversed(history[:-1]):
        assert game.undo()
        assert game.state == expected
    assert not game.undo()


def test_unknown_role_is_refused(scenario: Scenario) -> None:
    with pytest.raises(ChoiceError):
        Game(scenario, "pilot")


def test_shared_text_is_safe_to_interpolate(write_scenario: Callable[..., Path]) -> None:
    text = BASE_SCENARIO.replace("Your phone lights up.", "Braces {{like this}} stay; [b]markup[/b] too.")
    scenario = load_scenario(write_scenario(text), use_cache=False).scenario
    assert scenario is not None
    game = Game(scenario, "journalist", seed=1)
    assert game.scene is not None
    assert game.fill(game.scene.text).startswith("Braces {like this} stay; [b]markup[/b] too.")


def test_a_choice_for_another_role_is_hidden_even_with_locked_text(write_scenario: Callable[..., Path]) -> None:
    text = BASE_SCENARIO.replace('        if: role == "activist"\n',
                                 '        if: role == "activist" and safety >= 4\n        locked: Too risky today\n')
    scenario = load_scenario(write_scenario(text), use_cache=False).scenario
    assert scenario is not None
    assert [o.choice.id for o in Game(scenario, "journalist", seed=1).options()] == ["fly", "stay"]
    [_, only_activists, _] = Game(scenario, "activist", seed=1).options()
    assert (only_activists.available, only_activists.locked_reason) == (False, "Too risky today")
