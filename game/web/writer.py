"""The one writer of the results store: every write of the web edition runs here, off the event loop.

A write is a job (a function of the `ResultsStore`) on a queue. A thread (a lane) owns a
connection and runs its jobs one at a time, in the order they came; a database gets several lanes,
one student's writes always in the same one. A job that fails on the store (a file locked by
another program, read-only or on a full disk; a database that is down) is tried again with a
growing pause (50 ms up to 2 s) until it succeeds: never dropped, never overtaken, so the store
always holds everything this node was asked to write up to some moment.

The writer's health is `ok`, `retrying` (the store is busy or out of reach) or `failed` (any other
fault, with the store's reason); each change is passed at once to `on_health`,
from the writer's thread, so the server can tell the teacher's terminal and page.

A page that made a write waits for it a short, bounded time (`WebSettings.write_wait`); past that
the page goes on from memory and the job stays queued.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import zlib
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from game.classroom.records import iso, utc_now
from game.classroom.results import ResultsStore, StoreBusy, StoreError, is_database
from game.classroom.stores import open_store

logger = logging.getLogger(__name__)

T = TypeVar("T")
HealthState = Literal["ok", "retrying", "failed"]

#: How long one try waits for another program's lock before the writer counts it as a retry.
TRY_BUSY_SECONDS = 0.5
FIRST_PAUSE_SECONDS = 0.05
MAX_PAUSE_SECONDS = 2.0
#: Writing threads (and connections) for a database, so its commits share the disk's flushes.
DATABASE_LANES = 8


@dataclass(frozen=True, slots=True)
class StoreHealth:
    """Whether writes are landing in the results file, and since when they are not."""

    state: HealthState = "ok"
    since: str = ""  # when the trouble began (ISO time), empty when ok
    reason: str = ""  # the store's own words for the last failure
    waiting: int = 0  # writes queued when this was said

    @property
    def text(self) -> str:
        """One line for the terminal and the teacher's page."""
        if self.state == "ok":
            return "ok: every write is saved"
        clock = self.since[11:19]
        if self.state == "retrying":
            return f"retrying since {clock}: the results file is busy ({self.waiting} writes waiting, none lost)"
        return f"failed since {clock}, still retrying ({self.waiting} writes waiting, none lost): {self.reason}"


@dataclass(slots=True)
class _Job:
    action: str
    work: Callable[[ResultsStore], Any]
    future: Future[Any]


_SEVERITY: dict[HealthState, int] = {"ok": 0, "retrying": 1, "failed": 2}


class _Lane:
    """One writing thread with its own connection: its jobs run one at a time, in order."""

    def __init__(self, store: ResultsStore, number: int, say: Callable[[int, HealthState, str], None],
                 max_pause: float) -> None:
        self.store = store
        self.number = number
        self.queue: queue.Queue[_Job | None] = queue.Queue()
        self._say = say
        self._max_pause = max_pause
        self.thread = threading.Thread(target=self._run, name=f"longarm-results-writer-{number}", daemon=True)

    def _run(self) -> None:
        while True:
            job = self.queue.get()
            if job is None:
                self.queue.task_done()
                return
            self._run_job(job)
            self.queue.task_done()

    def _run_job(self, job: _Job) -> None:
        attempt = 0
        while True:
            try:
                result = job.work(self.store)
            except StoreError as error:
                attempt += 1
                self._say(self.number, "retrying" if isinstance(error, StoreBusy) else "failed", str(error))
                time.sleep(pause_for(attempt, self._max_pause))
                continue
            except Exception as error:  # noqa: BLE001 - a bug in one job must not stop every later write
                logger.error("could not %s: %s", job.action, error)
                job.future.set_exception(error)
                return
            self._say(self.number, "ok", "")
            job.future.set_result(result)
            return


