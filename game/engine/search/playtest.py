"""The random playtest: many seeded games played fast, with what they covered.

Game number i of a run gets its own seed, drawn from the run's seed, and plays the roles in turn.
Random outcomes are drawn exactly as the engine draws them (`state.draw_outcome_index`, from the
game's seed and the step), so a game replays in `longarm play --plain` with its seed and its
choices. The choices themselves are picked by the run: by default the open choice taken least
often so far (coverage first, ties broken at random), or uniformly at random. Because coverage
picks depend on the games before, each game records its choice ids for replay.

A game ends at an ending, when no choice is open (stuck: certainly a trap), or after a cap on its
steps (which loops reach; it may or may not be a trap).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from game.engine.search.analysis import CompiledChoice, Machine, compile_role, everything
from game.engine.limits import DEFAULT_MAX_STEPS
from game.engine.runtime.model import Scenario
from game.engine.search.routes import Step
from game.engine.runtime.state import draw_outcome_index

ENDED, STUCK, CAPPED = "ending", "stuck", "step cap"


@dataclass(frozen=True, slots=True)
class RandomGame:
    number: int  # 1-based, in the order played
    role: str
    seed: int
    taken: tuple[tuple[int, int], ...]  # (choice index, outcome index or -1) for each choice taken
    result: str  # ENDED, STUCK or CAPPED
    place: str  # the ending reached, or where the game stopped
    choices: tuple[CompiledChoice, ...] = field(repr=False, compare=False)  # names the indices

    @property
    def steps(self) -> tuple[Step, ...]:
        found = []
        for index, outcome in self.taken:
            compiled = self.choices[index]
            found.append(Step(compiled.scene, compiled.choice.id, outcome, len(compiled.choice.outcomes),
                              compiled.branches[max(outcome, 0)].target))
        return tuple(found)

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(self.choices[index].choice.id for index, _ in self.taken)


@dataclass(frozen=True, slots=True)
class RandomRun:
    scenario: Scenario
    seed: int
    coverage: bool  # least-taken first; False: uniform
    max_steps: int
    games: tuple[RandomGame, ...]
    place_hits: dict[str, int]  # arrivals at each scene and ending (starts included)
    choice_hits: dict[tuple[str, str], int]  # (scene, choice id) -> times taken
    endings: dict[str, dict[str, int]]  # role -> ending -> games
    stat_ranges: dict[str, tuple[int, int]]  # lowest and highest value seen

    @property
    def stuck(self) -> tuple[RandomGame, ...]:
        return tuple(game for game in self.games if game.result == STUCK)

    @property
    def capped(self) -> tuple[RandomGame, ...]:
        return tuple(game for game in self.games if game.result == CAPPED)

    @property
    def ok(self) -> bool:
        """No game got stuck: random play can prove a trap, never prove one absent."""
        return not self.stuck


def game_seeds(seed: int, count: int) -> list[int]:
    """The seeds of a run's games: game i's seed depends only on the run's seed and i."""
    generator = random.Random(f"longarm-playtest:{seed}")
    return [generator.randrange(2**31) for _ in range(count)]


def play_random(scenario: Scenario, games: int, seed: int, *, coverage: bool = True,
                max_steps: int = DEFAULT_MAX_STEPS, roles: list[str] | None = None) -> RandomRun:
    """Play `games` games, the roles in turn, and gather hits, endings and stat ranges."""
    roles = roles or list(scenario.roles)
    reads = everything(scenario)
    machines = [compile_role(scenario, role, reads) for role in roles]
    layout = machines[0].layout
    place_mask, scene_count = layout.place_mask, layout.scene_count
    # Per machine and place: the choices that can ever be open, as (index, test, steps, weights);
    # weights is None for a plain goto, and a function of the state when they depend on it.
    tables = [[tuple((c.index, c.test, tuple(b.step for b in c.branches),
                      (c.weigh or c.weights) if c.choice.outcomes else None)
                     for c in machine.by_place[place] if not c.never)
               for place in range(len(layout.places))] for machine in machines]
    place_hits = [0] * len(layout.places)
    choice_hits = [0] * len(machines[0].choices)
    picker = random.Random(f"longarm-playtest-picks:{seed}")
    pick, below = picker.choice, picker.randrange
    seen: set[int] = set()
    records = []
    for number, game_seed in enumerate(game_seeds(seed, games)):
        which = number % len(machines)
        table = tables[which]
        state = machines[which].start
        place_hits[state & place_mask] += 1
        seen.add(state)
        taken: list[tuple[int, int]] = []
        result = ENDED
        while (state & place_mask) < scene_count:
            if len(taken) >= max_steps:
                result = CAPPED
                break
            open_now = [entry for entry in table[state & place_mask] if entry[1] is None or entry[1](state)]
            if not open_now:
                result = STUCK
                break
            if len(open_now) == 1:
                chosen = open_now[0]
            elif coverage:
                fewest = min(choice_hits[entry[0]] for entry in open_now)
                least = [entry for entry in open_now if choice_hits[entry[0]] == fewest]
                chosen = least[0] if len(least) == 1 else pick(least)
            else:
                chosen = open_now[below(len(open_now))]
            index, _, steps, weights = chosen
            choice_hits[index] += 1
            if weights is None:
                outcome = -1
                state = steps[0](state)
            else:  # one outcome is always drawn; more are drawn as the engine draws them
                if callable(weights):
                    weights = weights(state)
                outcome = 0 if len(weights) == 1 else draw_outcome_index(weights, game_seed, len(taken))
                state = steps[outcome](state)
            taken.append((index, outcome))
            place_hits[state & place_mask] += 1
            seen.add(state)
        records.append((number, which, game_seed, taken, result, state))
    return _gather(scenario, seed, coverage, max_steps, machines, records, place_hits, choice_hits, seen)


def _gather(scenario: Scenario, seed: int, coverage: bool, max_steps: int, machines: list[Machine],
            records: list[tuple[int, int, int, list[tuple[int, int]], str, int]], place_hits: list[int],
            choice_hits: list[int], seen: set[int]) -> RandomRun:
    """Turn the hot loop's integers back into names."""
    layout = machines[0].layout
    choices = machines[0].choices
    games = []
    endings: dict[str, dict[str, int]] = {machine.role: {} for machine in machines}
    for number, which, game_seed, taken, result, state in records:
        role = machines[which].role
        place = layout.places[state & layout.place_mask]
        if result == ENDED:
            endings[role][place] = endings[role].get(place, 0) + 1
        games.append(RandomGame(number + 1, role, game_seed, tuple(taken), result, place, choices))
    ranges: dict[str, tuple[int, int]] = {}
    for position, stat in enumerate(layout.stats):
        values = {layout.stat_value(state, position) for state in seen}
        ranges[stat.name] = (min(values), max(values))
    return RandomRun(
        scenario, seed, coverage, max_steps, tuple(games),
        {place: place_hits[i] for i, place in enumerate(layout.places)},
        {(c.scene, c.choice.id): choice_hits[c.index] for c in choices},
        {role: dict(sorted(found.items(), key=lambda kv: layout.numbers[kv[0]])) for role, found in endings.items()},
        ranges)
