"""Finding scenarios: the shipped ones, and the one a player or author names.

A name is a path to a YAML file, or a scenario id: the file name without `.yaml`, looked up first
in `./scenarios` (an author's own stories, where `longarm new` writes them) and then among the
shipped stories (which keep their file name equal to their `id`). `find` is the one lookup every
command and front end uses; it returns the scenario or a typed failure whose message says what
to do, never None.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.engine.loader.load import LoadResult, load_scenario
from game.engine.loader.problems import Problem
from game.engine.paths import shipped_scenarios_dir
from game.engine.runtime.model import Scenario

#: Where an author's own scenarios are looked up by id, relative to the current folder.
LOCAL_FOLDER = Path("scenarios")


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A scenario file the catalog found, with the result of loading it."""

    path: Path
    result: LoadResult


@dataclass(frozen=True, slots=True)
class Found:
    """The scenario a name refers to, loaded cleanly (warnings allowed)."""

    path: Path
    scenario: Scenario
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class NotFound:
    """No file and no scenario id by that name."""

    name: str
    known: tuple[str, ...]  # the ids that would have been found

    @property
    def message(self) -> str:
        known = ", ".join(self.known) or "none"
        return (f"no scenario '{self.name}' (known ids: {known}; ids are looked up in ./scenarios and among "
                "the shipped stories; or give a path to a .yaml file)")


@dataclass(frozen=True, slots=True)
class Broken:
    """The file was found but does not load: its problems say why."""

    path: Path
    problems: tuple[Problem, ...]
    shared: bool = False  # a shared file: it has no errors, and no story either

    @property
    def message(self) -> str:
        if self.shared:
            return f"{self.path} is a shared file (sources, facts, glossary), not a story: name a scenario that includes it"
        return f"{self.path} has errors: `longarm validate {self.path}` lists them"


Lookup = Found | NotFound | Broken


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def shipped_paths() -> list[Path]:
    return _yaml_files(shipped_scenarios_dir())


def shipped() -> list[CatalogEntry]:
    """Every shipped scenario, loaded (from the cache when unchanged)."""
    return [CatalogEntry(path, load_scenario(path)) for path in shipped_paths()]


def known_ids() -> tuple[str, ...]:
    """The ids `find` would find: ./scenarios first, then the shipped ones, each once."""
    return tuple(dict.fromkeys(p.stem for p in _yaml_files(LOCAL_FOLDER) + shipped_paths()))


def resolve(name: str) -> Path | None:
    """The file a name refers to: an existing path, else `./scenarios/ID.yaml`, else a shipped one."""
    as_path = Path(name)
    if as_path.suffix in (".yaml", ".yml") or as_path.is_file():
        return as_path if as_path.is_file() else None
    for path in _yaml_files(LOCAL_FOLDER) + shipped_paths():
        if path.stem == name:
            return path
    return None


def find(name: str) -> Lookup:
    """The scenario a name refers to, loaded; or why not.

    Args:
        name: a path to a YAML file, or a scenario id.

    Returns:
        `Found`, `NotFound` (with the ids that exist) or `Broken` (with the file's problems).
    """
    path = resolve(name)
    if path is None:
        return NotFound(name, known_ids())
    result = load_scenario(path)
    if result.scenario is None:
        return Broken(path, result.problems, result.shared)
    return Found(path, result.scenario, result.problems)
