"""Benchmark: the web edition (`longarm serve`) under a class of simulated students, on loopback.

One server process (`python -m game serve`, a fresh results file, its own data folder), then:

1. **A class**: `--students` students (300) join within `--join-seconds` (3 s), each with its own
   cookies; each picks a story and a role, reads 2-5 s (seeded) before every choice, plays to an
   ending and answers every question of the debrief. Measured: the latency of each choice (the
   POST, its 303 redirect and the page it leads to, read whole), errors (any status but 200, a
   page that is not the next one, a refused choice), the server's peak memory (VmHWM from
   /proc/PID/status, or psutil) and its CPU time.
2. **No reading time**: the same students' games back to back, with the concurrency stepped up
   (1, 2, 4, ... students at once, `--step-seconds` each) until p95 passes 200 ms: the choices a
   second the server sustains with p95 under 200 ms.

Then the server is stopped (SIGTERM: it lets the queued writes land) and the results file is read
with sqlite3: every game each student played must be there, with every choice and answer the
student's browser saw accepted. It prints a table and the targets of issue 13 (0 errors; p95 at
most 50 ms; peak memory at most 250 MB; every game stored), met or not, and exits 1 if one is
missed. Everything is bounded: at most `--students` connections, and a deadline for each phase.

    python bench/web.py [--students 300] [--seed 1] [--join-seconds 3] [--read 2 5] [--step-seconds 5]

The clients run in this process, on the same cores as the server: the figures include their cost.

`serve_class` (the server as a process, ready when its banner has been printed) is also used by
the browser tests (`tests/e2e/test_web_browser.py`) and the screenshots (`docs/screenshots/make_web.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
READY_LINE = "Press Ctrl+C to stop the server"
CLASS_CODE = "BENCH-CLASS"

TARGET_ERRORS = 0
TARGET_P95_MS = 50.0
TARGET_PEAK_MB = 250.0
SUSTAINED_P95_MS = 200.0
#: No shipped story is longer than this many choices (bounds the class phase's deadline).
MOST_CHOICES = 40

# ---------------------------------------------------------------------------------------- the server


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """`longarm serve` running as a process of its own, and what its terminal has said."""

    process: subprocess.Popen[str]
    base: str  # http://127.0.0.1:PORT, no trailing slash
    out: list[str] = field(default_factory=list)  # stdout lines (the banner)
    err: list[str] = field(default_factory=list)  # stderr lines (problems, store health)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def banner(self) -> str:
        return "".join(self.out)

    def banner_value(self, label: str) -> str:
        """The first word after `label:` in the banner ("Teacher code" gives the teacher code)."""
        match = re.search(rf"^\s*{re.escape(label)}:\s+(\S+)", self.banner, re.MULTILINE)
        if match is None:
            raise LookupError(f"no {label!r} in the banner:\n{self.banner}")
        return match.group(1)

    def memory_mb(self) -> tuple[float, float] | None:
        """(resident now, peak resident so far) in MB, or None where neither /proc nor psutil tells."""
        return process_memory_mb(self.pid)

    def cpu_seconds(self) -> float | None:
        """User and system CPU time the server has used so far."""
        return process_cpu_seconds(self.pid)


def _drain(stream: object, into: list[str], ready: threading.Event | None) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.append(line)
        if ready is not None and READY_LINE in line:
            ready.set()


@contextmanager
def serve_class(results: Path, data_dir: Path, class_code: str, *args: str, teacher_code: str | None = None,
                ready_seconds: float = 30.0) -> Iterator[Served]:
    """`python -m game serve` on a free loopback port, ready once its banner is printed.

    Args:
        results: the results file (`--results`).
        data_dir: the data folder (`LONGARM_DATA_DIR`), and the cache folder beside it.
        class_code: the class code (`--class`).
        *args: more arguments (a scenario id, `--public-url ...`).
        teacher_code: `--teacher-code`, or None for the one the server makes (it is in the banner).
        ready_seconds: how long it may take to start.

    It is stopped at the end with SIGTERM (the queued writes land first), then killed if it has not
    stopped within 15 s.
    """
    port = free_port()
    command = [sys.executable, "-m", "game", "serve", "--port", str(port), "--class", class_code,
               "--results", str(results), *(["--teacher-code", teacher_code] if teacher_code else []), *args]
    env = {**os.environ, "LONGARM_DATA_DIR": str(data_dir), "LONGARM_CACHE_DIR": str(data_dir / "cache"),
           "PYTHONUNBUFFERED": "1", "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen(command, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8")
    served = Served(process, f"http://127.0.0.1:{port}")
    ready = threading.Event()
    readers = [threading.Thread(target=_drain, args=(process.stdout, served.out, ready), daemon=True),
               threading.Thread(target=_drain, args=(process.stderr, served.err, None), daemon=True)]
    for reader in readers:
        reader.start()
    try:
        deadline = time.monotonic() + ready_seconds
        while not ready.wait(0.05):
            if process.poll() is not None:
                raise RuntimeError(f"longarm serve exited ({process.returncode}): {''.join(served.err).strip()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"longarm serve was not ready within {ready_seconds:.0f} s")
        yield served
    finally:
        stop(process)
        for reader in readers:
            reader.join(timeout=5)


def stop(process: subprocess.Popen[str], seconds: float = 15.0) -> int:
    """Stop the server as Ctrl+C does (SIGTERM), kill it if it has not stopped in time; its exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.returncode


