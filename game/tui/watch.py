"""Noticing that a scenario file was saved again: its modification time and size, polled.

Polling twice a second is plenty for an author switching from the editor, needs no extra
package, and behaves the same on every system and through editors that replace the file.
"""

from __future__ import annotations

import os
from pathlib import Path


class FileWatch:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen = self._stamp()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self.path)
        except OSError:
            return None  # mid-save by some editors: not a change until the file is back
        return status.st_mtime_ns, status.st_size

    def changed(self) -> bool:
        """True once for each new version of the file."""
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return False
        self._seen = stamp
        return True
