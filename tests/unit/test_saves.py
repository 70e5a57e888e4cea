"""Saves: written atomically, replayed exactly, and damaged or foreign files give messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from shared import BASE_SCENARIO
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.engine.runtime.saves import SaveData, SaveError, read_save, replay, save_of, save_path, saves_dir, write_save
from game.engine.runtime.state import Game


@pytest.fixture
def scenario(write_scenario: Callable[..., Path]) -> Scenario:
    loaded = load_scenario(write_scenario(), use_cache=False).scenario
    assert loaded is not None
    return loaded


def played(scenario: Scenario, seed: int = 5) -> Game:
    game = Game(scenario, "activist", seed=seed)
    for choice in ("activist-only", "back", "activist-only", "gate"):
        game.choose(choice)
    return game


def test_save_round_trip_replays_the_same_state(scenario: Scenario, tmp_path: Path) -> None:
    game = played(scenario)
    path = write_save(save_of(game), save_path("slot one"))
    assert path.parent == saves_dir() and path.parent.is_relative_to(tmp_path)
    loaded = read_save(path)
    assert loaded.choices == ("activist-only", "back", "activist-only", "gate")
    again = replay(scenario, loaded)
    assert again.complete and again.replayed == 4
    assert again.game.state == game.state
    assert not list(path.parent.glob("*.tmp"))


def test_write_replaces_atomically(scenario: Scenario) -> None:
    target = save_path("slot")
    write_save(save_of(Game(scenario, "journalist", seed=1)), target)
    write_save(save_of(played(scenario)), target)
    assert read_save(target).role == "activist"
    assert [p.name for p in target.parent.iterdir()] == ["slot.json"]


@pytest.mark.parametrize("content", [
    b"", b"{not json", b"\x89PNG\x00\x01", b"[1, 2, 3]", b'{"kind": "something-else"}',
    b'{"kind": "longarm-save", "version": 99}',
    b'{"kind": "longarm-save", "version": 1, "scenario": "x", "role": "y", "seed": "1", "choices": []}',
    b'{"kind": "longarm-save", "version": 1, "scenario": "x", "role": "y", "seed": 1, "choices": [1]}',
])
def test_damaged_or_foreign_saves_give_a_message(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(SaveError) as error:
        read_save(path)
    assert str(error.value)


def test_missing_save(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="there is no save"):
        read_save(tmp_path / "none.json")


def test_save_names_cannot_escape_the_folder() -> None:
    for name in ("../evil", "/etc/passwd", "a/b", "", "x" * 65):
        with pytest.raises(SaveError):
            save_path(name)


def test_save_for_another_scenario_or_role(scenario: Scenario) -> None:
    with pytest.raises(SaveError, match="for the scenario 'other'"):
        replay(scenario, SaveData("other", "journalist", 1, ()))
    with pytest.raises(SaveError, match="no longer has the role 'pilot'"):
        replay(scenario, SaveData(scenario.id, "pilot", 1, ()))


def test_save_after_an_edit_replays_as_far_as_it_can(scenario: Scenario,
                                                     write_scenario: Callable[..., Path]) -> None:
    save = save_of(played(scenario))
    edited = load_scenario(write_scenario(BASE_SCENARIO.replace("id: back", "id: return")), use_cache=False).scenario
    assert edited is not None and edited.content_hash != scenario.content_hash
    result = replay(edited, save)
    assert not result.complete and result.replayed == 1
    assert result.message == ("the save stops after 1 of 4 choices: 'The arrival hall' has no open choice 'back' "
                              "(the scenario has changed since this save)")
    assert result.game.state.place == "airport"


def test_save_file_is_plain_json(scenario: Scenario) -> None:
    path = write_save(save_of(played(scenario)), save_path("x"))
    data = json.loads(path.read_text())
    assert data["kind"] == "longarm-save" and data["seed"] == 5 and data["content_hash"] == scenario.content_hash
