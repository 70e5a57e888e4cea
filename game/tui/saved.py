"""What a save holds, in words for the title screen's Continue and the load list: which scenario,
which role, where in the story, and when ("Arrival hall, as Activist, at “The gate”, 5 minutes ago")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from game.engine.runtime.model import Scenario
from game.engine.runtime.saves import SaveData, SaveError, read_save, replay


@dataclass(frozen=True, slots=True)
class SavedGame:
    path: Path
    description: str  # scenario, role, place and time; or why the save cannot be read

    @property
    def name(self) -> str:
        return self.path.stem


def when(saved: datetime, now: datetime) -> str:
    """A time as people say it: "just now", "5 minutes ago", "today at 14:03", "on 3 Dec 2026"."""
    local, today = saved.astimezone(), now.astimezone()
    age = now - saved
    if age < timedelta(minutes=1):
        return "just now"
    if age < timedelta(hours=1):
        minutes = int(age.total_seconds() // 60)
        return f"{minutes} minute{'s' if minutes > 1 else ''} ago"
    if local.date() == today.date():
        return f"today at {local:%H:%M}"
    if local.date() == (today - timedelta(days=1)).date():
        return f"yesterday at {local:%H:%M}"
    return f"on {local.day} {local:%b %Y}"


def _saved_at(save: SaveData, path: Path) -> datetime | None:
    try:
        return datetime.fromisoformat(save.saved_at)
    except ValueError:
        try:
            return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
        except OSError:
            return None


def describe(path: Path, find: Callable[[str], Scenario | None], now: datetime | None = None) -> SavedGame:
    """The save at `path` in words; `find` gives the scenario of an id (None if not installed)."""
    try:
        save = read_save(path)
    except SaveError as error:
        return SavedGame(path, f"cannot be read: {error}")
    scenario = find(save.scenario)
    saved_at = _saved_at(save, path)
    time = f", {when(saved_at, now or datetime.now(timezone.utc))}" if saved_at is not None else ""
    if scenario is None:
        return SavedGame(path, f"{save.scenario} (not installed), as {save.role}{time}")
    role = scenario.roles[save.role].title if save.role in scenario.roles else save.role
    try:
        game = replay(scenario, save).game
    except SaveError:
        return SavedGame(path, f"{scenario.title}, as {role}{time}")
    place = f"the ending \u201c{game.ending.title}\u201d" if game.ending else f"\u201c{game.scene.title}\u201d" if game.scene else "?"
    return SavedGame(path, f"{scenario.title}, as {role}, at {place}{time}")
