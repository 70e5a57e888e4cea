"""The compiled fast path agrees with the engine: conditions with `language.evaluate`, moves and
open choices with `state.Game`, on random states and random games of several scenarios."""

from __future__ import annotations

import random
from array import array
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.synthetic import render as synthetic
from game.engine.search import explore as explore_module
from game.engine.search.analysis import (
    Machine,
    Reads,
    compile_condition,
    compile_role,
    condition_reads,
    conditions,
    everything,
    projection,
    text_reads,
)
from game.engine.runtime.language import evaluate
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.engine.runtime.state import Game, draw_outcome_index, outcome_weights
from shared import BASE_SCENARIO, REACTIVE_SCENARIO, REPO

WriteScenario = Callable[..., Path]

#: Conditions of every shape the language has, beside BASE_SCENARIO's own.
EXTRA_CONDITIONS = [
    "story > safety", "safety == story", "not (has_footage or visited(quiet))", "has_footage == false",
    "true != has_footage", "(safety >= 2) == has_footage", "3 <= safety and safety < 5 or story == 0",
    'role != "activist" and known(arrests)', "not not known(klia-detention)", "suspicion != 1 or false",
    "false or true and not has_footage", "-1 < story", 'role == "journalist" or role == "activist"',
]


def scenarios(write_scenario: WriteScenario) -> list[Scenario]:
    """BASE_SCENARIO with extra conditions, two synthetic stories, and the shipped ones."""
    extra = "".join(f"      - text: Extra {n}\n        id: extra-{n}\n        goto: quiet\n        if: '{condition}'\n"
                    for n, condition in enumerate(EXTRA_CONDITIONS))
    texts = [BASE_SCENARIO.replace("      - text: Stay home\n", extra + "      - text: Stay home\n"),
             synthetic(40, 3), synthetic(25, 8), REACTIVE_SCENARIO]
    found = []
    for number, text in enumerate(texts):
        result = load_scenario(write_scenario(text, name=f"story-{number}"), use_cache=False)
        assert result.scenario is not None, [p.render() for p in result.problems]
        found.append(result.scenario)
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        shipped = load_scenario(path).scenario
        if shipped is not None:
            found.append(shipped)
    return found


def random_state(machine: Machine, rng: random.Random) -> int:
    layout = machine.layout
    packed = rng.randrange(len(layout.places))
    for stat in layout.stats:
        packed |= (rng.randint(stat.low, stat.high) - stat.low) << stat.shift
    for count in layout.counts:
        packed |= rng.randint(0, count.high) << count.shift
    for bit in [*layout.flag_bits.values(), *layout.visited_bits.values(), *layout.known_bits.values(),
                *layout.once_bits.values()]:
        if rng.random() < 0.5:
            packed |= bit
    return packed


@pytest.mark.parametrize("reads_of", [projection, everything])
def test_compiled_conditions_agree_with_evaluate(write_scenario: WriteScenario,
                                                 reads_of: Callable[[Scenario], Reads]) -> None:
    rng = random.Random(11)
    checked = 0
    for scenario in scenarios(write_scenario):
        for role in scenario.roles:
            machine = compile_role(scenario, role, reads_of(scenario))
            for _ in range(60):
                packed = random_state(machine, rng)
                snapshot = machine.decode(packed)
                for compiled in machine.choices:
                    if compiled.choice.outcomes:  # weights and outcome conditions, as the engine reads them
                        assert compiled.weights_at(packed) == outcome_weights(compiled.choice, snapshot), \
                            (scenario.id, role, compiled.choice.id, snapshot)  # type: ignore[arg-type]
                    if compiled.choice.condition is None:
                        continue
                    expected = bool(evaluate(compiled.choice.condition, snapshot))  # type: ignore[arg-type]
                    condition = compile_condition(compiled.choice.condition, machine.layout, role)
                    got = condition if isinstance(condition, bool) else bool(condition(packed))
                    assert got == expected, (scenario.id, role, compiled.choice.condition_text, snapshot)
                    checked += 1
    assert checked > 10_000


