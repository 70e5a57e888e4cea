"""Finding and loading the scenario a tool is asked about, with the validator's problems on failure."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from game.engine.loader import catalog
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario

#: The exit status for a usage error or a scenario that does not load.
USAGE = 2


def load_named(name: str, command: str, err: TextIO) -> Scenario | int:
    """The scenario a shipped id or a path names; else the exit status, after saying why."""
    path = catalog.resolve(name)
    if path is None:
        known = ", ".join(p.stem for p in catalog.shipped_paths()) or "none"
        err.write(f"longarm {command}: no scenario '{name}' (shipped: {known}; or give a path to a .yaml file)\n")
        return USAGE
    result = load_scenario(path)
    if result.scenario is None:
        err.write(f"longarm {command}: {path} does not load; `longarm validate` says:\n")
        for problem in result.problems:
            err.write(problem.render() + "\n")
        return USAGE
    return result.scenario


def shown_path(scenario: Scenario) -> str:
    """The scenario's file as an author would type it: relative to the current folder when inside it."""
    path = Path(scenario.path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path) if path.is_absolute() else os.path.normpath(path)