def process_memory_mb(pid: int) -> tuple[float, float] | None:
    """(VmRSS, VmHWM) of a process in MB: from /proc, else psutil (peak = now), else None."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        try:
            import psutil  # type: ignore[import-untyped]
        except ImportError:
            return None
        rss = psutil.Process(pid).memory_info().rss / 2**20
        return rss, rss
    values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE))
    return int(values["VmRSS"]) / 1024, int(values["VmHWM"]) / 1024


def process_cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of a process: from /proc, else psutil, else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        try:
            import psutil
        except ImportError:
            return None
        times = psutil.Process(pid).cpu_times()
        return float(times.user + times.system)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


# ---------------------------------------------------------------------------------------- a student

TOKEN = re.compile(r'name="token" value="([^"]*)"')
STEP = re.compile(r'name="step" value="(\d+)"')
CHOICE = re.compile(r'<button type="submit" name="choice" value="([^"]*)" id="choice-\d+"')
ANSWER = re.compile(r'<textarea id="answer-\d+" name="answer-(\d+)"')
START = re.compile(r'<input type="hidden" name="scenario" value="([^"]*)">\s*<ul class="roles">(.*?)</ul>', re.DOTALL)
ROLE = re.compile(r'name="role" value="([^"]*)" id="start-')
NOTICE = re.compile(r'<p class="notice" role="status">([^<]*)</p>')
SAVED = "Your answers are saved."


class Refused(Exception):
    """A page that was not the one a student should have seen next."""


@dataclass
class GamePlayed:
    """What one student's browser saw accepted in one game."""

    choices: int = 0
    answers: int = 0
    finished: bool = False


@dataclass
class Tally:
    """What a phase measured."""

    latencies: list[float] = field(default_factory=list)  # seconds, one a choice
    errors: list[str] = field(default_factory=list)


