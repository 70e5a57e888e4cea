"""Game state and the rules of play: starting a role, the choices open now, choosing, undo.

`GameState` is an immutable value; `advance` returns the next one. Random outcomes draw from a
generator seeded by the game's seed and the step number, so the same seed and the same choice ids
always replay to the same story: a save is just that list of choice ids. `Game` is the small
mutable wrapper a front end holds: the current state, the seed, and the states before it for undo.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from game.engine.runtime.evaluation import evaluate, number, rules_out_role
from game.engine.runtime.expressions import Effect
from game.engine.runtime.model import Choice, Ending, Outcome, Scenario, Scene
from game.engine.runtime.text import render, render_template

#: How many earlier states `Game.undo` keeps (the brief asks for at least 50).
UNDO_DEPTH = 200


@dataclass(frozen=True, slots=True)
class GameState:
    """Everything that changes during play. Dicts here are never mutated after construction."""

    role: str
    place: str  # the current scene or ending id
    stats: dict[str, int]
    flags: frozenset[str]  # the flags that are set
    visits: dict[str, int]  # arrivals at each scene or ending
    known: tuple[str, ...]  # fact ids in the journal, in the order found
    path: tuple[str, ...]  # every place arrived at, in order
    choices: tuple[str, ...]  # the choice ids taken: the save


@dataclass(frozen=True, slots=True)
class Option:
    """A choice as the player sees it now: open, or locked with the reason."""

    choice: Choice
    text: str  # with placeholders filled
    available: bool
    locked_reason: str = ""


class ChoiceError(ValueError):
    """A choice id that is not open in the current scene (a bug in a front end, or an old save)."""


def new_seed() -> int:
    """A seed for a new game, from the system's source of randomness (not `secrets`: the same
    source, without the 3 ms of imports that `secrets` brings to every game's start)."""
    return random.SystemRandom().randrange(2**31)


def start(scenario: Scenario, role_id: str) -> GameState:
    role = scenario.roles[role_id]
    stats = {name: role.stats.get(name, stat.start) for name, stat in scenario.stats.items()}
    blank = GameState(role_id, "", stats, frozenset(), {}, (), (), ())
    return _arrive(scenario, blank, role.start, stats, blank.flags)


def current_scene(scenario: Scenario, state: GameState) -> Scene | None:
    return scenario.scenes.get(state.place)


def current_ending(scenario: Scenario, state: GameState) -> Ending | None:
    return scenario.endings.get(state.place)


def fill(scenario: Scenario, state: GameState, text: str) -> str:
    """Author text as this state shows it: each `{if ...}` decided, each `{stat}` and `{flag}` filled."""
    template = scenario.texts.get(text)
    if template is not None:
        return render_template(template, state)
    return render(text, state.stats, state.flags, scenario.flags)


def taken_in(state: GameState, scene_id: str) -> frozenset[str]:
    """The ids of the choices taken so far in a scene (`path[i]` is where choice i was made)."""
    return frozenset(choice for place, choice in zip(state.path, state.choices) if place == scene_id)


def outcome_weights(choice: Choice, state: GameState) -> list[int]:
    """Each outcome's weight in this state (0: it cannot happen here), read before the choice's `do`."""
    return [outcome.weight if outcome.fixed else _weight(outcome, state) for outcome in choice.outcomes]


def _weight(outcome: Outcome, state: GameState) -> int:
    if outcome.condition is not None and not evaluate(outcome.condition, state):
        return 0
    if outcome.weight_expr is None:
        return outcome.weight
    return max(0, number(outcome.weight_expr, state.stats))


def _can_happen(choice: Choice, state: GameState) -> bool:
    """The choice's condition holds, and when it is random, one of its outcomes can happen."""
    if choice.condition is not None and not evaluate(choice.condition, state):
        return False
    return not choice.outcomes or any(outcome_weights(choice, state))


def options(scenario: Scenario, state: GameState) -> list[Option]:
    """The current scene's choices, in order: open ones, and locked ones that have a reason.

    A choice whose condition fails is hidden unless it has `locked` text to explain why; a
    condition that rules out the role being played hides the choice even then. A `once` choice
    already taken here is hidden, and so is a random choice none of whose outcomes can happen
    now. A `fallback` choice is open only when no other choice is, and hidden otherwise.
    """
    scene = scenario.scenes.get(state.place)
    if scene is None:
        return []
    taken = taken_in(state, scene.id) if any(choice.once for choice in scene.choices) else frozenset()
    verdicts: list[Option | None] = []
    any_open = False
    for choice in scene.choices:
        if choice.once and choice.id in taken:
            verdicts.append(None)
        elif choice.fallback:
            verdicts.append(Option(choice, "", _can_happen(choice, state)))  # decided below
        elif _can_happen(choice, state):
            verdicts.append(Option(choice, fill(scenario, state, choice.text), True))
            any_open = True
        elif (choice.locked and choice.condition is not None and not evaluate(choice.condition, state)
              and not rules_out_role(choice.condition, state.role)):
            verdicts.append(Option(choice, fill(scenario, state, choice.text), False,
                                   fill(scenario, state, choice.locked)))
        else:
            verdicts.append(None)
    shown = []
    for verdict in verdicts:
        if verdict is None:
            continue
        if verdict.choice.fallback:
            if any_open or not verdict.available:
                continue
            verdict = Option(verdict.choice, fill(scenario, state, verdict.choice.text), True)
        shown.append(verdict)
    return shown


