"""The garbage collector is paused while a scenario loads, and left as it was found."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

from game.engine.loader.load import load_scenario


def test_a_load_runs_without_collections_and_leaves_the_collector_on(write_scenario: Callable[..., Path]) -> None:
    path = write_scenario()
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        assert load_scenario(path, use_cache=False).ok
        assert collections == []  # none during the load...
        assert gc.isenabled() and gc.get_count()[0] < 700  # ...and none owed to it after
        assert load_scenario(path).ok and load_scenario(path).from_cache and collections == []  # cached too
    finally:
        gc.callbacks.remove(count)


def test_a_collector_turned_off_by_the_caller_stays_off(write_scenario: Callable[..., Path]) -> None:
    path = write_scenario()
    gc.disable()
    try:
        assert load_scenario(path).ok
        assert not gc.isenabled()
    finally:
        gc.enable()