class Student:
    """One simulated student: their own cookies, forms sent as a browser sends them."""

    def __init__(self, base: str, name: str, rng: random.Random, connector: object) -> None:
        import aiohttp

        self.base = base
        self.name = name
        self.rng = rng
        self.games: list[GamePlayed] = []
        self.headers = {"Origin": base}
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), connector=connector, connector_owner=False,  # type: ignore[arg-type]
            timeout=aiohttp.ClientTimeout(total=30))
        self.page = ""
        self.token = ""

    async def close(self) -> None:
        await self.session.close()

    async def _read(self, response: object) -> str:
        status = response.status  # type: ignore[attr-defined]
        text: str = await response.text()  # type: ignore[attr-defined]
        if status != 200:
            raise Refused(f"HTTP {status} at {response.url.path}")  # type: ignore[attr-defined]
        return text

    async def get(self, path: str) -> str:
        async with self.session.get(self.base + path) as response:
            self.page = await self._read(response)
        return self.page

    async def post(self, path: str, data: dict[str, str]) -> str:
        async with self.session.post(self.base + path, data=data, headers=self.headers) as response:
            self.page = await self._read(response)
        found = TOKEN.search(self.page)
        self.token = html.unescape(found.group(1)) if found else self.token
        return self.page

    async def join(self) -> None:
        page = await self.get("/")
        token = TOKEN.search(page)
        if token is None:
            raise Refused("the join page has no form")
        await self.post("/join", {"token": html.unescape(token.group(1)), "code": CLASS_CODE, "name": self.name})
        if "Pick a story" not in self.page:
            raise Refused("joining did not lead to the story picker")

    async def start(self) -> None:
        """Start a game of a story and role picked at random (from the picker, or again from a debrief)."""
        page = self.page if "Pick a story" in self.page else await self.get("/play/new")
        offered = [(html.unescape(story), html.unescape(role)) for story, roles in START.findall(page)
                   for role in ROLE.findall(roles)]
        if not offered:
            raise Refused("the story picker offers nothing")
        story, role = self.rng.choice(offered)
        await self.post("/play/start", {"token": self.token, "scenario": story, "role": role})
        if CHOICE.search(self.page) is None:
            raise Refused("starting a story did not lead to a scene")
        self.games.append(GamePlayed())

    async def choose(self, tally: Tally) -> bool:
        """One choice, picked at random among the open ones, timed; True when it led to an ending."""
        step = STEP.search(self.page)
        choices = CHOICE.findall(self.page)
        if step is None or not choices:
            raise Refused("a scene without choices")
        began = time.perf_counter()
        await self.post("/play/choose", {"token": self.token, "step": step.group(1),
                                         "choice": html.unescape(self.rng.choice(choices))})
        tally.latencies.append(time.perf_counter() - began)
        notice = NOTICE.search(self.page)
        if notice is not None:
            raise Refused(f"a choice was not taken: {html.unescape(notice.group(1))}")
        self.games[-1].choices += 1
        if ANSWER.search(self.page):
            self.games[-1].finished = True
            return True
        return False

    async def answer(self) -> None:
        """Answer every question of the debrief, and check they were saved."""
        indexes = ANSWER.findall(self.page)
        data = {"token": self.token, "then": "stay",
                **{f"answer-{index}": f"{self.name}: answer {index}" for index in indexes}}
        await self.post("/play/answers", data)
        if SAVED not in self.page:
            raise Refused("the answers were not saved at once")
        self.games[-1].answers = len(indexes)


async def play_class_student(student: Student, join_at: float, read: tuple[float, float], tally: Tally) -> None:
    """Phase 1: join at `join_at` seconds, read before every choice, play one game to its ending, answer."""
    try:
        await asyncio.sleep(join_at)
        await student.join()
        await student.start()
        while True:
            await asyncio.sleep(student.rng.uniform(*read))
            if await student.choose(tally):
                break
        await student.answer()
    except Exception as error:  # noqa: BLE001 - every failure is counted and shown, none stops the class
        tally.errors.append(f"{student.name}: {type(error).__name__}: {error}")


async def play_flat_out(student: Student, until: float, tally: Tally) -> None:
    """Phase 2: games back to back with no reading time; choices are counted until `until`."""
    try:
        while time.perf_counter() < until:
            await student.start()
            while time.perf_counter() < until and not await student.choose(tally):
                pass
            if student.games[-1].finished:
                await student.answer()
    except Exception as error:  # noqa: BLE001
        tally.errors.append(f"{student.name}: {type(error).__name__}: {error}")


# ---------------------------------------------------------------------------------------- the results file


