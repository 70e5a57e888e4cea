"""The play session's observers, run on a thread of their own so that the screen never waits.

The autosave flushes its file to disk and the class recording commits to SQLite after every
choice: together 10-20 ms of waiting on the disk, before the first scene and between a key press
and the next screen. `BackgroundObservers` is one observer that hands each event to a thread,
which gives it to the real observers in the order the events came; their notices (a save that
failed) come back to the app with `report`. Anything that reads what they wrote (Continue, the
load list) first calls `wait()`, and `close()` waits for the last event when the app ends.

The app starts it paused and `resume()`s it once the first screen is drawn: the events of the
start wait a moment, and opening the results store is off the way to the first scene.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence

from game.session.events import Notice, SessionEvent, SessionObserver
from game.session.play import tell_observers


class BackgroundObservers:
    """Observers that run on a background thread, in order; an observer itself (`on_event`)."""

    def __init__(self, observers: Sequence[SessionObserver], report: Callable[[tuple[Notice, ...]], None]) -> None:
        """Args:
            observers: the real observers, told of every event in order.
            report: called (on the background thread) with the notices of an event, if any.
        """
        self.observers = tuple(observers)
        self.report = report
        self._events: queue.Queue[SessionEvent | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._go = threading.Event()  # set: events are handled as they come
        self._go.set()

    def pause(self) -> None:
        """Hold the events (in order) until `resume()`."""
        self._go.clear()

    def resume(self) -> None:
        self._go.set()

    def on_event(self, event: SessionEvent) -> Notice | None:
        """Queue the event for the observers; their notices come later, through `report`."""
        if not self.observers:
            return None
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="longarm-observers", daemon=True)
            self._thread.start()
        self._events.put(event)
        return None

    def _run(self) -> None:
        self._go.wait()
        while True:
            event = self._events.get()
            try:
                if event is None:
                    return
                notices = tell_observers(self.observers, event)
                if notices:
                    self.report(notices)
            finally:
                self._events.task_done()

    def wait(self) -> None:
        """Return once every event so far has been handled (before reading what was written)."""
        self.resume()
        if self._thread is not None:
            self._events.join()

    def close(self) -> None:
        """Handle every event so far, stop the thread, and close the observers that can be closed."""
        self.resume()
        if self._thread is not None:
            self._events.put(None)
            self._thread.join()
            self._thread = None
        for observer in self.observers:
            close = getattr(observer, "close", None)
            if callable(close):
                close()
