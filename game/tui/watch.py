"""Noticing that a scenario file was saved again: its modification time and size, polled.

Polling twice a second is plenty for an author switching from the editor, needs no extra
package, and behaves the same on every system and through editors that replace the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


class FileWatch:
    """A scenario file, and the shared files it includes (`follow`), watched for new versions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen = _stamp(path)
        self._others: dict[Path, tuple[int, int] | None] = {}

    def follow(self, paths: Iterable[str | Path]) -> None:
        """Watch these files too (the shared files the scenario includes), from their versions now."""
        self._others = {Path(path): self._others.get(Path(path), _stamp(Path(path))) for path in paths}

    def changed(self) -> bool:
        """True once for each new version of the file or of a file it includes."""
        changed = False
        for path, seen in [(self.path, self._seen), *self._others.items()]:
            stamp = _stamp(path)
            if stamp is None or stamp == seen:
                continue
            if path == self.path:
                self._seen = stamp
            else:
                self._others[path] = stamp
            changed = True
        return changed


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None  # mid-save by some editors: not a change until the file is back
    return status.st_mtime_ns, status.st_size
