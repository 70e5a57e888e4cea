"""A limit on wrong codes per network address: `limit` wrong tries in `window` seconds, then wait.

While an address is over its limit every try is refused, right or wrong (else guessing would go on),
and the answer says how many seconds to wait (HTTP 429 with Retry-After). The wrong tries are kept
in the results store (`wrong_tries`, with their wall-clock time), so the limit holds across every
node of a class and across restarts: five wrong codes a minute per address, whichever nodes the
proxy sends them to. Old tries are deleted as new ones are counted. The address is the client's
own, as a trusted proxy names it (`game.web.proxy`), not the proxy's.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Sequence

from game.web.reader import StoreReader
from game.web.writer import StoreWriter


def seconds_to_wait(times: Sequence[float], limit: int, window: float, now: float) -> int:
    """How long an address with wrong tries at `times` (oldest first) must wait; 0 when it may try.

    It may try again once fewer than `limit` of its tries are inside the window.
    """
    recent = [moment for moment in times if moment > now - window]
    if len(recent) < limit:
        return 0
    return max(1, math.ceil(recent[-limit] + window - now))


class WrongTries:
    """Counts the wrong codes of each address at one door ("join", "teacher"), in the results store."""

    def __init__(self, reader: StoreReader, writer: StoreWriter, door: str, limit: int = 5, window: float = 60.0,
                 write_wait: float = 2.0, clock: Callable[[], float] = time.time) -> None:
        """Allow `limit` wrong tries per `window` seconds per address at `door`.

        Args:
            reader: reads the tries counted on every node.
            writer: counts a new one.
            door: which form the codes are typed into.
            limit: wrong tries allowed in the window.
            window: the window, in seconds.
            write_wait: how long counting a try may hold the page back.
            clock: wall-clock seconds (shared by every node), for tests.
        """
        self.reader = reader
        self.writer = writer
        self.door = door
        self.limit = limit
        self.window = window
        self.write_wait = write_wait
        self._clock = clock

    async def retry_after(self, address: str) -> int:
        """Seconds `address` must wait before its next try; 0 when it may try now."""
        now = self._clock()
        times = await self.reader.wrong_tries(address, self.door, now - self.window)
        return seconds_to_wait(times, self.limit, self.window, now)

    async def wrong(self, address: str) -> None:
        """Count a wrong try from `address` (waiting at most `write_wait` for it to land)."""
        now, door, window = self._clock(), self.door, self.window
        landed = self.writer.submit("count a wrong code",
                                    lambda store: store.add_wrong_try(address, door, now, now - window))
        await asyncio.wait([asyncio.wrap_future(landed)], timeout=self.write_wait)
