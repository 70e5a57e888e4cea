"""Files a scenario names, found inside the project and read as text, or the reason they cannot be.

A scenario may read only files inside its project: the folder above the scenario's own folder
(so `scenarios/x.yaml` reads `../seeds/y.txt` and `shared/z.yaml`). Two kinds of file are named:
a source's local copy (`file:`), whose quotes are checked, and a shared file (`include:`). Both
are found the same way, each with its own diagnostics. Links are followed, because the file read
is the one they point to; when a link leads outside, the author is told which link and where to,
since the path as written looks innocent. Only regular files are read (a named pipe would never
end), and only up to `limits.MAX_FILE_BYTES`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Literal
from pathlib import Path, PurePosixPath, PureWindowsPath

from game.engine import limits
from game.engine.diagnostics import D, Diagnostic


@dataclass(frozen=True, slots=True)
class SourceText:
    """A file read: where it really is, its text and the hash of its bytes."""

    path: Path
    text: str
    digest: str


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a file is not read: a diagnostic and the values for its templates."""

    diagnostic: Diagnostic
    args: dict[str, object] = field(default_factory=dict)


Failure = Literal["outside", "link_outside", "missing", "unreadable", "folder"]

#: The diagnostics of each kind of file, for each way finding it can fail.
_SOURCE: dict[Failure, Diagnostic] = {
    "outside": D.SOURCE_OUTSIDE_PROJECT, "link_outside": D.SOURCE_LINK_OUTSIDE_PROJECT,
    "missing": D.SOURCE_MISSING, "unreadable": D.SOURCE_UNREADABLE, "folder": D.SOURCE_IS_FOLDER,
}
_INCLUDE: dict[Failure, Diagnostic] = {
    "outside": D.INCLUDE_OUTSIDE_PROJECT, "link_outside": D.INCLUDE_LINK_OUTSIDE_PROJECT,
    "missing": D.INCLUDE_MISSING, "unreadable": D.INCLUDE_UNREADABLE, "folder": D.INCLUDE_UNREADABLE,
}


def project_root(scenario_file: Path) -> Path:
    """The project a scenario belongs to: the folder above its own folder."""
    return scenario_file.resolve().parent.parent


def read_source(scenario_file: Path, written: str, root: Path | None = None) -> SourceText | Refused:
    """The file a source's `file:` names, relative to the file it is written in, or why not.

    Args:
        scenario_file: the scenario (or shared file) the source is declared in.
        written: the path as written.
        root: the project folder; by default, the one `scenario_file` belongs to.
    """
    return _read(scenario_file.resolve().parent, root or project_root(scenario_file), written, _SOURCE)


def read_include(scenario_file: Path, written: str) -> SourceText | Refused:
    """The shared file an `include:` names, relative to the scenario, inside its project; or why not."""
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute() or PureWindowsPath(written).drive:
        return Refused(D.INCLUDE_ABSOLUTE, {"written": written})
    return _read(scenario_file.resolve().parent, project_root(scenario_file), written, _INCLUDE)


def _read(base: Path, root: Path, written: str, codes: dict[Failure, Diagnostic]) -> SourceText | Refused:
    try:
        return _find_and_read(base, root, written, codes)
    except (OSError, RuntimeError) as error:  # a loop of links, a name too long for the system...
        reason = (error.strerror or str(error)) if isinstance(error, OSError) else str(error)
        return Refused(codes["unreadable"], {"written": written, "reason": reason})


def _find_and_read(base: Path, root: Path, written: str, codes: dict[Failure, Diagnostic]) -> SourceText | Refused:
    target = (base / written).resolve()
    if not target.is_relative_to(root):
        link = _link_leading_outside(base, written, root)
        if link is not None:
            return Refused(codes["link_outside"], {"written": written, "root": root, "link": link[0],
                                                   "target": link[1]})
        return Refused(codes["outside"], {"written": written, "root": root})
    if target.is_dir():
        if codes["folder"] is codes["unreadable"]:
            return Refused(codes["unreadable"], {"written": written, "reason": "it is a folder"})
        return Refused(codes["folder"], {"written": written})
    if not target.exists():
        return Refused(codes["missing"], {"written": written, "target": target})
    if not target.is_file():
        return Refused(codes["unreadable"], {"written": written, "reason": "it is not a regular file"})
    try:
        size = target.stat().st_size
        if size > limits.MAX_FILE_BYTES:
            return Refused(codes["unreadable"], {"written": written, "reason": (
                f"it is {size / 1_048_576:.1f} MB; files are limited to {limits.MAX_FILE_BYTES // 1_048_576} MB")})
        raw = target.read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        return Refused(codes["unreadable"], {"written": written, "reason": error.strerror or str(error)})
    except UnicodeDecodeError:
        return Refused(codes["unreadable"], {"written": written, "reason": "it is not UTF-8 text"})
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
