"""What happens in a play session, as typed events for its observers.

Each event carries a `GameSnapshot`: the game's id, scenario, seed and immutable state at that
moment, so an observer (the autosave, the class recording, a test) never holds or changes the
live game. Observers answer with a `Notice` when something went wrong that the player should
hear about (a save that could not be written), or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from game.engine.runtime.knowledge import CheckItem, CheckLog, Phase
from game.engine.runtime.model import Ending, Scenario
from game.engine.runtime.state import GameState


@dataclass(frozen=True, slots=True)
class GameSnapshot:
    """One game at one moment."""

    game_id: str  # stable for the game's whole life, across saves and restarts
    scenario: Scenario
    seed: int
    state: GameState
    answers: tuple[tuple[int, str], ...] = ()  # (question index, answer) written so far
    check: CheckLog | None = None  # the knowledge check's answers; None: this game does not take it

    @property
    def role(self) -> str:
        return self.state.role

    @property
    def ending(self) -> Ending | None:
        return self.scenario.endings.get(self.state.place)

    @property
    def over(self) -> bool:
        return self.state.place in self.scenario.endings


@dataclass(frozen=True, slots=True)
class GameStarted:
    """A game begins, or carries on from a save (`resumed`: its choices were taken before)."""

    game: GameSnapshot
    resumed: bool = False


@dataclass(frozen=True, slots=True)
class ChoiceMade:
    """A choice was taken in scene `scene_id`; `step` counts choices from 1."""

    game: GameSnapshot
    scene_id: str
    choice_id: str
    step: int


@dataclass(frozen=True, slots=True)
class ChoiceUndone:
    """The last choice was taken back; the snapshot is the state after the undo."""

    game: GameSnapshot


@dataclass(frozen=True, slots=True)
class GameEnded:
    """The game reached an ending (sent right after the `ChoiceMade` that reached it)."""

    game: GameSnapshot


@dataclass(frozen=True, slots=True)
class AnswerGiven:
    """A debrief question was answered (or an answer changed); `text` is already cleaned."""

    game: GameSnapshot
    question_index: int
    question: str
    text: str


@dataclass(frozen=True, slots=True)
class CheckAnswered:
    """An item of the knowledge check was answered (or its answer changed) in one of the two checks."""

    game: GameSnapshot
    phase: Phase  # "before" the first scene, or "after" the debrief
    index: int  # the item's place in the check, from 0
    item: CheckItem
    option: int | None  # the option chosen; None for "I don't know"

    @property
    def right(self) -> bool:
        return self.item.is_right(self.option)

    @property
    def answer_text(self) -> str:
        """The words of the answer: the option, or "I don't know"."""
        return self.item.option_text(self.option)


SessionEvent = GameStarted | ChoiceMade | ChoiceUndone | GameEnded | AnswerGiven | CheckAnswered


@dataclass(frozen=True, slots=True)
class Notice:
    """Something an observer could not do, in words for the player; play goes on."""

    source: str  # who says it: "autosave", "results"
    message: str

    def __str__(self) -> str:
        return self.message


class SessionObserver(Protocol):
    """Anything that wants to hear about a session's events (in the spirit of ink's onMakeChoice)."""

    def on_event(self, event: SessionEvent) -> Notice | None:
        """Handle one event; return a `Notice` for the player when something failed, else None.

        An observer should not raise: the session turns an exception into a `Notice` anyway, so
        one failing observer never stops play or the observers after it.
        """
        ...
