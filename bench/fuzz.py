"""Fuzz the loader, the playtests and the plain player with mutated scenarios, each run bounded.

    python bench/fuzz.py [--cases 12000] [--seed 1] [--workers 2] [--timeout 5] [--memory-mb 1024]

Each case is one of the shipped scenarios or the `longarm new` scaffold with one to four
mutations (`tests/fuzz/mutations.py`, the same edits the property test draws), run through
`load_scenario`, then, when it loads, the exhaustive playtest (`--max-states` per role), the random
playtest and the plain player on random input for each role. Cases run in worker processes, each
limited to `--memory-mb` of address space (`resource.setrlimit(RLIMIT_AS)`); a case still running
after `--timeout` seconds is a hang, and its worker is killed and replaced.

It prints how many cases loaded and were refused, then the three counts issue 15 asks to be zero:
uncaught exceptions (a LA099 from the loader's guard counts as one), hangs over the timeout, and
runs over the memory limit (a MemoryError, or a worker that died); then the slowest cases. Every
failure is printed with what replays it: the scenario, its mutations and its seed. Exit status 1
when any count is not zero.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "fuzz"))  # the mutations, shared with the property test

from mutations import OPERATORS, Caps, Mutation, mutate, run_case  # noqa: E402

#: Operators that keep a file loading, drawn as often as all the others together, so that the
#: searches and the player see heavy valid input and not only what the loader refuses.
LOADING_OPERATORS = (13, 14, 15, 16, 17)


@dataclass(frozen=True, slots=True)
class Case:
    number: int
    source: int  # index into the texts: 0 is the scaffold, then the shipped scenarios
    mutations: tuple[Mutation, ...]
    seed: int


@dataclass
class Tally:
    outcomes: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, Case, str]] = field(default_factory=list)
    durations: list[tuple[float, Case]] = field(default_factory=list)

    def add(self, outcome: str, case: Case, seconds: float, detail: str = "") -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        self.durations.append((seconds, case))
        if outcome in ("exception", "hang", "memory"):
            self.failures.append((outcome, case, detail))


def sources() -> tuple[list[str], list[str]]:
    """The texts mutated (the scaffold first, then the shipped scenarios) and their names."""
    from game.tools.scaffold import template

    shipped = sorted((REPO / "scenarios").glob("*.yaml"))
    scaffold = template("night-bus", Path(tempfile.gettempdir()) / "scenarios" / "night-bus.yaml")
    return ([scaffold, *(path.read_text(encoding="utf-8") for path in shipped)],
            ["longarm new night-bus", *(path.name for path in shipped)])


def make_cases(count: int, seed: int, texts: int) -> list[Case]:
    draw = random.Random(f"longarm-fuzz:{seed}")
    cases = []
    for number in range(count):
        mutations = tuple((draw.choice(LOADING_OPERATORS) if draw.random() < 0.5 else draw.randrange(OPERATORS),
                           draw.randrange(100_000), draw.randrange(100_000)) for _ in range(draw.randint(1, 4)))
        cases.append(Case(number, draw.randrange(texts), mutations, draw.randrange(1_000_000)))
    return cases


# ---------------------------------------------------------------------------- the worker


def work(connection: Connection, folder: str, texts: list[str], caps: Caps, memory: int) -> None:
    """Run cases sent down the pipe until told to stop, within `memory` bytes of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    project = Path(folder)
    path = project / "scenarios" / "fuzzed.yaml"
    while True:
        case: Case | None = connection.recv()
        if case is None:
            return
        started = time.perf_counter()
        try:
            outcome, detail = run_case(path, mutate(texts[case.source], case.mutations), case.seed, caps), ""
        except MemoryError:
            outcome, detail = "memory", "MemoryError"
        except Exception:  # noqa: BLE001 - what the fuzzer is looking for
            outcome, detail = "exception", traceback.format_exc(limit=-6)
        connection.send((outcome, detail, time.perf_counter() - started))
        if outcome == "memory":
            return  # the heap may be left in pieces: a fresh worker takes over


@dataclass
class Worker:
    process: multiprocessing.Process
    connection: Connection
    folder: str
    case: Case | None = None
    started: float = 0.0


def start_worker(texts: list[str], caps: Caps, memory: int) -> Worker:
    folder = tempfile.mkdtemp(prefix="longarm-fuzz-")
    (Path(folder) / "scenarios").mkdir()
    shutil.copytree(REPO / "seeds", Path(folder) / "seeds")
    shutil.copytree(REPO / "scenarios" / "shared", Path(folder) / "scenarios" / "shared")  # what the stories include
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.Process(target=work, args=(theirs, folder, texts, caps, memory), daemon=True)
    process.start()
    theirs.close()
    return Worker(process, ours, folder)


