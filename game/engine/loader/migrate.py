"""Migration from format 1 to format 2: the same story, proved the same, with its new format number.

Every format-1 file means the same in format 2 (format 2 only adds), so migrating rewrites the
`format:` line and the rest of the file is left exactly as written, comments and layout included.
It is proved rather than assumed: the file must load without errors before, the rewritten text
must load without errors after, and the two models must be equal in everything but the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from game.engine.loader.build import FORMAT_VERSION, build
from game.engine.loader.problems import Problem

_FORMAT_LINE = re.compile(r"^format:[ \t]*1[ \t]*(#.*)?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Migration:
    """What migrating one file gave: the new text (None when there is nothing to write) and why."""

    text: str | None
    problems: tuple[Problem, ...]  # the errors that stopped it, before or after
    message: str


def migrate(path: Path, data: bytes) -> Migration:
    """The format-2 text of a format-1 scenario file's bytes, or why there is none."""
    shown = str(path)
    before, problems, _ = build(shown, path, data, "")
    if before is None:
        errors = tuple(problem for problem in problems if problem.is_error)
        if not errors:
            return Migration(None, (), f"{shown} is a shared file: shared files are format 2 already")
        return Migration(None, errors, f"{shown} has errors: fix them first (`longarm validate {shown}`)")
    if before.format == FORMAT_VERSION:
        return Migration(None, (), f"{shown} is format {FORMAT_VERSION} already: nothing to do")
    text = data.decode("utf-8-sig")
    found = _FORMAT_LINE.search(text)
    if found is None:
        return Migration(None, (), f"{shown}: cannot find its `format: 1` line at the left margin")
    start, end = found.span()
    comment = f" {found.group(1)}" if found.group(1) else ""
    migrated = text[:start] + f"format: {FORMAT_VERSION}{comment}" + text[end:]
    after, after_problems, _ = build(shown, path, migrated.encode("utf-8"), "")
    if after is None:
        return Migration(None, tuple(p for p in after_problems if p.is_error),
                         f"{shown}: the migrated text does not load; nothing was written (please report this)")
    if replace(after, format=before.format) != before:
        return Migration(None, (), f"{shown}: the migrated story would differ; nothing was written (please report this)")
    return Migration(migrated, (), f"{shown}: format 1 -> {FORMAT_VERSION}, the story unchanged")
