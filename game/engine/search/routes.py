"""Routes through a story: the steps of a path, and replaying them in the engine itself.

The playtests report paths as choice ids (with the outcome drawn, for random choices). A path is
only useful if an author can walk it, so `replay` plays it through `state.Game`, the engine the
players use, and gives the option numbers the plain player would need; `seed_for` finds a game
seed whose outcome draws go the path's way. A path the engine does not follow is an error value,
which the tests treat as a bug in the compiled fast path.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from game.engine.limits import SEED_SEARCH_LIMIT
from game.engine.runtime.model import Scenario
from game.engine.runtime.state import (
    ChoiceError,
    Game,
    draw_outcome_index,
    numbered,
    outcome_weights,
    start,
    take_outcome,
)


@dataclass(frozen=True, slots=True)
class Step:
    """One choice on a path: the scene it was taken in, the choice, the outcome drawn, the arrival."""

    scene: str
    choice: str
    outcome: int  # 0-based index of the outcome drawn, or -1 for a choice with a plain goto
    outcomes: int  # how many outcomes the choice has (0 for a plain goto)
    target: str

    def render(self) -> str:
        if self.outcome < 0:
            return self.choice
        return f"{self.choice} (outcome {self.outcome + 1} of {self.outcomes} -> {self.target})"


@dataclass(frozen=True, slots=True)
class Replayed:
    """A path played through the engine: the option numbers the plain player shows at each step."""

    role: str
    seed: int
    numbers: tuple[int, ...]  # 1-based, among the open options, as `longarm play --plain` numbers them
    places: tuple[str, ...]  # where each choice led

    @property
    def place(self) -> str:
        return self.places[-1] if self.places else ""

    def command(self, scenario_name: str) -> str:
        """A shell command that plays this path in the plain player."""
        play = f"longarm play --plain {shlex.quote(scenario_name)} --role {shlex.quote(self.role)} --seed {self.seed}"
        if not self.numbers:
            return play
        answers = "\\n".join(str(n) for n in self.numbers)
        return f"printf '{answers}\\n' | {play}"


@dataclass(frozen=True, slots=True)
class ReplayError:
    message: str


def replay(scenario: Scenario, role: str, seed: int, choices: list[str] | tuple[str, ...]) -> Replayed | ReplayError:
    """Take the choices in the engine with this seed; the numbers, or where it went wrong."""
    game = Game(scenario, role, seed)
    numbers = []
    places = []
    for step, choice_id in enumerate(choices):
        open_now = {option.choice.id: number for number, option in numbered(game.options()) if number is not None}
        if choice_id not in open_now:
            return ReplayError(f"step {step + 1}: '{choice_id}' is not open in '{game.state.place}' "
                               f"(open: {', '.join(open_now) or 'none'})")
        numbers.append(open_now[choice_id])
        try:
            game.choose(choice_id)
        except ChoiceError as error:  # cannot happen after the check above; kept as a value
            return ReplayError(str(error))
        places.append(game.state.place)
    return Replayed(role, seed, tuple(numbers), tuple(places))


def seed_for(scenario: Scenario, steps: tuple[Step, ...], limit: int = SEED_SEARCH_LIMIT,
             role: str | None = None) -> int | None:
    """The smallest seed from 1 whose outcome draws follow the path; None if none below `limit`.

    The weights of each draw are those of the state the path is in at that step (a weight may
    depend on the state), found by walking the path in the engine with its outcomes; `role`
    starts that walk (by default the first role).
    """
    draws = []
    state = start(scenario, role or next(iter(scenario.roles)))
    for number, step in enumerate(steps):
        choice = next(c for c in scenario.scenes[step.scene].choices if c.id == step.choice)
        if step.outcome >= 0:
            draws.append((outcome_weights(choice, state), number, step.outcome))
        state = take_outcome(scenario, state, choice, step.outcome)
    for seed in range(1, limit + 1):
        if all(draw_outcome_index(weights, seed, number) == wanted for weights, number, wanted in draws):
            return seed
    return None


def replay_path(scenario: Scenario, role: str, steps: tuple[Step, ...]) -> Replayed | ReplayError:
    """Find a seed for the path and replay it; an error when no seed or the engine disagrees."""
    seed = seed_for(scenario, steps, role=role)
    if seed is None:
        return ReplayError(f"no seed below {SEED_SEARCH_LIMIT:,} draws these outcomes")
    replayed = replay(scenario, role, seed, [step.choice for step in steps])
    if isinstance(replayed, Replayed):
        for number, (step, place) in enumerate(zip(steps, replayed.places), 1):
            if place != step.target:
                return ReplayError(f"step {number}: the engine arrived at '{place}', not '{step.target}'")
    return replayed
