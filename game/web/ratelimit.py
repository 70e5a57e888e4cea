"""A limit on wrong codes per network address: `limit` wrong tries in `window` seconds, then wait.

While an address is over its limit every try is refused, right or wrong (else guessing would go on),
and the answer says how many seconds to wait (HTTP 429 with Retry-After). The counts live in this
process's memory: with several server processes ("nodes") each keeps its own, so the limit is per
node. At most `max_addresses` are tracked; the address idle longest is forgotten first.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class WrongTries:
    """Counts wrong tries per address in a sliding window."""

    def __init__(self, limit: int = 5, window: float = 60.0, clock: Callable[[], float] = time.monotonic,
                 max_addresses: int = 10_000) -> None:
        """Allow `limit` wrong tries per `window` seconds per address; `clock` is for tests."""
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max = max_addresses
        self._tries: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, address: str) -> int:
        """Seconds `address` must wait before its next try; 0 when it may try now."""
        tries = self._recent(address)
        if tries is None or len(tries) < self.limit:
            return 0
        return max(1, math.ceil(tries[0] + self.window - self._clock()))

    def wrong(self, address: str) -> None:
        """Count a wrong try from `address`."""
        tries = self._recent(address)
        if tries is None:
            tries = self._tries[address] = deque()
            while len(self._tries) > self._max:
                self._tries.popitem(last=False)
        tries.append(self._clock())
        self._tries.move_to_end(address)

    def _recent(self, address: str) -> deque[float] | None:
        """The address's tries still inside the window (older ones are dropped)."""
        tries = self._tries.get(address)
        if tries is None:
            return None
        horizon = self._clock() - self.window
        while tries and tries[0] <= horizon:
            tries.popleft()
        if not tries:
            del self._tries[address]
            return None
        return tries
