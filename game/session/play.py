"""The play session: the one play loop that the Textual app, the plain player and the web edition drive.

A front end draws what the session shows and passes on what the player does, nothing more:

    session = PlaySession.new(scenario, "journalist", seed=7, observers=[Autosave(path)])
    session.begin()                     # observers hear GameStarted
    session.options()                   # what to show: open choices and locked ones with reasons
    turn = session.choose("fly")        # observers hear ChoiceMade (and GameEnded at an ending)
    session.undo(); session.answer(0, "Because ...")
    session.debrief()                   # the DebriefView at an ending

With the knowledge check on (`PlaySession.new(..., check=True)` for a scenario that has one),
`check_due()` says which check a front end must ask now: "before" until every item is answered,
before the first choice (the session takes no choice until then), and "after" once the game is at
an ending; `answer_check` keeps each answer (observers hear `CheckAnswered`), and `own_change()`
gives the student's change item by item, only once both checks are complete.

Like ink's runtime, the surface is narrow and state is kept apart: the engine's `Game` holds the
rules and the state, the session adds the game's id, the answers and the observers. Every action
returns the observers' notices for the front end to show; an observer that fails never stops play.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from game.engine.logs import warn
from game.engine.runtime.debrief import DebriefView, build_debrief
from game.engine.runtime.knowledge import (
    CheckAnswer,
    CheckItem,
    CheckLog,
    OwnChange,
    Phase,
    own_change,
)
from game.engine.runtime.model import Ending, Scenario, Scene
from game.engine.runtime.saves import SaveData, replay, save_of
from game.engine.runtime.state import ChoiceError, Game, GameState, Option, numbered
from game.session.cleaning import MAX_ANSWER_CHARS, clean_answer
from game.session.events import (
    AnswerGiven,
    CheckAnswered,
    ChoiceMade,
    ChoiceUndone,
    GameEnded,
    GameSnapshot,
    GameStarted,
    Notice,
    SessionEvent,
    SessionObserver,
)


@dataclass(frozen=True, slots=True)
class Turn:
    """What came of a choice: whether it was taken, what is new, and any notices to show."""

    taken: bool  # False: the choice was for a step that is already past (a key typed ahead)
    ended: bool = False  # the game reached an ending
    new_facts: tuple[str, ...] = ()  # fact ids added to the journal by this choice
    notices: tuple[Notice, ...] = ()


class CheckPending(ChoiceError):
    """A choice asked for while the knowledge check before play is not complete."""


def new_game_id() -> str:
    """A random id for a new game: a version-4 UUID's text (122 random bits from `os.urandom`).

    Made as `uuid.uuid4()` makes it, without importing `uuid`, whose own imports (`platform`)
    were 2 ms of every game's start.
    """
    bits = int.from_bytes(os.urandom(16)) & ~(0xC000 << 48 | 0xF000 << 64) | 0x8000 << 48 | 0x4000 << 64
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class PlaySession:
    """One game being played, with the observers that hear what happens in it."""

    def __init__(self, game: Game, *, game_id: str | None = None, observers: Sequence[SessionObserver] = (),
                 answers: Sequence[tuple[int, str]] = (), check: CheckLog | None = None) -> None:
        """Wrap a game (new, or replayed from a save or the results store).

        Args:
            game: the engine's game, at its current state.
            game_id: the id it is known by; a new one when None.
            observers: told of every event, in order.
            answers: debrief answers already written (from a save).
            check: the knowledge check's answers so far; None when this game does not take the check
                (always None for a scenario without one).
        """
        self._game = game
        self.game_id = game_id or new_game_id()
        self._observers = list(observers)
        self._answers: dict[int, str] = dict(answers)
        self._check = check if game.scenario.check else None

    @classmethod
    def new(cls, scenario: Scenario, role: str, seed: int | None = None,
            observers: Sequence[SessionObserver] = (), check: bool = False) -> PlaySession:
        """A new game; ChoiceError for a role the scenario does not have. Call `begin` next.

        `check`: the game takes the scenario's knowledge check, if it has one.
        """
        return cls(Game(scenario, role, seed), observers=observers, check=CheckLog() if check else None)

    @classmethod
    def from_save(cls, scenario: Scenario, save: SaveData,
                  observers: Sequence[SessionObserver] = ()) -> tuple[PlaySession, str]:
        """The game a save (or a game's record in the results store) describes, replayed.

        Returns:
            The session, and a message when the scenario changed and not every choice replayed
            (empty when all did). Call `begin(resumed=True)` next.

        Raises:
            SaveError: the save is for another scenario or a role it no longer has.
        """
        replayed = replay(scenario, save)
        answers = save.answers if replayed.complete else ()
        return cls(replayed.game, game_id=save.game_id or None, observers=observers, answers=answers,
                   check=save.check), replayed.message

    # ------------------------------------------------------------------ what a front end shows

    @property
    def scenario(self) -> Scenario:
        return self._game.scenario

    @property
    def state(self) -> GameState:
        """The current state (immutable)."""
        return self._game.state

    @property
    def seed(self) -> int:
        return self._game.seed

    @property
    def role(self) -> str:
        return self._game.role

    @property
    def scene(self) -> Scene | None:
        return self._game.scene

    @property
    def ending(self) -> Ending | None:
        return self._game.ending

    @property
    def over(self) -> bool:
        return self._game.over

    @property
    def step(self) -> int:
        """How many choices have been taken: the number a front end sends back with a choice."""
        return len(self._game.state.choices)

    @property
    def can_undo(self) -> bool:
        return self._game.can_undo

    @property
    def answers(self) -> dict[int, str]:
        """The debrief answers written so far, by question index (a copy)."""
        return dict(self._answers)

    def options(self) -> list[Option]:
        """The current scene's choices: open ones, and locked ones with their reason."""
        return self._game.options()

    def fill(self, text: str) -> str:
        """Author text with `{stat}` and `{flag}` filled in from the current state."""
        return self._game.fill(text)

    def debrief(self) -> DebriefView:
        """The debrief of the ending reached; ValueError before an ending."""
        return build_debrief(self._game.scenario, self._game.state, self._game.seed)

    def snapshot(self) -> GameSnapshot:
        return GameSnapshot(self.game_id, self._game.scenario, self._game.seed, self._game.state,
                            tuple(sorted(self._answers.items())), self._check)

    def save_data(self) -> SaveData:
        """The game as a save: its choices, id, answers and the check's answers."""
        return save_of(self._game, self.game_id, tuple(sorted(self._answers.items())), self._check)

    # ------------------------------------------------------------------ the knowledge check

    @property
    def check_on(self) -> bool:
        """This game takes the scenario's knowledge check."""
        return self._check is not None

    @property
    def check_items(self) -> tuple[CheckItem, ...]:
        """The check's items, in order (empty when the game does not take the check)."""
        return self._game.scenario.check if self._check is not None else ()

    @property
    def check_log(self) -> CheckLog | None:
        return self._check

    def check_due(self) -> Phase | None:
        """The check a front end must ask now: "before" until it is complete, before the first
        choice; "after" at an ending, once the first is complete; else None."""
        log, items = self._check, self.check_items
        if log is None:
            return None
        if not log.complete("before", items):
            return "before" if self.step == 0 and not self._game.over else None
        if self._game.over and not log.complete("after", items):
            return "after"
        return None

    def check_complete(self, phase: Phase) -> bool:
        return self._check is not None and self._check.complete(phase, self.check_items)

    def answer_check(self, phase: Phase, item_id: str, option: int | None) -> tuple[Notice, ...]:
        """Keep the answer to one item of the check that is due (None: "I don't know").

        An answer given again replaces the earlier one while that check is still due.

        Raises:
            ValueError: `phase` is not the check due now, no such item, or no such option.
        """
        if phase != self.check_due() or self._check is None:
            raise ValueError(f"the {phase} check is not open now")
        index = next((i for i, item in enumerate(self.check_items) if item.id == item_id), None)
        if index is None:
            raise ValueError(f"the check has no item '{item_id}'")
        item = self.check_items[index]
        if option is not None and not 0 <= option < len(item.options):
            raise ValueError(f"item '{item_id}' has no option {option + 1}")
        earlier = self._check.answer(phase, item_id)
        if earlier is not None and earlier.option == option:
            return ()
        self._check = self._check.with_answer(CheckAnswer(phase, item_id, option))
        return self._emit(CheckAnswered(self.snapshot(), phase, index, item, option))

    def own_change(self) -> tuple[OwnChange, ...]:
        """The student's own change, item by item; ValueError until both checks are complete."""
        if self._check is None:
            raise ValueError("this game does not take the check")
        return own_change(self.check_items, self._check)

    # ------------------------------------------------------------------ what the player does

    def begin(self, resumed: bool = False) -> tuple[Notice, ...]:
        """Tell the observers the game has started (`resumed`: it carries on from a save)."""
        return self._emit(GameStarted(self.snapshot(), resumed))

    def choose(self, choice_id: str, at_step: int | None = None) -> Turn:
        """Take an open choice.

        Args:
            choice_id: the choice's id, as in `options()`.
            at_step: the `step` the front end showed when the player chose; a choice made for a
                step already past (a key typed ahead, a form sent twice) is not taken.

        Returns:
            The `Turn`: taken or not, the new facts, whether the game ended, and notices.

        Raises:
            ChoiceError: the choice is not open now (a bug in the front end, or a forged form);
                `CheckPending` while the check before play is due.
        """
        if self._game.over or (at_step is not None and at_step != self.step):
            return Turn(taken=False)
        if self.check_due() == "before":
            raise CheckPending("the check before play comes first")
        scene_id = self._game.state.place
        known_before = len(self._game.state.known)
        self._game.choose(choice_id)
        snapshot = self.snapshot()
        notices = self._emit(ChoiceMade(snapshot, scene_id, choice_id, self.step))
        if self._game.over:
            notices += self._emit(GameEnded(snapshot))
        return Turn(True, self._game.over, self._game.state.known[known_before:], notices)

    def undo(self) -> tuple[bool, tuple[Notice, ...]]:
        """Take back the last choice; (False, ()) when there is nothing to undo."""
        if not self._game.undo():
            return False, ()
        self._answers.clear()  # answers belong to the ending that was left
        return True, self._emit(ChoiceUndone(self.snapshot()))

    def answer(self, question_index: int, text: str) -> tuple[Notice, ...]:
        """Keep the answer to one debrief question (cleaned; an empty answer clears it).

        Raises:
            ValueError: not at an ending, or no such question.
        """
        ending = self._game.ending
        if ending is None:
            raise ValueError("answers are written at an ending")
        if not 0 <= question_index < len(ending.debrief.questions):
            raise ValueError(f"the ending has no question {question_index + 1}")
        cleaned, cut = clean_answer(text)
        if self._answers.get(question_index, "") == cleaned:
            return ()  # nothing changed: nothing to write
        if cleaned:
            self._answers[question_index] = cleaned
        else:
            self._answers.pop(question_index, None)
        notices = self._emit(AnswerGiven(self.snapshot(), question_index, ending.debrief.questions[question_index],
                                         cleaned))
        if cut:
            notices += (Notice("answer", f"Only the first {MAX_ANSWER_CHARS:,} characters of your answer were kept."),)
        return notices

    # ------------------------------------------------------------------ inside

    def _emit(self, event: SessionEvent) -> tuple[Notice, ...]:
        return tell_observers(self._observers, event)


def tell_observers(observers: Sequence[SessionObserver], event: SessionEvent) -> tuple[Notice, ...]:
    """Give `event` to each observer in order and gather their notices. An observer that fails is
    logged and becomes a notice: it never ends the player's game, nor keeps the others from hearing.

    Args:
        observers: told of the event, in order.
        event: what happened.

    Returns:
        The notices the observers gave, in their order.
    """
    notices = []
    for observer in observers:
        try:
            notice = observer.on_event(event)
        except Exception as error:  # noqa: BLE001 - an observer must never end the player's game
            warn(__name__, "observer %r failed on %s", observer, type(event).__name__, error=error)
            notice = Notice(type(observer).__name__, f"Something went wrong in the background: {error}")
        if notice is not None:
            notices.append(notice)
    return tuple(notices)

__all__ = ["CheckPending", "ChoiceError", "PlaySession", "Turn", "new_game_id", "numbered", "tell_observers"]
