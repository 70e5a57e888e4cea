"""YAML scenario → immutable model, with every problem collected and located.

`load_scenario(path)` is the one entry point: it reads the file (refusing oversize and binary
input), composes located YAML nodes, builds the model while checking every key, type, id and
reference, parses each `if` and `do`, checks quotes against their source files, then runs the
whole-graph checks. It returns the scenario (when there are no errors) with all problems found.
A scenario that loaded cleanly is cached by content hash (see `cache.py`); the building itself
is in `build.py`, imported only on a cache miss so that a cached load never imports PyYAML.

Loading makes hundreds of thousands of small objects that all live on, which sets off Python's
cyclic garbage collector again and again to find nothing to free: more than half of a first load
of a large file. The collector is paused while a file loads (`_collector_paused`), and what the
load made is then filed with the long-lived objects, as a collection would have filed it, so that
the next allocation does not set off one collection over all of it at once.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from game.engine.diagnostics import D
from game.engine.loader import cache
from game.engine.loader.problems import FILE_START, Problem, file_too_large
from game.engine.runtime.model import Scenario


@dataclass(frozen=True, slots=True)
class LoadResult:
    """A scenario (None when any error was found) and every problem, sorted by place."""

    scenario: Scenario | None
    problems: tuple[Problem, ...]
    from_cache: bool = False
    shared: bool = False  # the file is a shared file (`include`d by scenarios), checked on its own

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def ok(self) -> bool:
        return self.scenario is not None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (what a load makes lives on); as it was after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Freezing and unfreezing moves every tracked object to the oldest generation and
            # resets the young count: two list splices, where a collection would visit them all.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def load_scenario(path: str | Path, *, use_cache: bool = True) -> LoadResult:
    """Load and validate one scenario file. Never raises for anything in the file."""
    with _collector_paused():
        return _load(path, use_cache)


def _load(path: str | Path, use_cache: bool) -> LoadResult:
    file = Path(path)
    shown = str(path)
    try:
        if not file.is_file():  # a folder, or a named pipe that would never end
            reason = "it is a folder" if file.is_dir() else "no such file" if not file.exists() else "not a regular file"
            return LoadResult(None, (Problem.of(D.UNREADABLE_FILE, shown, FILE_START, {"reason": reason}),))
        oversize = file_too_large(shown, file.stat().st_size)
        if oversize is not None:  # refused before reading, let alone parsing
            return LoadResult(None, (oversize,))
        data = file.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return LoadResult(None, (Problem.of(D.UNREADABLE_FILE, shown, FILE_START, {"reason": reason}),))
    content_hash = hashlib.sha256(data).hexdigest()
    key = cache.cache_key(content_hash, file)
    if use_cache:
        cached = cache.read(key, content_hash, shown)
        if cached is not None:
            return LoadResult(cached[0], cached[1], from_cache=True)
    from game.engine.loader.build import build  # PyYAML and the checks: only needed on a cache miss

    try:
        scenario, problems, source_hashes = build(shown, file, data, content_hash)
    except Exception as error:  # noqa: BLE001 - a bug (or RecursionError, MemoryError): reported, never a traceback
        failure = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return LoadResult(None, (Problem.of(D.INTERNAL_ERROR, shown, FILE_START, {"error": failure}),))
    if scenario is None:
        shared = not any(problem.is_error for problem in problems)  # only a shared file builds to nothing
        return LoadResult(None, problems, shared=shared)
    if use_cache:
        cache.write(key, content_hash, scenario, problems, source_hashes)
    return LoadResult(scenario, problems)


def find_scenario_files(paths: list[Path], on_missing: Callable[[Path], None]) -> list[Path]:
    """The .yaml and .yml files named, or found below named folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif path.exists():
            found.append(path)
        else:
            on_missing(path)
    return found