class StoreWriter:
    """Threads that own the store's write connections and run its writes, each retried until it lands.

    A file has one lane (SQLite has one writer at a time anyway): every write runs in the order it
    came. A database has `lanes` lanes, so that the commits of several students wait for the disk
    together (PostgreSQL flushes them in one go) instead of one after another; a write goes to the
    lane of its `key` (the student), so each student's writes still run in order, never overtaken.
    """

    def __init__(self, address: str | Path, on_health: Callable[[StoreHealth], None] = lambda health: None,
                 busy_timeout: float = TRY_BUSY_SECONDS, max_pause: float = MAX_PAUSE_SECONDS,
                 lanes: int | None = None) -> None:
        """Set up the writer (call `start` to run it).

        Args:
            address: the results store (checked and made by the server before the writer starts).
            on_health: told of every change of health, from a writer's thread.
            busy_timeout: how long one try waits for a lock held by another program.
            max_pause: the longest pause between two tries of a failing write.
            lanes: how many writing threads (default: 1 for a file, `DATABASE_LANES` for a database).
        """
        count = lanes or (DATABASE_LANES if is_database(address) else 1)
        self._on_health = on_health
        self._lock = threading.Lock()
        self._states: list[tuple[HealthState, str]] = [("ok", "")] * count
        self._health = StoreHealth()
        self._lanes = [_Lane(open_store(address, busy_timeout=busy_timeout, connections=1), number, self._say,
                             max_pause) for number in range(count)]

    @property
    def health(self) -> StoreHealth:
        """How the results store is taking this node's writes now."""
        return self._health

    @property
    def waiting(self) -> int:
        """How many writes are queued or running."""
        return sum(lane.queue.unfinished_tasks for lane in self._lanes)

    def start(self) -> None:
        """Start the writing threads."""
        for lane in self._lanes:
            lane.thread.start()

    def submit(self, action: str, work: Callable[[ResultsStore], T], key: str = "") -> Future[T]:
        """Queue a write; the future holds its result once it has landed.

        Args:
            action: what it does, in words ("record a choice"), for the log.
            work: the write, given the writer's store.
            key: whose write it is (a student's id): the writes of one key run in the order queued.

        Returns:
            A future done when the write is committed (its result is `work`'s).
        """
        future: Future[T] = Future()
        lane = self._lanes[zlib.crc32(key.encode("utf-8")) % len(self._lanes)]
        lane.queue.put(_Job(action, work, future))
        return future

    def stop(self, timeout: float) -> bool:
        """Let the queued writes land (for at most `timeout` seconds), then stop.

        Returns:
            True when every write landed; False when some were still waiting (they are lost only if
            the process then exits: the server says so).
        """
        deadline = time.monotonic() + timeout
        for lane in self._lanes:
            lane.queue.put(None)
        for lane in self._lanes:
            lane.thread.join(max(0.0, deadline - time.monotonic()))
        done = not any(lane.thread.is_alive() for lane in self._lanes)
        if done:
            for lane in self._lanes:
                lane.store.close()
        return done

    def _say(self, number: int, state: HealthState, reason: str) -> None:
        """A lane's state; the writer's health is the worst lane's, told when it changes."""
        with self._lock:
            self._states[number] = (state, reason)
            worst_state, worst_reason = max(self._states, key=lambda pair: _SEVERITY[pair[0]])
            before = self._health
            if worst_state == before.state and worst_reason == before.reason:
                return
            since = "" if worst_state == "ok" else before.since or iso(utc_now())
            waiting = max(0, self.waiting - (1 if worst_state == "ok" else 0))
            self._health = StoreHealth(worst_state, since, worst_reason, waiting)
            health = self._health
        try:
            self._on_health(health)
        except Exception as error:  # noqa: BLE001 - telling must never stop writing
            logger.error("could not report the results store's health: %s", error)


def pause_for(attempt: int, max_pause: float = MAX_PAUSE_SECONDS) -> float:
    """The pause before try number `attempt` (from 1) of a failing write: 50 ms, doubling, capped."""
    return float(min(FIRST_PAUSE_SECONDS * 2.0 ** max(0, attempt - 1), max_pause))

