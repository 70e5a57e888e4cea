"""Benchmark: the random and the exhaustive playtest, each beside a baseline measured in the same run.

Random playtest, on a shipped scenario (`arrival-hall` unless --scenario says otherwise):
- `play_random`, coverage first, N games: the compiled fast path (analysis.py);
- baseline: the same playtest written directly on the engine's `state.Game` (the same game
  seeds, the same least-taken-first policy), as the players' front ends play.
Target: at least 5,000 complete games per CPU second on one core.

Exhaustive playtest, on a synthetic scenario from `bench/synthetic.py` (30 scenes, seed 7: each
role's search passes a million states):
- `explore`: every reachable state of both roles, with traps, coverage and shortest paths;
- baseline: a bare breadth-first search over the same scene graph, no state at all
  (`graph.reachable_from` on `graph.successors`), repeated until it has run for a while.
Targets: at least 200,000 states per CPU second, and each one-million-state search in under
10 seconds of wall time.

Times are wall (perf_counter) and process CPU time; rates use CPU time.

    python bench/playtest.py [--games 20000] [--scenario arrival-hall] [--scenes 30 --seed 7]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The load cache goes to a temp folder, set before the engine is imported.
_CACHE = tempfile.TemporaryDirectory(prefix="longarm-bench-cache-")
os.environ["LONGARM_CACHE_DIR"] = _CACHE.name

from bench.synthetic import write_synthetic  # noqa: E402
from game.engine.loader import catalog, graph  # noqa: E402
from game.engine.search.explore import explore  # noqa: E402
from game.engine.limits import DEFAULT_MAX_STEPS  # noqa: E402
from game.engine.loader.load import load_scenario  # noqa: E402
from game.engine.runtime.model import Scenario  # noqa: E402
from game.engine.search.playtest import game_seeds, play_random  # noqa: E402
from game.engine.runtime.state import Game  # noqa: E402

GAMES_PER_SECOND_TARGET = 5_000
STATES_PER_SECOND_TARGET = 200_000
MILLION_STATE_SECONDS_TARGET = 10.0


T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """The action's result, its wall seconds and its CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def engine_playtest(scenario: Scenario, games: int, seed: int) -> int:
    """The baseline: the same random playtest written directly on the engine's `state.Game`.

    The same game seeds, roles in turn, least-taken open choice first; returns the choices taken.
    """
    roles = list(scenario.roles)
    hits: dict[tuple[str, str], int] = {}
    picker = random.Random(f"bench-engine:{seed}")
    taken = 0
    for number, game_seed in enumerate(game_seeds(seed, games)):
        game = Game(scenario, roles[number % len(roles)], game_seed)
        while not game.over and len(game.state.choices) < DEFAULT_MAX_STEPS:
            open_ids = [option.choice.id for option in game.options() if option.available]
            if not open_ids:
                break
            place = game.state.place
            fewest = min(hits.get((place, choice), 0) for choice in open_ids)
            least = [choice for choice in open_ids if hits.get((place, choice), 0) == fewest]
            choice = least[0] if len(least) == 1 else picker.choice(least)
            hits[(place, choice)] = hits.get((place, choice), 0) + 1
            game.choose(choice)
            taken += 1
    return taken


def bench_random(name: str, games: int, baseline_games: int) -> bool:
    path = catalog.resolve(name)
    assert path is not None, f"no scenario {name}"
    scenario = load_scenario(path).scenario
    assert scenario is not None, f"{name} does not load"
    play_random(scenario, 200, seed=99)  # warm up: imports, first compile
    run, wall, cpu = timed(lambda: play_random(scenario, games, seed=1))
    choices = sum(len(game.taken) for game in run.games)
    base_choices, base_wall, base_cpu = timed(lambda: engine_playtest(scenario, baseline_games, seed=1))
    fast_rate = games / cpu
    base_rate = baseline_games / base_cpu
    print(f"Random playtest: {scenario.id}, {len(scenario.scenes)} scenes, {len(scenario.roles)} roles, "
          f"least-taken choice first")
    print(f"  {'':46} {'games':>7} {'choices':>9} {'wall s':>7} {'cpu s':>7} {'games/cpu s':>12} {'ratio':>7}")
    print(f"  {'the same playtest on state.Game (baseline)':46} {baseline_games:>7,} {base_choices:>9,} "
          f"{base_wall:7.3f} {base_cpu:7.3f} {base_rate:12,.0f} {1:6.1f}x")
    print(f"  {'play_random, compiled':46} {games:>7,} {choices:>9,} {wall:7.3f} {cpu:7.3f} "
          f"{fast_rate:12,.0f} {fast_rate / base_rate:6.1f}x")
    ok = fast_rate >= GAMES_PER_SECOND_TARGET
    print(f"  target: at least {GAMES_PER_SECOND_TARGET:,} games per CPU second: {verdict(ok)}")
    return ok


