"""Benchmark: a class of 1,000 simulated students through nginx to `longarm serve` nodes on one
PostgreSQL, on this machine; then the store at 100,000 games.

Everything runs here, on loopback: a PostgreSQL cluster of its own (Debian's server binaries, fsync
on: every commit is on disk), nginx (Debian's package) in front, and the nodes, all started in temp
folders and stopped at the end. Each student is an aiohttp client with its own cookies: it joins
(the class joins over the first `--join-seconds`), picks a story and a role at random, reads each
scene for a few seconds (`--read-min` to `--read-max`, seeded), takes a choice at random, and at
the ending writes an answer to every question and saves them. Every request has a timeout and the
run a deadline; a request that fails, times out, or answers an unexpected page is an error.

Runs, each with a new class (and a new database), nginx keeping each student on one node (the hash
of their cookie, as docs/deploy.md sets it up):
1. two nodes (the proxy's upstream), 2. one node (the ratio), 3. two nodes, and one killed with
kill -9 halfway through: its students must carry on through the other; with `--round-robin`, also
two nodes taking turns (each request of a student on the other node).
For each: errors, games and answers in the store against those the students made, choice latency
(a choice's POST to the next page drawn, through the redirect) p50/p95/p99, choices a second, and
each node's peak memory.

With `--saturate N`: N students with no reading time at all, on one node and then on two, for the
most choices a second this machine serves (its two cores shared by everything above).

Then the store at `--games` games: bulk inserts (COPY) of synthetic finished games with their
choices and answers into run 1's database, spread over classes of 30, and the times of the class
report and of the teacher's page of run 1's class of 1,000 (through nginx; median of 3).

    python bench/scale.py [--students 1000] [--games 100000] [--seed 1] [--skip-kill] [--skip-one]

Exit 1 when a run has an error or lost a write, or a time is over a second.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from services import (  # noqa: E402
    Cluster,
    Node,
    free_port,
    missing_services,
    nginx_proxy,
    postgres_cluster,
    serve_nodes,
)

from game.classroom.stores import open_store  # noqa: E402

PREFIX = "/longarm"
TEACHER_CODE = "BENCH-TEACHER-CODE"
REQUEST_TIMEOUT = 30.0
MAX_CHOICES = 120  # a game longer than this is a stuck game: an error

_TOKEN = re.compile(r'name="token" value="([^"]+)"')
_STEP = re.compile(r'name="step" value="(\d+)"')
_CHOICE = re.compile(r'<button type="submit" name="choice" value="([^"]+)"')
_START = re.compile(r'name="scenario" value="([^"]+)">\s*<ul class="roles">(.*?)</ul>', re.DOTALL)
_ROLE = re.compile(r'name="role" value="([^"]+)"')
_ANSWER = re.compile(r'<textarea id="[^"]+" name="(answer-\d+)"')
_JOIN_TOKEN = re.compile(r'<form method="post" action="[^"]*/join" id="join-form">\s*'
                         r'<input type="hidden" name="token" value="([^"]+)">')


@dataclass
class Tally:
    """What the students of one run did and saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    games: int = 0
    choices: int = 0
    answers: int = 0
    finished: int = 0