@pytest.mark.parametrize("reads_of", [projection, everything])
def test_packed_games_follow_the_engine_step_by_step(write_scenario: WriteScenario,
                                                     reads_of: Callable[[Scenario], Reads]) -> None:
    rng = random.Random(5)
    steps = 0
    for scenario in scenarios(write_scenario):
        for role in scenario.roles:
            machine = compile_role(scenario, role, reads_of(scenario))
            for _ in range(25):
                seed = rng.randrange(2**31)
                game = Game(scenario, role, seed)
                packed = machine.start
                for _ in range(60):
                    assert packed == machine.layout.encode(game.state)
                    engine_open = [option.choice.id for option in game.options() if option.available]
                    assert [c.choice.id for c in machine.open_choices(packed)] == engine_open
                    if game.over or not engine_open:
                        break
                    choice_id = rng.choice(engine_open)
                    compiled = next(c for c in machine.open_choices(packed) if c.choice.id == choice_id)
                    outcome = draw_outcome_index(compiled.weights_at(packed), seed, len(game.state.choices)) \
                        if compiled.choice.outcomes else 0
                    packed = compiled.branches[outcome].step(packed)
                    game.choose(choice_id)
                    steps += 1
    assert steps > 2_000


def test_reads_come_from_conditions_and_text(write_scenario: WriteScenario) -> None:
    scenario = load_scenario(write_scenario(), use_cache=False).scenario
    assert scenario is not None
    assert condition_reads(scenario) == Reads(frozenset({"safety"}), frozenset({"has_footage"}),
                                              frozenset({"airport"}), frozenset({"arrests"}))
    assert text_reads(scenario) == Reads(frozenset({"safety", "story"}), frozenset({"has_footage"}))
    assert projection(scenario).stats == {"safety", "story"}  # suspicion is read by nothing
    assert everything(scenario).stats == {"safety", "story", "suspicion"}
    assert [choice.id for _, choice in conditions(scenario)] == ["fly", "activist-only", "back"]


def test_layout_packs_and_unpacks_a_state(write_scenario: WriteScenario) -> None:
    scenario = load_scenario(write_scenario(), use_cache=False).scenario
    assert scenario is not None
    machine = compile_role(scenario, "journalist", everything(scenario))
    snapshot = machine.decode(machine.start)
    assert (snapshot.place, snapshot.stats) == ("newsroom", {"safety": 4, "story": 0, "suspicion": 0})
    assert snapshot.flags == frozenset() and snapshot.visits == {} and snapshot.known == frozenset()
    fly = next(c for c in machine.open_choices(machine.start) if c.choice.id == "fly")
    after = machine.decode(fly.branches[0].step(machine.start))
    assert (after.place, after.stats["story"], after.flags, after.visits) == (
        "airport", 1, frozenset({"has_footage"}), {"airport": 1})
    assert after.describe() == "safety 4, story 1, suspicion 0, has_footage, visited(airport), known(arrests)"
    # A role test is settled when the role's machine is compiled: never open for the journalist.
    only_activists = next(c for c in machine.choices if c.choice.id == "activist-only")
    assert only_activists.never and only_activists.test is None