def stored_games(results: Path) -> dict[str, list[tuple[int, int, bool]]]:
    """Every student's games in the results file, by name: (choices, answers, reached an ending), sorted."""
    with sqlite3.connect(f"file:{results}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT s.name, g.id, g.ending_id IS NOT NULL AND g.ended_at IS NOT NULL,"
            " (SELECT count(*) FROM choices c WHERE c.game_id = g.id),"
            " (SELECT count(*) FROM answers a WHERE a.game_id = g.id)"
            " FROM games g JOIN students s ON s.id = g.student_id WHERE g.class_code = ?", (CLASS_CODE,)).fetchall()
    games: dict[str, list[tuple[int, int, bool]]] = {}
    for name, _, finished, choices, answers in rows:
        games.setdefault(name, []).append((int(choices), int(answers), bool(finished)))
    return {name: sorted(played) for name, played in games.items()}


def missing_games(students: Sequence[Student], stored: dict[str, list[tuple[int, int, bool]]]) -> list[str]:
    """The students whose games in the file are not exactly those their browser played."""
    return [student.name for student in students
            if sorted((g.choices, g.answers, g.finished) for g in student.games) != stored.get(student.name, [])]


# ---------------------------------------------------------------------------------------- the run


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` percentile (0-100) of `values`, nearest rank; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share / 100 * len(ordered) + 0.5) - 1))]


@dataclass
class Level:
    """One step of the no-reading-time phase."""

    students: int
    choices: int
    seconds: float
    p50_ms: float
    p95_ms: float
    cpu_share: float  # the server's, of one core
    client_share: float  # the clients' (this process), of one core
    errors: int

    @property
    def rate(self) -> float:
        return self.choices / self.seconds


def ms(values: Sequence[float], share: float) -> float:
    return percentile(values, share) * 1000


Memory = tuple[float, float] | None  # (resident now, peak so far) in MB


@dataclass
class Measured:
    """Everything one run measured, for the report."""

    load: str  # the machine's load averages (1, 5, 15 minutes) at the start
    load_end: str = ""  # and at the end
    memory_before: Memory = None
    memory_class: Memory = None  # after the class, before the no-reading-time phase
    memory_end: Memory = None
    reading: Tally = field(default_factory=Tally)
    reading_wall: float = 0.0
    reading_cpu: float | None = None  # the server's
    reading_client_cpu: float = 0.0
    levels: list[Level] = field(default_factory=list)
    flat_errors: list[str] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)

    @property
    def readers(self) -> list[Student]:
        return [student for student in self.students if student.name.startswith("reader-")]


async def run(served: Served, args: argparse.Namespace, measured: Measured) -> None:
    """Both phases against `served`; what they measure goes into `measured`."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=args.students, limit_per_host=args.students)

    def make(count: int, prefix: str) -> list[Student]:
        first = len(measured.students)
        made = [Student(served.base, f"{prefix}-{first + n + 1:04d}", random.Random(f"{args.seed}-{first + n}"),
                        connector) for n in range(count)]
        measured.students.extend(made)
        return made

    try:
        measured.memory_before = served.memory_mb()
        # 1. a class reading before every choice
        students = make(args.students, "reader")
        join_rng = random.Random(args.seed)
        cpu0, wall0, client0 = served.cpu_seconds(), time.perf_counter(), time.process_time()
        longest = args.join_seconds + MOST_CHOICES * args.read[1] + 60
        await asyncio.wait_for(asyncio.gather(*(
            play_class_student(student, join_rng.uniform(0, args.join_seconds), tuple(args.read), measured.reading)
            for student in students)), longest)
        measured.reading_wall = time.perf_counter() - wall0
        measured.reading_client_cpu = time.process_time() - client0
        cpu1 = served.cpu_seconds()
        measured.reading_cpu = None if cpu0 is None or cpu1 is None else cpu1 - cpu0
        measured.memory_class = served.memory_mb()
        # 2. no reading time, more and more students at once
        pool: list[Student] = []
        for count in args.levels:
            if count > args.students:
                break
            if len(pool) < count:
                fresh = make(count - len(pool), "flat")
                await asyncio.wait_for(asyncio.gather(*(student.join() for student in fresh)), 60)
                pool.extend(fresh)
            tally = Tally()
            cpu0, began, client0 = served.cpu_seconds(), time.perf_counter(), time.process_time()
            until = began + args.step_seconds
            await asyncio.wait_for(asyncio.gather(*(play_flat_out(s, until, tally) for s in pool[:count])),
                                   args.step_seconds + 60)
            seconds = time.perf_counter() - began
            cpu1 = served.cpu_seconds()
            measured.levels.append(Level(
                count, len(tally.latencies), seconds, ms(tally.latencies, 50), ms(tally.latencies, 95),
                0.0 if cpu0 is None or cpu1 is None else (cpu1 - cpu0) / seconds,
                (time.process_time() - client0) / seconds, len(tally.errors)))
            measured.flat_errors.extend(tally.errors)
            if measured.levels[-1].p95_ms >= SUSTAINED_P95_MS:
                break
        measured.memory_end = served.memory_mb()
    finally:
        for student in measured.students:
            await student.close()
        await connector.close()


def report(measured: Measured, stored: dict[str, list[tuple[int, int, bool]]], exit_code: int,
           args: argparse.Namespace, served: Served) -> int:
    """Print the table and the targets; 1 when a target is missed."""
    tally, levels, flat_errors = measured.reading, measured.levels, measured.flat_errors
    before, after = measured.memory_before, measured.memory_class
    lat = tally.latencies
    readers, students = measured.readers, measured.students
    missing = missing_games(students, stored)
    stored_count = sum(len(games) for games in stored.values())
    played_count = sum(len(s.games) for s in students)
    choices_stored = sum(c for games in stored.values() for c, _, _ in games)
    answers_stored = sum(a for games in stored.values() for _, a, _ in games)
    finished = sum(1 for s in readers for g in s.games if g.finished)

    print(f"Long Arm web edition: one `longarm serve` process, {args.students} simulated students on loopback "
          f"(seed {args.seed})")
    print(f"machine: {os.cpu_count()} cores; load average {measured.load} at the start, {measured.load_end} at the "
          "end; the clients share its cores")
    print()
    print(f"1. a class: {len(readers)} students joining within {args.join_seconds:g} s, reading "
          f"{args.read[0]:g}-{args.read[1]:g} s before every choice, playing to an ending and answering")
    print(f"   games played to an ending                    {finished} of {len(readers)}")
    print(f"   choices made                                 {len(lat):,}   (over {measured.reading_wall:.1f} s)")
    print(f"   errors                                       {len(tally.errors)}")
    print(f"   choice latency p50 / p95 / p99 / max (ms)    {ms(lat, 50):.1f} / {ms(lat, 95):.1f} / {ms(lat, 99):.1f} / "
          f"{max(lat, default=0) * 1000:.1f}")
    peak = per_student = None
    if before and after:
        peak = after[1]
        per_student = (after[1] - before[0]) / max(1, len(readers))
        print(f"   server memory before the first student (MB)  {before[0]:.1f}")
        print(f"   server peak memory, VmHWM (MB)               {peak:.1f}")
        print(f"   memory per student (MB)                      {per_student:.3f}   ((peak - before) / students)")
    else:
        print("   server memory                                not measured (no /proc, no psutil)")
    if measured.reading_cpu is not None:
        cpu = measured.reading_cpu
        print(f"   server CPU (s)                               {cpu:.1f}   ({cpu / measured.reading_wall * 100:.0f}% "
              f"of one core; the clients used {measured.reading_client_cpu:.1f} s)")
    for line in tally.errors[:5]:
        print(f"   ! {line}")
    print()
    print(f"2. no reading time: games back to back, {args.step_seconds:g} s at each concurrency, "
          f"until p95 passes {SUSTAINED_P95_MS:.0f} ms")
    print("   students at once   choices   choices/s   p50 ms   p95 ms   server CPU   clients' CPU   errors")
    for level in levels:
        print(f"   {level.students:16d}   {level.choices:7d}   {level.rate:9.0f}   {level.p50_ms:6.1f}   "
              f"{level.p95_ms:6.1f}   {level.cpu_share * 100:9.0f}%   {level.client_share * 100:11.0f}%   "
              f"{level.errors:6d}")
    good = [level for level in levels if level.p95_ms < SUSTAINED_P95_MS and level.errors == 0]
    best = max(good, key=lambda level: level.rate, default=None)
    if best is not None:
        print(f"   sustained: {best.rate:.0f} choices a second with p95 {best.p95_ms:.0f} ms "
              f"(under {SUSTAINED_P95_MS:.0f} ms), at {best.students} students at once")
    else:
        print(f"   sustained: none of the levels kept p95 under {SUSTAINED_P95_MS:.0f} ms")
    for line in flat_errors[:5]:
        print(f"   ! {line}")
    if measured.memory_end:
        print(f"   server peak memory after both phases (MB)    {measured.memory_end[1]:.1f}")
    print()
    print(f"results file: {stored_count} games of {played_count} played ({choices_stored:,} choices, "
          f"{answers_stored:,} answers); the server stopped with exit code {exit_code}"
          + ("" if not missing else f"; {len(missing)} students' games differ, e.g. {missing[:3]}"))
    for line in served.err[:5]:
        print(f"   server said: {line.rstrip()}")
    print("The terminal-in-the-browser mode was removed, so there is no terminal-mode comparison.")
    print()
    all_errors = len(tally.errors) + len(flat_errors)
    checks = [
        ("errors (both phases)", f"{all_errors}", all_errors <= TARGET_ERRORS, f"{TARGET_ERRORS}"),
        ("p95 choice latency, reading class (ms)", f"{ms(lat, 95):.1f}", ms(lat, 95) <= TARGET_P95_MS,
         f"at most {TARGET_P95_MS:.0f}"),
        ("server peak memory (MB)", "not measured" if peak is None else f"{peak:.1f}",
         peak is not None and peak <= TARGET_PEAK_MB, f"at most {TARGET_PEAK_MB:.0f}"),
        ("every game and answer in the results file", f"{stored_count} of {played_count} games"
         + (f", {len(missing)} differ" if missing else ""), not missing and stored_count == played_count
         and exit_code == 0, "all"),
        ("choices a second with p95 under 200 ms", "none" if best is None else f"{best.rate:.0f}", best is not None,
         "reported"),
    ]
    print(f"{'targets (issue 13)':46s}{'measured':20s}  {'target':11s}")
    for name, value, met, target in checks:
        print(f"   {name:42s} {value:20s}  {target:11s}  {'met' if met else 'NOT MET'}")
    if per_student is not None:
        print(f"   {'memory per student (MB)':42s} {per_student:<20.3f}  {'reported':11s}")
    missed = [name for name, _, met, _ in checks if not met]
    print("all targets met" if not missed else "a target was NOT MET: " + "; ".join(missed))
    return 1 if missed else 0


def load_average() -> str:
    """The machine's load averages over 1, 5 and 15 minutes, as text."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300, help="students in the class (and the most at once)")
    parser.add_argument("--seed", type=int, default=1, help="seeds the joining times, reading times and choices")
    parser.add_argument("--join-seconds", type=float, default=3.0, help="every student joins within this")
    parser.add_argument("--read", type=float, nargs=2, default=(2.0, 5.0), metavar=("LOW", "HIGH"),
                        help="seconds of reading before each choice")
    parser.add_argument("--step-seconds", type=float, default=5.0, help="how long each concurrency level runs")
    parser.add_argument("--levels", type=int, nargs="+", default=(1, 2, 4, 8, 16, 32, 64, 128, 256, 300),
                        help="students at once in the no-reading-time phase")
    args = parser.parse_args(argv)
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        print("bench/web.py needs aiohttp (pip install -e .)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="longarm-bench-web-") as temp:
        folder = Path(temp)
        results = folder / "results.sqlite"
        measured = Measured(load_average())
        with serve_class(results, folder / "data", CLASS_CODE) as served:
            asyncio.run(run(served, args, measured))
            exit_code = stop(served.process)
        measured.load_end = load_average()
        return report(measured, stored_games(results), exit_code, args, served)


if __name__ == "__main__":
    sys.exit(main())
