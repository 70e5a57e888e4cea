"""A source's local copy: found inside the project, read as text, or the reason it cannot be.

A scenario may quote only files inside its project: the folder above the scenario's own folder
(so `scenarios/x.yaml` reads `../seeds/y.txt`). Links are followed, because the file read is the
one they point to; when a link leads outside, the author is told which link and where to, since
the path as written looks innocent. Only regular files are read (a named pipe would never end),
and only up to `limits.MAX_FILE_BYTES`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from game.engine import limits
from game.engine.diagnostics import D, Diagnostic


@dataclass(frozen=True, slots=True)
class SourceText:
    """A source file read: where it really is, its text and the hash of its bytes."""

    path: Path
    text: str
    digest: str


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a source file is not read: a diagnostic and the values for its templates."""

    diagnostic: Diagnostic
    args: dict[str, object] = field(default_factory=dict)


def read_source(scenario_file: Path, written: str) -> SourceText | Refused:
    """The file a source's `file:` names, relative to the scenario file, or why not."""
    base = scenario_file.resolve().parent
    root = base.parent
    try:
        target = (base / written).resolve()
    except (OSError, RuntimeError) as error:  # a loop of links
        return Refused(D.SOURCE_UNREADABLE, {"written": written, "reason": str(error)})
    if not target.is_relative_to(root):
        link = _link_leading_outside(base, written, root)
        if link is not None:
            return Refused(D.SOURCE_LINK_OUTSIDE_PROJECT,
                           {"written": written, "root": root, "link": link[0], "target": link[1]})
        return Refused(D.SOURCE_OUTSIDE_PROJECT, {"written": written, "root": root})
    if target.is_dir():
        return Refused(D.SOURCE_IS_FOLDER, {"written": written})
    if not target.exists():
        return Refused(D.SOURCE_MISSING, {"written": written, "target": target})
    if not target.is_file():
        return Refused(D.SOURCE_UNREADABLE, {"written": written, "reason": "it is not a regular file"})
    try:
        size = target.stat().st_size
        if size > limits.MAX_FILE_BYTES:
            return Refused(D.SOURCE_UNREADABLE, {"written": written, "reason": (
                f"it is {size / 1_048_576:.1f} MB; sources are limited to {limits.MAX_FILE_BYTES // 1_048_576} MB")})
        raw = target.read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        return Refused(D.SOURCE_UNREADABLE, {"written": written, "reason": error.strerror or str(error)})
    except UnicodeDecodeError:
        return Refused(D.SOURCE_UNREADABLE, {"written": written, "reason": "it is not UTF-8 text"})
    return SourceText(target, text, hashlib.sha256(raw).hexdigest())


def _link_leading_outside(base: Path, written: str, root: Path) -> tuple[Path, Path] | None:
    """The first link on the way to `written` whose target lies outside `root`, with that target."""
    current = base
    for part in Path(written).parts:
        current = current / part
        try:
            if current.is_symlink():
                pointed = current.resolve()
                if not pointed.is_relative_to(root):
                    return Path(os.path.normpath(current)), pointed
                current = pointed
        except (OSError, RuntimeError):
            return None
    return None
