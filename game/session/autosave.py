"""The autosave: an observer that writes the game to one file after everything that changes it."""

from __future__ import annotations

from pathlib import Path

from game.engine.runtime.saves import AUTOSAVE_NAME, save_of_snapshot, saves_dir, write_save
from game.session.events import GameStarted, Notice, SessionEvent


class Autosave:
    """Writes every change of the game to `path` (atomically), so Continue picks it up.

    A failed write becomes a `Notice` ("Could not autosave: ..."); play goes on.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def on_event(self, event: SessionEvent) -> Notice | None:
        """Write the game as it is after `event`."""
        if isinstance(event, GameStarted) and event.resumed and event.game.over:
            return None  # a finished game, continued: nothing has changed
        snapshot = event.game
        try:
            write_save(save_of_snapshot(snapshot.scenario, snapshot.seed, snapshot.state, snapshot.game_id,
                                        snapshot.answers, snapshot.check), self.path)
        except OSError as error:
            return Notice("autosave", f"Could not autosave: {error.strerror or error}")
        return None


def autosave_path() -> Path:
    """The one autosave file, in the saves folder: what the title screen's Continue loads."""
    return saves_dir() / f"{AUTOSAVE_NAME}.json"