def numbered(options: Sequence[Option]) -> list[tuple[int | None, Option]]:
    """Each option with its number as the player types it: open ones count from 1, locked get None.

    The one choice numbering of the project: the front ends, transcripts and routes all use it.
    """
    result: list[tuple[int | None, Option]] = []
    number = 0
    for option in options:
        if option.available:
            number += 1
            result.append((number, option))
        else:
            result.append((None, option))
    return result


def advance(scenario: Scenario, state: GameState, choice_id: str, seed: int) -> GameState:
    """The state after taking an open choice; ChoiceError if it is not open here."""
    for option in options(scenario, state):
        if option.choice.id == choice_id:
            if not option.available:
                raise ChoiceError(f"the choice '{choice_id}' is locked: {option.locked_reason}")
            return _take(scenario, state, option.choice, seed)
    raise ChoiceError(f"there is no open choice '{choice_id}' in '{state.place}'")


def draw_outcome_index(weights: list[int], seed: int, step: int) -> int:
    """A weighted draw that depends only on the game's seed and the step number."""
    roll = random.Random(f"{seed}:{step}").random() * sum(weights)
    for index, weight in enumerate(weights):
        roll -= weight
        if roll < 0:
            return index
    return max(index for index, weight in enumerate(weights) if weight > 0)  # rounding: the last that can happen


def _take(scenario: Scenario, state: GameState, choice: Choice, seed: int) -> GameState:
    index = draw_outcome_index(outcome_weights(choice, state), seed, len(state.choices)) if choice.outcomes else -1
    return take_outcome(scenario, state, choice, index)


def take_outcome(scenario: Scenario, state: GameState, choice: Choice, index: int) -> GameState:
    """The state after `choice` with its outcome number `index` (-1 for a plain goto), whatever a
    draw would give: how the tools walk a path whose outcomes are known."""
    stats, flags = apply_effects(scenario, state.stats, state.flags, choice.effects)
    target = choice.goto
    if choice.outcomes:
        outcome = choice.outcomes[index]
        stats, flags = apply_effects(scenario, stats, flags, outcome.effects)
        target = outcome.goto
    moved = GameState(state.role, state.place, stats, flags, state.visits, state.known, state.path,
                      state.choices + (choice.id,))
    return _arrive(scenario, moved, target, stats, flags)


def apply_effects(scenario: Scenario, stats: dict[str, int], flags: frozenset[str],
                  effects: tuple[Effect, ...]) -> tuple[dict[str, int], frozenset[str]]:
    """Stats and flags after `effects`, each stat clamped to its range; the inputs are not changed.

    Args:
        scenario: the scenario whose stat ranges apply.
        stats: the stat values before.
        flags: the flags set before.
        effects: the effects, applied in order.

    Returns:
        The new stats and flags (the same objects when there are no effects).
    """
    if not effects:
        return stats, flags
    stats = dict(stats)
    set_flags = set(flags)
    for effect in effects:
        if effect.name in stats:
            value = int(effect.value) if effect.amount is None else number(effect.amount, stats)
            if effect.op == "+=":
                value = stats[effect.name] + value
            elif effect.op == "-=":
                value = stats[effect.name] - value
            stats[effect.name] = scenario.stats[effect.name].clamp(value)
        elif effect.value:
            set_flags.add(effect.name)
        else:
            set_flags.discard(effect.name)
    return stats, frozenset(set_flags)


def _arrive(scenario: Scenario, state: GameState, place: str, stats: dict[str, int],
            flags: frozenset[str]) -> GameState:
    visits = dict(state.visits)
    visits[place] = visits.get(place, 0) + 1
    target = scenario.scenes.get(place) or scenario.endings[place]
    known = state.known
    new_facts = [fact for fact in target.reveals if fact not in known]
    if new_facts:
        known = known + tuple(new_facts)
    return GameState(state.role, place, stats, flags, visits, known, state.path + (place,), state.choices)


class Game:
    """One game in progress: the scenario, the seed, the current state and the undo history."""

    def __init__(self, scenario: Scenario, role_id: str, seed: int | None = None) -> None:
        if role_id not in scenario.roles:
            raise ChoiceError(f"the scenario has no role '{role_id}'")
        self.scenario = scenario
        self.seed = new_seed() if seed is None else seed
        self.state = start(scenario, role_id)
        self._history: list[GameState] = []

    @property
    def role(self) -> str:
        return self.state.role

    @property
    def scene(self) -> Scene | None:
        return current_scene(self.scenario, self.state)

    @property
    def ending(self) -> Ending | None:
        return current_ending(self.scenario, self.state)

    @property
    def over(self) -> bool:
        return self.state.place in self.scenario.endings

    def options(self) -> list[Option]:
        return options(self.scenario, self.state)

    def fill(self, text: str) -> str:
        return fill(self.scenario, self.state, text)

    def choose(self, choice_id: str) -> GameState:
        next_state = advance(self.scenario, self.state, choice_id, self.seed)
        self._history.append(self.state)
        if len(self._history) > UNDO_DEPTH:
            del self._history[0]
        self.state = next_state
        return next_state

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self) -> bool:
        """Go back one choice; False when there is nothing to undo."""
        if not self._history:
            return False
        self.state = self._history.pop()
        return True
