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
from game.engine.runtime.state import Game, draw_outcome_index
from shared import BASE_SCENARIO, REPO

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
             synthetic(40, 3), synthetic(25, 8)]
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
    for bit in [*layout.flag_bits.values(), *layout.visited_bits.values(), *layout.known_bits.values()]:
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
                    if compiled.choice.condition is None:
                        continue
                    expected = bool(evaluate(compiled.choice.condition, snapshot))  # type: ignore[arg-type]
                    got = False if compiled.never else bool(compiled.test(packed)) if compiled.test else True
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
                    outcome = draw_outcome_index(compiled.weights, seed, len(game.state.choices)) \
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
