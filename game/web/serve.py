"""`longarm serve`: the web edition for a class, from one asyncio process: one node.

Before it listens, the server checks everything it can: the options, the stories, and the results
store (a file made 0600 if new, migrated if old, refused with one line if it cannot be written, is
a folder or is not a Long Arm file; a PostgreSQL database likewise). From the store it takes the
server's secret and the class's codes (the first node to start keeps the ones it made there), so
every node of a class, and a restarted one, agrees on them. It holds nothing else a restart or
another node would miss: students and their games are read from the store as they come. Then it
prints the banner: the join address (also as a QR code), the codes, the teacher's page, the store.

While it runs, the terminal hears at once when the results store stops taking writes and when it
takes them again. Every problem is one line, never a traceback; Ctrl+C stops the server after the
queued writes have landed.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from aiohttp import web

from game.classroom.results import StoreError, shown
from game.classroom.stores import open_store
from game.engine.loader import catalog
from game.engine.runtime.model import Scenario
from game.web.app import make_app
from game.web.banner import banner
from game.web.board import Board
from game.web.classroom import Classroom
from game.web.codes import normal
from game.web.options import WebSettings, settings_from
from game.web.reader import StoreReader
from game.web.tokens import new_secret
from game.web.writer import StoreHealth, StoreWriter

#: The setting in the results store that holds the server's secret.
SECRET_SETTING = "web-secret"
#: The setting that holds the class code of the last class started on the store.
CLASS_CODE_SETTING = "web-class-code"
#: How long stopping waits for queued writes to land.
STOP_WAIT_SECONDS = 10.0
FAILED = 2


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the results store holds for this server, read before it listens."""

    secret: bytes
    settings: WebSettings  # with the codes every node of the class uses


def teacher_code_setting(class_code: str) -> str:
    """The setting that holds a class's teacher code."""
    return f"web-teacher-code:{normal(class_code)}"


class OneLine(logging.Formatter):
    """Log records as one line each (at most `LIMIT` characters), with the exception's words and
    no traceback."""

    LIMIT = 240

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        line = " ".join(text.split())
        return "longarm serve: " + (line if len(line) <= self.LIMIT else line[:self.LIMIT - 3] + "...")


