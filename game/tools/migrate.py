"""`longarm migrate FILE`: rewrite a format-1 scenario as format 2, in place or to `--out`.

The engine's `loader/migrate.py` does the work and proves the story unchanged; this writes the
file atomically and says what happened. Exit status: 0 written (or nothing to do), 1 when the
file has errors or could not be migrated, 2 for a file that cannot be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from game.engine.files import write_atomic
from game.engine.loader.migrate import migrate


def run_migrate(path: Path, out_file: Path | None, out: TextIO, err: TextIO) -> int:
    try:
        data = path.read_bytes()
    except OSError as error:
        err.write(f"longarm migrate: cannot read {path}: {error.strerror or error}\n")
        return 2
    result = migrate(path, data)
    for problem in result.problems:
        err.write(problem.render() + "\n")
    if result.text is None:
        (err if result.problems else out).write(result.message + "\n")
        return 1 if result.problems or "please report" in result.message or "cannot find" in result.message else 0
    target = out_file or path
    try:
        write_atomic(target, result.text.encode("utf-8"), durable=True)
    except OSError as error:
        err.write(f"longarm migrate: cannot write {target}: {error.strerror or error}\n")
        return 1
    out.write(result.message + (f"; written to {target}" if out_file else "") + "\n")
    return 0
