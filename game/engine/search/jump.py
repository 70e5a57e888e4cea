"""A way to any scene: the shortest path a role can play to it, and a seed that plays it.

The live preview's debug panel jumps to a scene by playing there, so the state on arrival is one
a player could really have (its stats, flags, visits and journal), and a reload replays it like
any other game. The path comes from a breadth-first search of the compiled machine
(`analysis.py`), stopped as soon as the scene is reached or after `max_states` states; the seed
from `routes.seed_for`, so that every random outcome on the way is the one the path took.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.limits import DEFAULT_MAX_STATES
from game.engine.runtime.model import Scenario
from game.engine.search.analysis import Machine, compile_role, projection
from game.engine.search.routes import Step, seed_for


@dataclass(frozen=True, slots=True)
class Jump:
    """How to be at a scene: play these choices with this seed."""

    role: str
    seed: int
    steps: tuple[Step, ...]

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(step.choice for step in self.steps)


def shortest_path(machine: Machine, place: str, max_states: int = DEFAULT_MAX_STATES) -> tuple[Step, ...] | None:
    """The fewest choices from the start to `place`; None when it is not reached within `max_states`."""
    target = machine.layout.numbers[place]
    mask = machine.layout.place_mask
    if machine.start & mask == target:
        return ()
    parents: dict[int, tuple[int, int]] = {machine.start: (-1, -1)}  # state -> (the state before, label)
    frontier = [machine.start]
    while frontier and len(parents) < max_states:
        following_frontier = []
        for state in frontier:
            scene = machine.code[state & mask]
            if scene is None:
                continue
            for _, test, steps in scene:
                if test is not None and not test(state):
                    continue
                for label, step in steps:
                    following = step(state)
                    if following in parents:
                        continue
                    parents[following] = (state, label)
                    if following & mask == target:
                        return _steps(machine, parents, following)
                    following_frontier.append(following)
        frontier = following_frontier
    return None


def _steps(machine: Machine, parents: dict[int, tuple[int, int]], state: int) -> tuple[Step, ...]:
    labels = []
    while parents[state][0] >= 0:
        state, label = parents[state]
        labels.append(label)
    found = []
    for label in reversed(labels):
        choice_index, outcome = machine.labels[label]
        compiled = machine.choices[choice_index]
        target = compiled.branches[max(outcome, 0)].target
        found.append(Step(compiled.scene, compiled.choice.id, outcome, len(compiled.choice.outcomes), target))
    return tuple(found)


def jump_to(scenario: Scenario, role: str, place: str, max_states: int = DEFAULT_MAX_STATES) -> Jump | str:
    """A game that arrives at `place` as `role`, or why there is none (in words for the author)."""
    if place not in scenario.scenes and place not in scenario.endings:
        return f"there is no scene or ending '{place}'"
    steps = shortest_path(compile_role(scenario, role, projection(scenario)), place, max_states)
    if steps is None:
        return f"the role '{role}' cannot reach '{place}' (searched {max_states:,} states at most)"
    seed = seed_for(scenario, steps, role=role)
    if seed is None:
        return f"no seed plays the random outcomes of the way to '{place}'"
    return Jump(role, seed, steps)