def quiet_logging(err: TextIO) -> None:
    """Send the server's and aiohttp's warnings to `err`, one line each."""
    handler = logging.StreamHandler(err)
    handler.setFormatter(OneLine())
    for name in ("aiohttp", "game", "asyncio"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False
        logger.setLevel(logging.WARNING)


def offered(name: str | None) -> tuple[dict[str, Scenario], list[str]] | str:
    """The stories students may play (one when `name` is given), and warnings about broken ones."""
    if name is not None:
        found = catalog.find(name)
        if not isinstance(found, catalog.Found):
            return found.message
        return {found.scenario.id: found.scenario}, []
    stories: dict[str, Scenario] = {}
    warnings = []
    for known in catalog.known_ids():
        found = catalog.find(known)
        if isinstance(found, catalog.Found):
            stories.setdefault(found.scenario.id, found.scenario)
        elif isinstance(found, catalog.Broken):
            warnings.append(f"{found.message}; it is not offered")
    if not stories:
        return "no story to offer: every scenario has errors (`longarm validate scenarios/`)"
    return stories, warnings


def prepare_store(settings: WebSettings) -> Prepared | str:
    """Check the results store can be written (a write, not a guess) and take the secret and the
    codes from it: a code given is stored for the other nodes, a code made gives way to the one
    the store already keeps."""
    store = open_store(settings.results, busy_timeout=5.0)
    try:
        secret = store.keep_setting(SECRET_SETTING, new_secret())
        if settings.class_code_made:
            class_code = store.keep_setting(CLASS_CODE_SETTING, settings.class_code)
        else:
            class_code = settings.class_code
            store.put_setting(CLASS_CODE_SETTING, class_code)
        name = teacher_code_setting(class_code)
        if settings.teacher_code_made:
            teacher_code = store.keep_setting(name, settings.teacher_code)
        else:
            teacher_code = settings.teacher_code
            store.put_setting(name, teacher_code)
    except StoreError as error:
        return f"cannot use the results store: {error}"
    finally:
        store.close()
    if normal(class_code) == normal(teacher_code):
        return "the teacher code must differ from the class code: students know the class code"
    kept = replace(settings, class_code=class_code, teacher_code=teacher_code,
                   class_code_kept=settings.class_code_made and class_code != settings.class_code,
                   teacher_code_kept=settings.teacher_code_made and teacher_code != settings.teacher_code)
    return Prepared(secret.encode("ascii"), kept)


def run_serve(scenario: str | None, host: str, port: int, public_url: str | None, class_code: str | None,
              teacher_code: str | None, results: str | Path, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
              base_path: str = "", trust_proxy: str | None = None, check: bool = False) -> int:
    """Serve the class until Ctrl+C; every problem is one line on `err`.

    Args:
        scenario: the story every student plays, or None to let them pick.
        host: the address to listen on (127.0.0.1: this computer only).
        port: the port.
        public_url: the address students type, when it is not http://HOST:PORT/.
        class_code: the class code, or None to make one.
        teacher_code: the teacher's code, or None to make one.
        results: the results store: a file, or a postgresql:// database several nodes share.
        out: where the banner goes.
        err: where problems go.
        base_path: the path prefix behind a proxy, e.g. /longarm.
        trust_proxy: the proxies whose X-Forwarded-* headers are believed (addresses or networks).
        check: students take the story's knowledge check before the first scene and after the debrief.

    Returns:
        0 after a clean stop, 1 when writes were still waiting at the stop, 2 when it could not start.
    """
    settings = settings_from(host, port, public_url, class_code, teacher_code, results, scenario, base_path,
                             trust_proxy, check)
    if isinstance(settings, str):
        return _refuse(err, settings)
    stories = offered(scenario)
    if isinstance(stories, str):
        return _refuse(err, stories)
    scenarios, warnings = stories
    for warning in warnings:
        err.write(f"longarm serve: {warning}\n")
    prepared = prepare_store(settings)
    if isinstance(prepared, str):
        return _refuse(err, prepared)
    quiet_logging(err)
    try:
        return asyncio.run(_serve(prepared.settings, scenarios, prepared, out, err))
    except KeyboardInterrupt:
        return 0


def _refuse(err: TextIO, message: str) -> int:
    err.write(f"longarm serve: {message}\n")
    return FAILED


def assemble(settings: WebSettings, scenarios: Mapping[str, Scenario], prepared: Prepared,
             on_health: Callable[[StoreHealth], None]) -> Classroom:
    """The class, with its writer running (students and games are read from the store as they come).

    Must be called on the running event loop: the writer's health changes are passed to
    `on_health` on that loop (the writer itself runs in its own thread).

    Args:
        settings: the server's settings (as `prepare_store` resolved them).
        scenarios: the stories offered, by id.
        prepared: what `prepare_store` read from the results store.
        on_health: told of each change of the results store's health, on the event loop.
    """
    loop = asyncio.get_running_loop()
    board = Board(check=settings.check)

    def health_changed(health: StoreHealth) -> None:
        board.set_health(health)
        on_health(health)

    def from_writer(health: StoreHealth) -> None:
        loop.call_soon_threadsafe(health_changed, health)

    writer = StoreWriter(settings.results, from_writer)
    writer.start()
    return Classroom(settings, scenarios, writer, StoreReader(settings.results), board)


async def close(classroom: Classroom) -> bool:
    """Let the queued writes land and close the store; False when some could not be saved."""
    landed = await asyncio.to_thread(classroom.writer.stop, STOP_WAIT_SECONDS)
    classroom.reader.close()
    return landed


async def _serve(settings: WebSettings, scenarios: Mapping[str, Scenario], prepared: Prepared, out: TextIO,
                 err: TextIO) -> int:
    loop = asyncio.get_running_loop()

    def say_health(health: StoreHealth) -> None:
        err.write(f"longarm serve: results store: {health.text}\n")
        err.flush()

    classroom = assemble(settings, scenarios, prepared, say_health)
    writer = classroom.writer
    runner = web.AppRunner(make_app(classroom, prepared.secret), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.host, settings.port).start()
    except OSError as error:
        await runner.cleanup()
        await close(classroom)
        return _refuse(err, _listen_problem(settings, error))
    out.write(banner(settings, [story.title for story in scenarios.values()], writer.health,
                     getattr(out, "encoding", None)))
    out.flush()
    stop = asyncio.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    await stop.wait()
    out.write("Stopping: letting the last writes land...\n")
    out.flush()
    await runner.cleanup()
    if not await close(classroom):
        err.write(f"longarm serve: {writer.waiting} writes could not be saved to {shown(settings.results)}: "
                  f"{writer.health.reason}\n")
        return 1
    out.write("Stopped. Every choice is in the results store.\n")
    return 0


def _listen_problem(settings: WebSettings, error: OSError) -> str:
    where = f"{settings.host}:{settings.port}"
    if error.errno == errno.EADDRINUSE:
        return f"port {settings.port} is already in use on {settings.host} (another server?): choose another " \
               "with --port"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"not allowed to listen on {where} (ports below 1024 need an administrator): choose --port 8000"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{settings.host} is not an address of this computer: check --host"
    return f"cannot listen on {where}: {error.strerror or error}"
