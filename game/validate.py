"""`longarm validate`: load each scenario file and print every problem, then a summary line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from game.engine.loader.load import find_scenario_files, load_scenario
from game.engine.loader.problems import Problem, count_summary


def run_validate(paths: list[Path], *, use_cache: bool = True, out: TextIO | None = None,
                 err: TextIO | None = None) -> int:
    """0 when no file has errors (warnings allowed), 1 when any has, 2 when a path is wrong."""
    out = out or sys.stdout
    err = err or sys.stderr
    missing: list[Path] = []
    files = find_scenario_files(paths, missing.append)
    for path in missing:
        err.write(f"longarm validate: no such file or folder: {path}\n")
    if missing:
        return 2
    if not files:
        err.write("longarm validate: no .yaml files found in " + ", ".join(map(str, paths)) + "\n")
        return 2
    all_problems: list[Problem] = []
    for file in files:
        result = load_scenario(file, use_cache=use_cache)
        for problem in result.problems:
            out.write(problem.render() + "\n")
        all_problems.extend(result.problems)
    plural = "s" if len(files) != 1 else ""
    out.write(f"{len(files)} file{plural} checked: {count_summary(all_problems)}\n")
    return 1 if any(p.is_error for p in all_problems) else 0
