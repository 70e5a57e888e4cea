"""Finding and loading the scenario a tool is asked about, with the validator's problems on failure."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from game.engine.loader import catalog
from game.engine.runtime.model import Scenario

#: The exit status for a usage error or a scenario that does not load.
USAGE = 2


def load_named(name: str, command: str, err: TextIO) -> Scenario | int:
    """The scenario a shipped id or a path names; else the exit status, after saying why."""
    match catalog.find(name):
        case catalog.Found(scenario=scenario):
            return scenario
        case catalog.NotFound() as missing:
            err.write(f"longarm {command}: {missing.message}\n")
        case catalog.Broken(path=path, problems=problems):
            err.write(f"longarm {command}: {path} does not load; `longarm validate` says:\n")
            for problem in problems:
                err.write(problem.render() + "\n")
    return USAGE


def shown_path(scenario: Scenario) -> str:
    """The scenario's file as an author would type it: relative to the current folder when inside it."""
    path = Path(scenario.path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path) if path.is_absolute() else os.path.normpath(path)
