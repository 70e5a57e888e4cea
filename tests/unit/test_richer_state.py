"""Format 2's richer state in play: arithmetic effects, visits(), once-only and fallback choices,
outcomes whose weight or condition depends on the state; and what the loader and the
exhaustive search say about them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from game.engine import limits
from game.engine.loader.load import load_scenario
from game.engine.runtime.language import (
    Const,
    Effect,
    LanguageError,
    Names,
    Product,
    Stat,
    Sum,
    evaluate,
    expr_from_json,
    expr_to_json,
    names_read,
    parse_condition,
    parse_effect,
    parse_number,
)
from game.engine.runtime.model import Scenario, chances
from game.engine.runtime.state import ChoiceError, Game, apply_effects, draw_outcome_index, outcome_weights
from game.engine.search.explore import explore
from shared import BASE_SCENARIO, REACTIVE_SCENARIO

WriteScenario = Callable[..., Path]
NAMES = Names(stats={"safety", "trust", "exposure"}, flags={"seen"}, roles={"journalist"},
              places={"hall", "gate"}, facts={"arrests"})


@dataclass
class View:
    role: str = "journalist"
    stats: dict[str, int] = field(default_factory=lambda: {"safety": 3, "trust": 2, "exposure": 4})
    flags: frozenset[str] = frozenset()
    visits: dict[str, int] = field(default_factory=lambda: {"hall": 3})
    known: tuple[str, ...] = ()


# ---------------------------------------------------------------------------- the language


@pytest.mark.parametrize(("source", "expected"), [
    ("trust + exposure >= 6", True),
    ("trust * 2 - exposure == 0", True),
    ("-trust < 0 and - - trust > 0", True),
    ("(trust + 1) * (exposure - 1) == 9", True),
    ("visits(hall) >= 3 and visits(gate) == 0", True),
    ("3 < visits(hall)", False),
    ("2 + 3 * 2 == 8", True),
])
def test_arithmetic_and_visits_in_conditions(source: str, expected: bool) -> None:
    expr = parse_condition(source, NAMES)
    assert not isinstance(expr, LanguageError), expr
    assert evaluate(expr, View()) is expected
    assert expr_from_json(expr_to_json(expr)) == expr  # type: ignore[arg-type]


@pytest.mark.parametrize(("source", "code", "fragment"), [
    ("visits(hall) + 1 > 2", "LA032", "visits() can only be compared with a whole number"),
    ("visits(hall) > trust", "LA032", "visits() can only be compared with a whole number"),
    ("seen + 1 > 2", "LA032", "'+' works on numbers, not true/false"),
    ("trust / 2 > 1", "LA030", "unexpected character '/'"),
    ("visits(nowhere) > 1", "LA031", "unknown scene or ending 'nowhere'"),
    ("trust * " + "9" * 11 + " > 1", "LA074", "too large"),
    ("-" * 25 + "trust > 1", "LA072", "nest more than"),
])
def test_arithmetic_mistakes(source: str, code: str, fragment: str) -> None:
    result = parse_condition(source, NAMES)
    assert isinstance(result, LanguageError)
    assert result.code == code and fragment in result.words("if")[0]


def test_effects_compute_from_stats() -> None:
    assert parse_effect("trust = trust + exposure", NAMES) == \
        Effect("trust", "=", 0, Sum(((1, Stat("trust")), (1, Stat("exposure")))))
    assert parse_effect("safety -= 2 * exposure", NAMES) == \
        Effect("safety", "-=", 0, Product((Const(2), Stat("exposure"))))
    assert parse_effect("trust += 2 * 3 - 1", NAMES) == Effect("trust", "+=", 5)  # constants are folded
    for source, fragment in [("trust = seen", "not a number"), ("trust = visits(hall)", "visits() can only"),
                             ("trust = 1 2", "unexpected '2'"), ("seen = trust > 1", "set it to true or false"),
                             ("trust = ", "the amount is missing")]:
        result = parse_effect(source, NAMES)
        assert isinstance(result, LanguageError) and fragment in result.words("do")[0], source
    weight = parse_number("exposure + 1", NAMES)
    assert not isinstance(weight, LanguageError) and names_read(weight) == {("stat", "exposure")}


def test_effects_apply_in_order_and_clamp_to_the_range(write_scenario: WriteScenario) -> None:
    scenario = reactive(write_scenario)
    effects = tuple(e for e in (parse_effect(s, Names(scenario.stats, scenario.flags, (), (), ()))
                                for s in ("reach = reach + trust * 2", "trust += 1", "reach = reach + trust * 100"))
                    if isinstance(e, Effect))
    stats, _ = apply_effects(scenario, {"safety": 3, "trust": 2, "exposure": 0, "reach": 1}, frozenset(), effects)
    assert stats == {"safety": 3, "trust": 3, "exposure": 0, "reach": 20}  # 1 + 4, then + 300 clamped to 20
    huge = parse_effect("reach = " + " * ".join(["trust"] * 200), Names(scenario.stats, (), (), (), ()))
    assert isinstance(huge, Effect)
    stats, _ = apply_effects(scenario, {"safety": 3, "trust": 6, "exposure": 0, "reach": 0}, frozenset(), (huge,))
    assert stats["reach"] == 20  # 6 ** 200 is kept under limits.MAX_ARITHMETIC while worked out, then clamped
    assert limits.MAX_ARITHMETIC < 10**19


# ---------------------------------------------------------------------------- in play


def reactive(write_scenario: WriteScenario) -> Scenario:
    scenario = load_scenario(write_scenario(REACTIVE_SCENARIO, name="night-watch"), use_cache=False).scenario
    assert scenario is not None
    return scenario


def open_ids(game: Game) -> list[str]:
    return [option.choice.id for option in game.options() if option.available]


def test_a_once_choice_closes_after_it_is_taken(write_scenario: WriteScenario) -> None:
    game = Game(reactive(write_scenario), "activist", 1)
    assert open_ids(game) == ["ask", "corridor"]  # film is locked: trust 1
    assert [(o.choice.id, o.locked_reason) for o in game.options() if not o.available] == \
        [("film", "Nobody shows you where to stand")]
    game.choose("ask")
    assert open_ids(game) == ["film", "corridor"]  # asked: trust 2, and ask is gone, not locked
    with pytest.raises(ChoiceError):
        game.choose("ask")
    game.undo()
    assert open_ids(game) == ["ask", "corridor"]


def test_a_fallback_is_open_only_when_nothing_else_is(write_scenario: WriteScenario) -> None:
    game = Game(reactive(write_scenario), "journalist", 1)
    game.choose("corridor")
    assert open_ids(game) == ["knock", "slip"]  # safety 3: slip is open, so the fallback is hidden
    game.choose("knock")  # safety 2: slip closes, knock was once: only the fallback is left
    assert open_ids(game) == ["wait"]
    assert [option.choice.id for option in game.options()] == ["wait"]
    game.choose("wait")
    assert game.over and game.state.place == "home"


def test_weights_and_outcome_conditions_are_read_in_the_state_chosen_in(write_scenario: WriteScenario) -> None:
    scenario = reactive(write_scenario)
    slip = next(c for c in scenario.scenes["corridor"].choices if c.id == "slip")
    game = Game(scenario, "activist", 1)  # trust 1, exposure 0
    game.choose("corridor")
    assert outcome_weights(slip, game.state) == [1, 0, 0]  # trust < 2 rules out the second; trust - 2 < 1 the third
    assert chances(slip) == ["weight exposure + 1", "if trust >= 2, weight 2", "weight trust - 2"]
    game = Game(scenario, "journalist", 1)
    game.choose("ask")  # trust 3, exposure 1
    game.choose("corridor")
    assert outcome_weights(slip, game.state) == [2, 2, 1]
    assert draw_outcome_index([3, 1], 7, 2) == draw_outcome_index([3, 1, 0], 7, 2)  # a weight 0 never moves a draw
    assert all(draw_outcome_index([0, 5, 0], seed, 0) == 1 for seed in range(200))


def test_visits_count_every_arrival(write_scenario: WriteScenario) -> None:
    game = Game(reactive(write_scenario), "journalist", 1)
    assert game.state.visits == {"hall": 1}
    game.choose("film")
    game.choose("film")
    assert game.state.visits == {"hall": 3}
    assert "film" in open_ids(game)
    game.choose("film")  # visits(hall) < 4 closes it
    assert "film" not in open_ids(game)


def test_the_search_proves_the_reactive_story_and_reports_outcomes_that_never_happen(
        write_scenario: WriteScenario) -> None:
    scenario = reactive(write_scenario)
    found = explore(scenario)
    assert found.ok and found.never_open == () and found.never_drawn == ()
    impossible = REACTIVE_SCENARIO.replace('{weight: "trust - 2", goto: home', '{weight: "trust - 9", goto: home')
    found = explore(load_scenario(write_scenario(impossible, name="impossible"), use_cache=False).scenario)  # type: ignore[arg-type]
    assert found.never_drawn == (("corridor", "slip", 2),)


# ---------------------------------------------------------------------------- the loader


@pytest.mark.parametrize(("old", "new", "codes"), [
    ("        do: [safety += 10]", "        do: [safety = safety + story]", ["LA089"]),
    ("        if: visited(airport) and known(arrests)", "        if: visits(airport) > 1", ["LA089"]),
    ("        id: stay\n", "        id: stay\n        once: true\n", ["LA089"]),
    ("        id: stay\n", "        id: stay\n        fallback: true\n", ["LA089"]),
    ("{weight: 3, goto: refused}", "{weight: 3, goto: refused, if: safety > 1}", ["LA089"]),
    ("{weight: 3, goto: refused}", '{weight: "safety + 1", goto: refused}', ["LA089"]),
])
def test_format_2_features_in_a_format_1_file_say_so(write_scenario: WriteScenario, old: str, new: str,
                                                      codes: list[str]) -> None:
    text = BASE_SCENARIO.replace(old, new)
    assert text != BASE_SCENARIO
    assert [p.code for p in load_scenario(write_scenario(text), use_cache=False).problems] == codes
    assert load_scenario(write_scenario(text.replace("format: 1", "format: 2")), use_cache=False).problems == ()


@pytest.mark.parametrize(("old", "new", "code"), [
    ("        id: stay\n", "        id: stay\n        fallback: true\n        if: safety > 1\n        locked: Not now\n",
     "LA069"),
    ("{weight: 3, goto: refused}", '{weight: "safety +", goto: refused}', "LA030"),
    ("{weight: 3, goto: refused}", '{weight: "has_footage", goto: refused}', "LA032"),
    ("{weight: 3, goto: refused}", '{weight: "0 * 5", goto: refused}', "LA065"),
    ("{weight: 3, goto: refused}", "{weight: 3, goto: refused, if: safety}", "LA032"),
    ("        id: stay\n", "        id: stay\n        once: maybe\n", "LA080"),
])
def test_mistakes_in_the_new_keys(write_scenario: WriteScenario, old: str, new: str, code: str) -> None:
    text = BASE_SCENARIO.replace("format: 1", "format: 2").replace(old, new)
    assert [p.code for p in load_scenario(write_scenario(text), use_cache=False).problems] == [code]


def test_paths_through_outcomes_that_depend_on_the_state_replay_with_a_seed(write_scenario: WriteScenario) -> None:
    from game.engine.search.jump import jump_to
    from game.engine.search.routes import Replayed, replay_path

    scenario = reactive(write_scenario)
    found = explore(scenario)
    for role in found.roles:
        for ending, steps in role.endings.items():
            replayed = replay_path(scenario, role.role, steps)
            assert isinstance(replayed, Replayed) and replayed.place == ending, (role.role, ending, replayed)
    jump = jump_to(scenario, "journalist", "home")
    assert not isinstance(jump, str) and jump.choices == ("corridor", "slip")
    game = Game(scenario, "journalist", jump.seed)
    for choice_id in jump.choices:
        game.choose(choice_id)
    assert game.state.place == "home"
    assert jump_to(scenario, "journalist", "nowhere") == "there is no scene or ending 'nowhere'"
    assert "cannot reach" in str(jump_to(scenario, "journalist", "caught", max_states=1))


def test_a_visit_count_compared_with_a_huge_number_costs_nothing(write_scenario: WriteScenario) -> None:
    """The count is kept as a clamped shift, not a table of a billion entries."""
    from game.engine.search.analysis import compile_role, projection

    text = REACTIVE_SCENARIO.replace("if: trust >= 2 and visits(hall) < 4", "if: visits(hall) < 1000000000")
    scenario = load_scenario(write_scenario(text, name="huge"), use_cache=False).scenario
    assert scenario is not None
    machine = compile_role(scenario, "activist", projection(scenario))
    state = machine.start
    for _ in range(5):
        film = next(c for c in machine.open_choices(state) if c.choice.id == "film")
        state = film.branches[0].step(state)
    assert machine.decode(state).visits["hall"] == 6
    found = explore(scenario, max_states=5_000)
    assert found.capped  # every visit is a new state: the cap stops it, and says so