class Student:
    """One simulated student: an HTTP client with its own cookies, through the proxy."""

    def __init__(self, number: int, base: str, class_code: str, rng: random.Random, tally: Tally,
                 reading: tuple[float, float]) -> None:
        self.number = number
        self.base = base
        self.class_code = class_code
        self.rng = rng
        self.tally = tally
        self.reading = reading
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(limit=2))

    async def get(self, path: str) -> str:
        async with self.session.get(self.base + PREFIX + path) as response:
            text = await response.text()
            if response.status != 200:
                raise RuntimeError(f"GET {path}: {response.status}")
            return text

    async def post(self, path: str, data: dict[str, str]) -> str:
        async with self.session.post(self.base + PREFIX + path, data=data, headers={"Origin": self.base}) as response:
            text = await response.text()
            if response.status != 200:
                raise RuntimeError(f"POST {path}: {response.status}")
            return text

    async def read(self) -> None:
        await asyncio.sleep(self.rng.uniform(*self.reading))

    async def play(self, start_after: float) -> None:
        try:
            await asyncio.sleep(start_after)
            page = await self.get("/")
            token = _JOIN_TOKEN.search(page)
            if token is None:
                raise RuntimeError("no join form")
            page = await self.post("/join", {"token": token.group(1), "code": self.class_code,
                                             "name": f"Student {self.number}"})
            stories = _START.findall(page)
            if not stories:
                raise RuntimeError("no story to pick")
            scenario, roles = self.rng.choice(stories)
            role = self.rng.choice(_ROLE.findall(roles))
            await self.read()
            page = await self.post("/play/start", {"token": _TOKEN.search(page).group(1),  # type: ignore[union-attr]
                                                   "scenario": scenario, "role": role})
            self.tally.games += 1
            for _ in range(MAX_CHOICES):
                if "Questions to discuss" in page:
                    break
                choices = _CHOICE.findall(page)
                step = _STEP.search(page)
                if not choices or step is None:
                    raise RuntimeError("a scene without a choice")
                await self.read()
                started = time.perf_counter()
                page = await self.post("/play/choose", {"token": _TOKEN.search(page).group(1),  # type: ignore[union-attr]
                                                        "step": step.group(1), "choice": self.rng.choice(choices)})
                self.tally.latencies.append(time.perf_counter() - started)
                if f'name="step" value="{int(step.group(1)) + 1}"' not in page and "Questions to discuss" not in page:
                    raise RuntimeError("the choice was not taken")
                self.tally.choices += 1
            else:
                raise RuntimeError("no ending")
            self.tally.finished += 1
            fields = _ANSWER.findall(page)
            await self.read()
            token = re.search(r'action="[^"]*/play/answers" id="answers">\s*<input type="hidden" name="token" '
                              r'value="([^"]+)"', page)
            data = {"token": token.group(1) if token else "", "then": "stay"}
            data.update({name: f"Student {self.number}: an answer to {name}." for name in fields})
            page = await self.post("/play/answers", data)
            if "Your answers are saved." not in page:
                raise RuntimeError("the answers were not saved")
            self.tally.answers += len(fields)
        except Exception as error:  # noqa: BLE001 - every failure is counted, none stops the class
            self.tally.errors.append(f"student {self.number}: {type(error).__name__}: {error}")
        finally:
            await self.session.close()


@dataclass
class RunResult:
    name: str
    tally: Tally
    seconds: float
    memory: list[tuple[float, float]]  # per node: (RSS at start, peak RSS) in MB
    stored_games: int
    stored_finished: int
    stored_choices: int
    stored_answers: int
    killed: bool
    sticky: bool


async def run_class(name: str, cluster: Cluster, nodes_count: int, students: int, seed: int,
                    reading: tuple[float, float], join_seconds: float, kill: bool, folder: Path,
                    sticky: bool = True) -> tuple[RunResult, str, str]:
    """One class through nginx to `nodes_count` nodes; the result, the database and the class code."""
    address = cluster.new_database("bench")
    class_code = f"BENCH-{name.upper()}"
    proxy_port = free_port()
    ports = [free_port() for _ in range(nodes_count)]
    public = f"http://127.0.0.1:{proxy_port}"
    arguments = ["--class", class_code, "--teacher-code", TEACHER_CODE, "--public-url", public + PREFIX,
                 "--base-path", PREFIX, "--trust-proxy", "127.0.0.1"]
    rng = random.Random(seed)
    tally = Tally()
    with serve_nodes(ports, address, arguments, folder) as nodes, \
            nginx_proxy(ports, PREFIX, workers=1, port=proxy_port, sticky=sticky):
        start_memory = [node.memory_mb() for node in nodes]
        crowd = [Student(number, public, class_code, random.Random(rng.random()), tally, reading)
                 for number in range(students)]
        started = time.perf_counter()
        plays = [asyncio.create_task(student.play(rng.uniform(0, join_seconds))) for student in crowd]
        killer = asyncio.create_task(_kill_later(nodes[0], reading, join_seconds)) if kill else None
        done, pending = await asyncio.wait(plays, timeout=1800)
        for task in pending:
            task.cancel()
            tally.errors.append("a student did not finish before the run's deadline")
        seconds = time.perf_counter() - started
        killed_peak = await killer if killer is not None else 0.0
        memory = [(before, node.peak_memory_mb() if node.process.poll() is None else killed_peak)
                  for before, node in zip(start_memory, nodes)]
        # Let the nodes land their last writes: each page waited for its own, so there are none.
    store = open_store(address, create=False)
    games = store.games(class_code=class_code)
    store.close()
    result = RunResult(name, tally, seconds, memory, len(games), sum(1 for g in games if g.finished),
                       sum(len(g.choices) for g in games), sum(len(g.answers) for g in games), kill, sticky)
    return result, address, class_code


