"""Where a tool's text goes: standard output, or a file with a one-line note on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from game.tools.loading import USAGE


def write_output(text: str, target: Path | None, command: str, out: TextIO, err: TextIO,
                 *, newline: str | None = None) -> int:
    """Write `text` to `target` (None or `-`: standard output); 0, or USAGE when the file cannot be written."""
    if target is None or str(target) == "-":
        out.write(text)
        return 0
    try:
        target.write_text(text, encoding="utf-8", newline=newline)
    except OSError as error:
        err.write(f"longarm {command}: cannot write {target}: {error.strerror or error}\n")
        return USAGE
    err.write(f"longarm {command}: wrote {target}\n")
    return 0