def stop_worker(worker: Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    worker.connection.close()
    shutil.rmtree(worker.folder, ignore_errors=True)


def run(cases: list[Case], texts: list[str], caps: Caps, workers: int, timeout: float, memory: int,
        progress: bool) -> Tally:
    tally = Tally()
    pending = list(reversed(cases))
    pool = [start_worker(texts, caps, memory) for _ in range(workers)]
    done = 0
    try:
        while pending or any(worker.case is not None for worker in pool):
            for worker in pool:
                if worker.case is None and pending:
                    worker.case, worker.started = pending.pop(), time.perf_counter()
                    worker.connection.send(worker.case)
            busy = [worker for worker in pool if worker.case is not None]
            deadline = min(worker.started for worker in busy) + timeout
            ready = wait([worker.connection for worker in busy], timeout=max(0.0, deadline - time.perf_counter()))
            for index, worker in enumerate(pool):
                if worker.case is None:
                    continue
                case, elapsed = worker.case, time.perf_counter() - worker.started
                if worker.connection in ready:
                    try:
                        outcome, detail, seconds = worker.connection.recv()
                    except EOFError:  # the worker died: killed for its memory, or worse
                        code = worker.process.exitcode if worker.process.join(1) is None else None
                        outcome, detail, seconds = "memory", f"the worker died (exit code {code})", elapsed
                elif elapsed > timeout:
                    outcome, detail, seconds = "hang", f"still running after {timeout:g} s", elapsed
                else:
                    continue
                tally.add(outcome, case, seconds, detail)
                worker.case = None
                done += 1
                if outcome in ("hang", "memory") or not worker.process.is_alive():
                    stop_worker(worker)
                    pool[index] = start_worker(texts, caps, memory)
            if progress and done and done % 500 == 0:
                print(f"  {done:,} cases", file=sys.stderr, flush=True)
    finally:
        for worker in pool:
            if worker.process.is_alive():
                worker.connection.send(None)
            stop_worker(worker)
    return tally


def report(tally: Tally, names: list[str], cases: int, seconds: float, args: argparse.Namespace) -> int:
    count = tally.outcomes.get
    print(f"{cases:,} mutated scenarios in {seconds:,.0f} s ({args.workers} workers; caps: {args.max_states:,} states, "
          f"{args.games} games of {args.max_steps} steps, {args.timeout:g} s and {args.memory_mb:,} MB a case)")
    rows = [("loaded and played", count("loaded", 0)), ("refused with problems", count("refused", 0)),
            ("uncaught exceptions", count("exception", 0)), (f"hangs over {args.timeout:g} s", count("hang", 0)),
            (f"runs over {args.memory_mb:,} MB", count("memory", 0))]
    for label, number in rows:
        print(f"  {label + ':':<24}{number:>8,}")
    slowest = sorted(tally.durations, key=lambda item: item[0], reverse=True)
    durations = sorted(seconds for seconds, _ in tally.durations)
    if durations:
        print(f"  time a case: median {durations[len(durations) // 2] * 1000:,.0f} ms, "
              f"99th percentile {durations[int(len(durations) * 0.99)] * 1000:,.0f} ms, "
              f"slowest {durations[-1] * 1000:,.0f} ms ({names[slowest[0][1].source]}, "
              f"mutations {list(slowest[0][1].mutations)}, seed {slowest[0][1].seed})")
    for outcome, case, detail in tally.failures[:20]:
        print(f"\n{outcome.upper()} case {case.number}: {names[case.source]}, mutations {list(case.mutations)}, "
              f"seed {case.seed}\n{detail.rstrip()}")
    return 1 if tally.failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=12_000, help="how many mutated scenarios (default 12,000)")
    parser.add_argument("--seed", type=int, default=1, help="the run's seed: the same seed, the same cases")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="worker processes (default: CPUs)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds a case may take (default 5)")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address space of a worker (default 1,024 MB)")
    parser.add_argument("--max-states", type=int, default=20_000, help="the exhaustive search's cap per role")
    parser.add_argument("--games", type=int, default=100, help="random games a case")
    parser.add_argument("--max-steps", type=int, default=200, help="steps a random game")
    args = parser.parse_args(argv)
    os.environ["LONGARM_NO_CACHE"] = "1"  # every load is a full load; nothing is written to the cache
    os.environ["LONGARM_DATA_DIR"] = tempfile.mkdtemp(prefix="longarm-fuzz-data-")
    texts, names = sources()
    cases = make_cases(args.cases, args.seed, len(texts))
    caps = Caps(max_states=args.max_states, games=args.games, max_steps=args.max_steps)
    started = time.perf_counter()
    tally = run(cases, texts, caps, args.workers, args.timeout, args.memory_mb * 1024 * 1024, sys.stderr.isatty())
    return report(tally, names, len(cases), time.perf_counter() - started, args)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    sys.exit(main())
