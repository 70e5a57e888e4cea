"""The live games kept in memory: a small least-recently-used cache of play sessions.

A game is only its choice log, kept in the results file, so any session can be dropped and
replayed from the file later. The one exception: a session whose writes have not all landed (the
file is busy) is never dropped, since the file does not hold it yet. The cache then grows past its
size until the writes land.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from game.session.play import PlaySession


class SessionCache:
    """Play sessions by student id; the least recently used settled ones go first."""

    def __init__(self, size: int) -> None:
        """Keep about `size` sessions (more while some have writes waiting)."""
        self.size = size
        self._sessions: OrderedDict[str, tuple[PlaySession, Callable[[], bool]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, key: str) -> PlaySession | None:
        """The session kept for `key`, now the most recently used; None when it is not kept."""
        entry = self._sessions.get(key)
        if entry is None:
            return None
        self._sessions.move_to_end(key)
        return entry[0]

    def put(self, key: str, session: PlaySession, settled: Callable[[], bool]) -> None:
        """Keep `session` for `key` (replacing any other); `settled` says whether the file holds it."""
        self._sessions[key] = (session, settled)
        self._sessions.move_to_end(key)
        self._shrink()

    def _shrink(self) -> None:
        excess = len(self._sessions) - self.size
        if excess <= 0:
            return
        for key in [key for key, (_, settled) in self._sessions.items() if settled()][:excess]:
            del self._sessions[key]
