"""Saves: a game's choice log, written atomically, read back defensively, replayed by the engine.

A save holds the scenario id, the role, the seed, the choice ids taken and the scenario's content
hash; also the game's id (so a continued game stays one game in the teacher's results) and the
debrief answers written so far, and the knowledge check's answers when the game takes it. Loading replays the choices through the same engine, so a save never disagrees with the
rules. If the scenario changed since the save, the replay goes as far as the choices still make
sense and says where it stopped. A corrupt or foreign file gives a `SaveError` with a message,
never a crash.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from game.engine import paths
from game.engine.files import write_atomic
from game.engine.runtime.knowledge import PHASES, CheckAnswer, CheckLog
from game.engine.runtime.model import Scenario
from game.engine.runtime.state import ChoiceError, Game, GameState

SAVE_KIND = "longarm-save"
SAVE_VERSION = 1
AUTOSAVE_NAME = "autosave"
_SAVE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")


class SaveError(Exception):
    """A save that cannot be used; the message says why in words a player understands."""


@dataclass(frozen=True, slots=True)
class SaveData:
    """A saved game: the scenario, role, seed and choices that replay it, and what the debrief and the check need."""

    scenario: str
    role: str
    seed: int
    choices: tuple[str, ...]
    content_hash: str = ""
    saved_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    game_id: str = ""  # empty in saves made before game ids
    answers: tuple[tuple[int, str], ...] = ()  # (question index, answer), for the debrief
    check: CheckLog | None = None  # the knowledge check's answers; None: the game does not take it

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "kind": SAVE_KIND, "version": SAVE_VERSION, "scenario": self.scenario, "role": self.role,
            "seed": self.seed, "choices": list(self.choices), "content_hash": self.content_hash,
            "saved_at": self.saved_at}
        if self.game_id:
            data["game_id"] = self.game_id
        if self.answers:
            data["answers"] = {str(index): text for index, text in self.answers}
        if self.check is not None:
            data["check"] = {phase: {a.item: a.option for a in self.check.answers if a.phase == phase}
                             for phase in PHASES}
        return data

    @classmethod
    def from_json(cls, data: object) -> SaveData:
        if not isinstance(data, dict) or data.get("kind") != SAVE_KIND:
            raise SaveError("this file is not a Long Arm save")
        if data.get("version") != SAVE_VERSION:
            raise SaveError(f"this save is version {data.get('version')!r}; this Long Arm reads version {SAVE_VERSION}")
        scenario, role, seed, choices = (data.get(k) for k in ("scenario", "role", "seed", "choices"))
        if not isinstance(scenario, str) or not isinstance(role, str):
            raise SaveError("the save does not say which scenario and role it is for")
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise SaveError("the save's seed is not a whole number")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise SaveError("the save's list of choices is damaged")
        content_hash = data.get("content_hash", "")
        saved_at = data.get("saved_at", "")
        game_id = data.get("game_id", "")
        return cls(scenario, role, seed, tuple(choices), content_hash if isinstance(content_hash, str) else "",
                   saved_at if isinstance(saved_at, str) else "", game_id if isinstance(game_id, str) else "",
                   _answers(data.get("answers")), _check(data.get("check")))


def _answers(value: object) -> tuple[tuple[int, str], ...]:
    """Answers as saved ({"0": "text"}); anything malformed is dropped, never fatal."""
    if not isinstance(value, dict):
        return ()
    return tuple(sorted((int(key), text) for key, text in value.items()
                        if isinstance(key, str) and key.isdigit() and len(key) < 4 and isinstance(text, str)))


def _check(value: object) -> CheckLog | None:
    """The check's answers as saved ({"before": {"item-id": 2 or null}, "after": {...}}); None when
    the game does not take the check. Malformed answers are dropped, never fatal."""
    if not isinstance(value, dict):
        return None
    answers = []
    for phase in PHASES:
        given = value.get(phase)
        if not isinstance(given, dict):
            continue
        for item, option in given.items():
            if isinstance(item, str) and (option is None or (isinstance(option, int) and not isinstance(option, bool)
                                                             and 0 <= option < 16)):
                answers.append(CheckAnswer(phase, item, option))
    return CheckLog(tuple(answers))


def save_of(game: Game, game_id: str = "", answers: tuple[tuple[int, str], ...] = (),
            check: CheckLog | None = None) -> SaveData:
    """The save of a game in progress."""
    return save_of_snapshot(game.scenario, game.seed, game.state, game_id, answers, check)


def save_of_snapshot(scenario: Scenario, seed: int, state: GameState, game_id: str = "",
                     answers: tuple[tuple[int, str], ...] = (), check: CheckLog | None = None) -> SaveData:
    """The save of a game at one state: its choice log, with the id, answers and check it carries."""
    return SaveData(scenario.id, state.role, seed, state.choices, scenario.content_hash,
                    game_id=game_id, answers=answers, check=check)


@dataclass(frozen=True, slots=True)
class Replay:
    """A game rebuilt from a save, and a message when it could not replay every choice."""

    game: Game
    replayed: int  # how many choices were taken again
    message: str = ""  # empty when the whole save replayed

    @property
    def complete(self) -> bool:
        return not self.message


def replay(scenario: Scenario, save: SaveData) -> Replay:
    """Rebuild the game a save describes, as far as the scenario still allows."""
    if save.scenario != scenario.id:
        raise SaveError(f"this save is for the scenario '{save.scenario}', not '{scenario.id}'")
    if save.role not in scenario.roles:
        raise SaveError(f"the scenario no longer has the role '{save.role}'")
    game = Game(scenario, save.role, save.seed)
    for step, choice_id in enumerate(save.choices):
        place = game.state.place
        try:
            game.choose(choice_id)
        except ChoiceError:
            changed = " (the scenario has changed since this save)" if save.content_hash != scenario.content_hash else ""
            return Replay(game, step, f"the save stops after {step} of {len(save.choices)} choices: "
                                      f"'{scenario.place_title(place)}' has no open choice '{choice_id}'{changed}")
    return Replay(game, len(save.choices))


def saves_dir() -> Path:
    return paths.data_dir() / "saves"


def save_path(name: str) -> Path:
    """The file for a named save; SaveError for a name that could escape the saves folder."""
    if not _SAVE_NAME.match(name) or ".." in name:
        raise SaveError("a save name uses letters, digits, spaces, dots, - and _ (up to 64)")
    return saves_dir() / f"{name}.json"


def write_save(save: SaveData, target: Path, extra: dict[str, object] | None = None) -> Path:
    """Write atomically: a temp file in the same folder, flushed to disk, then renamed over.

    `extra` adds keys beside the save's own (a recorded transcript keeps its text there); readers
    of saves ignore keys they do not know.
    """
    payload = json.dumps({**save.to_json(), **(extra or {})}, indent=2, ensure_ascii=False)
    return write_atomic(target, payload.encode("utf-8"))


def read_save(source: Path) -> SaveData:
    """Read a save file; SaveError with a readable message for anything wrong with it."""
    return SaveData.from_json(read_save_json(source))


def read_save_json(source: Path) -> dict[str, object]:
    """The JSON object of a save file, extra keys included; SaveError when it cannot be one."""
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise SaveError(f"there is no save at {source}") from None
    except OSError as error:
        raise SaveError(f"cannot read {source}: {error.strerror or error}") from None
    if len(raw) > 4 * 1024 * 1024:
        raise SaveError("this file is far too large to be a save")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SaveError(f"{source.name} is damaged: it is not a readable save") from None
    if not isinstance(data, dict):
        raise SaveError("this file is not a Long Arm save")
    return data