async def _kill_later(node: Node, reading: tuple[float, float], join_seconds: float) -> float:
    """kill -9 the node in the middle of the class (after everyone joined and a few choices each);
    its peak memory until then."""
    await asyncio.sleep(join_seconds + 4 * sum(reading) / 2)
    peak = node.peak_memory_mb()
    node.kill()
    print(f"  killed node on port {node.port} with SIGKILL at {time.strftime('%H:%M:%S')}", flush=True)
    return peak


def report_run(result: RunResult) -> bool:
    tally = result.tally
    latencies = sorted(tally.latencies)

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")

    ok = (not tally.errors and result.stored_games == tally.games and result.stored_finished == tally.finished
          and result.stored_choices == tally.choices and result.stored_answers == tally.answers)
    print(f"\n== {result.name}: {len(result.memory)} node(s){', one killed mid-run' if result.killed else ''}"
          f"{', nginx taking turns' if not result.sticky else ''}")
    print(f"  errors: {len(tally.errors)}" + (f" (first: {tally.errors[0]})" if tally.errors else ""))
    print(f"  students' games / finished / choices / answers: {tally.games} / {tally.finished} / {tally.choices} "
          f"/ {tally.answers}")
    print(f"  in the store:                                   {result.stored_games} / {result.stored_finished} / "
          f"{result.stored_choices} / {result.stored_answers}  {'all there' if ok else 'MISMATCH'}")
    print(f"  choice latency p50 / p95 / p99: {pct(0.50):.1f} / {pct(0.95):.1f} / {pct(0.99):.1f} ms "
          f"({len(latencies)} choices, {len(latencies) / result.seconds:.0f} a second over {result.seconds:.0f} s)")
    for number, (before, peak) in enumerate(result.memory):
        killed = " (until it was killed)" if result.killed and number == 0 else ""
        print(f"  node {number}: memory {before:.0f} MB at start, peak {peak:.0f} MB{killed}")
    return ok


def fill_store(cluster: Cluster, address: str, games: int, seed: int) -> float:
    """Add `games` finished synthetic games (choices and answers too) in classes of 30, with COPY."""
    import psycopg

    rng = random.Random(seed)
    started = time.perf_counter()
    game_rows, choice_rows, answer_rows = io.StringIO(), io.StringIO(), io.StringIO()
    for number in range(games):
        game_id = str(uuid.UUID(int=rng.getrandbits(128)))
        class_code = f"FILL-{number // 30:05d}"
        stamp = f"2025-0{1 + number % 9}-1{number % 10}T09:{number % 60:02d}:00.000+00:00"
        game_rows.write("\t".join([game_id, "arrival-hall", "Arrival Hall", "journalist", str(number), f"Pupil {number}",
                                   f"student-{number:06x}", class_code, stamp, stamp, "ending-released", "hopeful",
                                   "[]", "\\N", "ending-released"]) + "\n")
        for step in range(1, 9):
            choice_rows.write(f"{game_id}\t{step}\tscene-{step}\tchoice-{rng.randrange(3)}\t{stamp}\n")
        answer_rows.write(f"{game_id}\t0\tWhy?\tBecause {number}.\t{stamp}\n")
    with psycopg.connect(address) as connection, connection.cursor() as cursor:
        with cursor.copy("COPY games (id, scenario_id, scenario_title, role, seed, player, anonymous_id, class_code, "
                         "started_at, ended_at, ending_id, ending_tone, facts_found, student_id, place) FROM STDIN") as copy:
            copy.write(game_rows.getvalue())
        with cursor.copy("COPY choices (game_id, step, scene_id, choice_id, at) FROM STDIN") as copy:
            copy.write(choice_rows.getvalue())
        with cursor.copy("COPY answers (game_id, question_index, question, answer, at) FROM STDIN") as copy:
            copy.write(answer_rows.getvalue())
        connection.commit()
        connection.execute("ANALYZE")
    return time.perf_counter() - started


async def time_teacher(address: str, class_code: str, folder: Path, repeat: int = 3) -> tuple[float, float, int]:
    """Median wall seconds of the teacher's page and of the class report, through nginx to one node."""
    proxy_port, port = free_port(), free_port()
    public = f"http://127.0.0.1:{proxy_port}"
    arguments = ["--class", class_code, "--teacher-code", TEACHER_CODE, "--public-url", public + PREFIX,
                 "--base-path", PREFIX, "--trust-proxy", "127.0.0.1"]
    with serve_nodes([port], address, arguments, folder), nginx_proxy([port], PREFIX, port=proxy_port):
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(f"{public}{PREFIX}/teacher") as response:
                page = await response.text()
            token = re.search(r'name="token" value="([^"]+)"', page)
            async with session.post(f"{public}{PREFIX}/teacher/login", headers={"Origin": public},
                                    data={"token": token.group(1) if token else "", "code": TEACHER_CODE}) as response:
                assert response.status == 200, response.status
            board_times, report_times, rows = [], [], 0
            for _ in range(repeat):
                started = time.perf_counter()
                async with session.get(f"{public}{PREFIX}/teacher") as response:
                    text = await response.text()
                    assert response.status == 200
                board_times.append(time.perf_counter() - started)
                rows = text.count('<th scope="row">')
                started = time.perf_counter()
                async with session.get(f"{public}{PREFIX}/teacher/report") as response:
                    await response.read()
                    assert response.status == 200
                report_times.append(time.perf_counter() - started)
    return statistics.median(board_times), statistics.median(report_times), rows


