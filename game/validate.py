"""`longarm validate`: load each scenario file and print every problem, then a summary line.

With `--json` the same problems are one JSON document, each with the fields of the text form
(code, severity, file, line and column) plus where it ends, for editors and CI.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from game.engine.loader.load import find_scenario_files, load_scenario
from game.engine.loader.problems import Problem, count_summary


def run_validate(paths: list[Path], *, use_cache: bool = True, as_json: bool = False, out: TextIO | None = None,
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
        if not as_json:
            for problem in result.problems:
                out.write(problem.render() + "\n")
        all_problems.extend(result.problems)
    status = 1 if any(p.is_error for p in all_problems) else 0
    if as_json:
        errors = sum(1 for p in all_problems if p.is_error)
        report = {"files": [str(file) for file in files], "errors": errors, "warnings": len(all_problems) - errors,
                  "exit_status": status, "problems": [p.to_json() for p in all_problems]}
        out.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return status
    plural = "s" if len(files) != 1 else ""
    out.write(f"{len(files)} file{plural} checked: {count_summary(all_problems)}\n")
    return status