def bench_exhaustive(scenes: int, seed: int) -> bool:
    with tempfile.TemporaryDirectory(prefix="longarm-bench-") as temp:
        root = Path(temp)
        shutil.copytree(REPO / "seeds", root / "seeds")
        path = write_synthetic(root / "scenarios" / "synthetic.yaml", scenes=scenes, seed=seed)
        scenario = load_scenario(path, use_cache=False).scenario
    assert scenario is not None

    starts = [role.start for role in scenario.roles.values()]
    edges = graph.successors(scenario)
    runs = 0
    nodes = 0
    base_wall, base_cpu = time.perf_counter(), time.process_time()
    while time.process_time() - base_cpu < 1.0:
        nodes += len(graph.reachable_from(starts, edges))
        runs += 1
    base_wall, base_cpu = time.perf_counter() - base_wall, time.process_time() - base_cpu
    base_rate = nodes / base_cpu

    per_role = []
    for role in scenario.roles:
        alone, wall, cpu = timed(partial(explore, scenario, [role]))
        per_role.append((role, alone.states, wall, cpu))
    found, wall, cpu = timed(lambda: explore(scenario))
    states = found.states
    rate = states / cpu
    print(f"Exhaustive playtest: synthetic scenario, {scenes} scenes (seed {seed}), "
          f"{len(scenario.roles)} roles, {sum(len(s.choices) for s in scenario.scenes.values())} choices")
    print(f"  {'':50} {'visited':>10} {'wall s':>8} {'cpu s':>8} {'per cpu s':>12} {'ratio':>8}")
    label = f"bare BFS over the scene graph, x{runs:,} (baseline)"
    print(f"  {label:50} {nodes:>10,} {base_wall:8.3f} {base_cpu:8.3f} "
          f"{base_rate:12,.0f} {1:7.1f}x")
    for role, role_states, role_wall, role_cpu in per_role:
        print(f"  {f'explore, role {role} alone':50} {role_states:>10,} {role_wall:8.3f} {role_cpu:8.3f} "
              f"{role_states / role_cpu:12,.0f} {role_states / role_cpu / base_rate:7.2f}x")
    print(f"  {'explore, every role (states, traps, paths)':50} {states:>10,} {wall:8.3f} {cpu:8.3f} "
          f"{rate:12,.0f} {rate / base_rate:7.2f}x")
    rate_ok = rate >= STATES_PER_SECOND_TARGET
    million = [(role, role_states, role_wall) for role, role_states, role_wall, _ in per_role if role_states >= 1_000_000]
    million_ok = bool(million) and all(role_wall < MILLION_STATE_SECONDS_TARGET for _, _, role_wall in million)
    print(f"  target: at least {STATES_PER_SECOND_TARGET:,} states per CPU second: {verdict(rate_ok)}")
    print(f"  target: a search of a million states in under {MILLION_STATE_SECONDS_TARGET:g} s wall: "
          + (", ".join(f"{role} {n:,} states in {w:.1f} s" for role, n, w in million) or "no role reached a million")
          + f": {verdict(million_ok)}")
    assert not found.capped
    return rate_ok and million_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--games", type=int, default=20_000, help="random games to play (default 20,000)")
    parser.add_argument("--baseline-games", type=int, default=2_000, help="games for the engine baseline (default 2,000)")
    parser.add_argument("--scenario", default="arrival-hall", help="the scenario for the random playtest")
    parser.add_argument("--scenes", type=int, default=30, help="scenes in the synthetic exhaustive benchmark")
    parser.add_argument("--seed", type=int, default=7, help="the synthetic generator's seed")
    args = parser.parse_args()
    random_ok = bench_random(args.scenario, args.games, args.baseline_games)
    print()
    exhaustive_ok = bench_exhaustive(args.scenes, args.seed)
    _CACHE.cleanup()
    return 0 if random_ok and exhaustive_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