def test_can_finish_sweeps_agree_with_the_backward_search(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(2)
    for _ in range(200):
        count = rng.randint(1, 40)
        successors = [[rng.randrange(count) for _ in range(rng.randint(0, 3))] for _ in range(count)]
        targets = array("q", [t for succ in successors for t in succ])
        starts = array("q", [0])
        for succ in successors:
            starts.append(starts[-1] + len(succ))
        endings = [state for state in range(count) if rng.random() < 0.15]
        swept = explore_module.can_finish(count, targets, starts, endings)
        monkeypatch.setattr(explore_module, "SWEEP_BUDGET", 0)
        searched = explore_module.can_finish(count, targets, starts, endings)
        monkeypatch.undo()
        # The definition: a state can finish when an ending is reachable from it.
        expected = bytearray(count)
        for state in range(count):
            seen, stack = {state}, [state]
            while stack:
                current = stack.pop()
                if current in endings:
                    expected[state] = 1
                    break
                for following in successors[current]:
                    if following not in seen:
                        seen.add(following)
                        stack.append(following)
        assert swept == searched == expected


def reactive(write_scenario: WriteScenario) -> Scenario:
    scenario = load_scenario(write_scenario(REACTIVE_SCENARIO, name="night-watch"), use_cache=False).scenario
    assert scenario is not None
    return scenario


def test_the_projection_tracks_what_text_variants_weights_and_computed_stats_read(
        write_scenario: WriteScenario) -> None:
    scenario = reactive(write_scenario)
    # exposure is read only by a text variant and a weight; reach by text variants and placeholders;
    # trust also because reach is computed from it (reach = reach + trust * 2).
    assert text_reads(scenario).stats >= {"exposure", "reach", "trust"}
    assert ("hall", 4) in projection(scenario).counts and projection(scenario).caps() == {"hall": 5}
    without_text = condition_reads(scenario)
    assert "exposure" in without_text.stats  # the weight "exposure + 1"
    assert "reach" in text_reads(scenario).stats and "reach" not in without_text.stats
    machine = compile_role(scenario, "journalist", projection(scenario))
    assert {stat.name for stat in machine.layout.stats} == {"safety", "trust", "exposure", "reach"}
    assert set(machine.layout.once_bits) == {("hall", "ask"), ("corridor", "knock")}


def test_two_states_that_show_different_text_are_different_states(write_scenario: WriteScenario) -> None:
    """Asking the guard once changes only what the hall's text says (visits and exposure): the
    search must keep both states, and each shows its own text."""
    scenario = reactive(write_scenario)
    machine = compile_role(scenario, "activist", projection(scenario))
    ask = next(c for c in machine.open_choices(machine.start) if c.choice.id == "ask")
    after = ask.branches[0].step(machine.start)
    assert after != machine.start and machine.place(after) == machine.place(machine.start) == "hall"
    from game.engine.runtime.text import render_template

    template = scenario.texts[scenario.scenes["hall"].text]
    shown = {render_template(template, machine.decode(state)) for state in (machine.start, after)}
    assert len(shown) == 2


def test_visit_counts_stop_at_their_cap_and_once_choices_close(write_scenario: WriteScenario) -> None:
    scenario = reactive(write_scenario)
    machine = compile_role(scenario, "journalist", projection(scenario))
    state = machine.start
    for _ in range(8):  # the film choice loops back to the hall until visits(hall) reaches 4
        film = [c for c in machine.open_choices(state) if c.choice.id == "film"]
        if not film:
            break
        state = film[0].branches[0].step(state)
    assert machine.decode(state).visits["hall"] == 4
    assert "film" not in [c.choice.id for c in machine.open_choices(state)]
    game = Game(scenario, "journalist", 1)
    for _ in range(3):
        game.choose("film")
    assert game.state.visits["hall"] == 4 and machine.layout.encode(game.state) == state


def test_random_games_take_every_choice_and_outcome_of_the_reactive_story(write_scenario: WriteScenario) -> None:
    """Fallbacks, once-only choices and outcomes that depend on the state are all played."""
    from game.engine.search.playtest import play_random

    scenario = reactive(write_scenario)
    run = play_random(scenario, 400, 3)
    assert run.ok and not run.capped
    assert all(hits > 0 for hits in run.choice_hits.values()), run.choice_hits
    outcomes = {(step.choice, step.outcome) for game in run.games for step in game.steps if step.outcomes}
    assert outcomes == {("slip", 0), ("slip", 1), ("slip", 2)}
