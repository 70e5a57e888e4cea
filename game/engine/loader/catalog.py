"""Finding scenarios: the shipped ones, and what a player or author names on the command line.

A name is either a path to a YAML file or the id of a shipped scenario (its file name without
`.yaml`, which the shipped stories keep equal to their `id`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.engine.loader.load import LoadResult, load_scenario
from game.engine.paths import shipped_scenarios_dir


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    path: Path
    result: LoadResult


def shipped_paths() -> list[Path]:
    folder = shipped_scenarios_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def shipped() -> list[CatalogEntry]:
    """Every shipped scenario, loaded (from the cache when unchanged)."""
    return [CatalogEntry(path, load_scenario(path)) for path in shipped_paths()]


def resolve(name: str) -> Path | None:
    """The file a name refers to: an existing path, else a shipped scenario with that id."""
    as_path = Path(name)
    if as_path.suffix in (".yaml", ".yml") or as_path.is_file():
        return as_path if as_path.is_file() else None
    for path in shipped_paths():
        if path.stem == name:
            return path
    return None