async def main_async(args: argparse.Namespace) -> int:
    problem = missing_services()
    if problem:
        print(f"bench/scale.py: {problem}", file=sys.stderr)
        return 2
    reading = (args.read_min, args.read_max)
    ok = True
    folder = Path(tempfile.mkdtemp(prefix="longarm-bench-"))
    print(f"{args.students} students, reading {reading[0]:g}-{reading[1]:g} s before each choice, joining over "
          f"{args.join_seconds:g} s, seed {args.seed}; PostgreSQL with fsync on; nginx, 1 worker")
    with postgres_cluster(durable=True) as cluster:
        results = []
        first, address, class_code = await run_class("two", cluster, 2, args.students, args.seed, reading,
                                                     args.join_seconds, False, folder)
        ok &= report_run(first)
        results.append(first)
        if not args.skip_one:
            one, _, _ = await run_class("one", cluster, 1, args.students, args.seed, reading, args.join_seconds,
                                        False, folder)
            ok &= report_run(one)
            results.append(one)
            p95 = [sorted(r.tally.latencies)[int(0.95 * len(r.tally.latencies))] for r in (first, one)]
            print(f"\n  one node beside two: p95 {p95[1] * 1000:.1f} ms beside {p95[0] * 1000:.1f} ms "
                  f"({p95[1] / p95[0]:.2f}x); peak memory {one.memory[0][1]:.0f} MB beside "
                  f"{' + '.join(f'{peak:.0f}' for _, peak in first.memory)} MB")
        if args.round_robin:
            turns, _, _ = await run_class("turns", cluster, 2, args.students, args.seed, reading, args.join_seconds,
                                          False, folder, sticky=False)
            ok &= report_run(turns)
        if not args.skip_kill:
            killed, _, _ = await run_class("kill", cluster, 2, args.students, args.seed + 1, reading,
                                           args.join_seconds, True, folder)
            ok &= report_run(killed)
        if args.saturate:
            rates = []
            for count in (1, 2):
                busy, _, _ = await run_class(f"busy{count}", cluster, count, args.saturate, args.seed, (0.0, 0.0),
                                             2.0, False, folder)
                ok &= report_run(busy)
                rates.append(len(busy.tally.latencies) / busy.seconds)
            print(f"\n  no reading time, {args.saturate} students at once: {rates[0]:.0f} choices a second on one node, "
                  f"{rates[1]:.0f} on two ({rates[1] / rates[0]:.2f}x)")
        if args.games:
            seconds = fill_store(cluster, address, args.games - first.stored_games, args.seed)
            total = cluster.sql(address, "SELECT count(*) FROM games")[0][0]
            print(f"\n== the store at {total:,} games ({seconds:.1f} s to add them with COPY)")
            board, report, rows = await time_teacher(address, class_code, folder)
            print(f"  the teacher's page of the class of {rows:,}: {board:.3f} s (median of 3, through nginx)")
            print(f"  the class report of that class (HTML): {report:.3f} s")
            ok &= board < 1.0 and report < 1.0
    print("\n" + ("every target met" if ok else "A TARGET WAS MISSED"))
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--games", type=int, default=100_000, help="the store's size for the last part (0: skip)")
    parser.add_argument("--read-min", type=float, default=3.0, help="shortest reading before a choice (s)")
    parser.add_argument("--read-max", type=float, default=8.0, help="longest reading before a choice (s)")
    parser.add_argument("--join-seconds", type=float, default=30.0, help="the class joins over this long")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-one", action="store_true", help="no run with one node")
    parser.add_argument("--skip-kill", action="store_true", help="no run with a node killed")
    parser.add_argument("--saturate", type=int, default=300, metavar="N",
                        help="then N students with no reading time, on one node and on two: the most choices a "
                             "second this machine serves (0: skip)")
    parser.add_argument("--round-robin", action="store_true",
                        help="also a run with two nodes taking turns (no hash of the student's cookie)")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
