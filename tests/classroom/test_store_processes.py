"""The results store under many writing processes at once, and under a process killed mid-game."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from game.classroom.store import SqliteStore

WORKER = Path(__file__).resolve().parent / "store_worker.py"
PROCESSES = 40
CHOICES = 200


def worker(store: Path, game_id: str, choices: int, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WORKER), str(store), game_id, str(choices), mode],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_forty_processes_recording_at_once_into_a_new_file_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "class" / "results.sqlite"  # not there yet: the children race to create it too
    game_ids = [str(uuid.uuid4()) for _ in range(PROCESSES)]
    children = [worker(path, game_id, CHOICES, "race") for game_id in game_ids]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:  # every child is started and waiting: let them all go at once
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        # Each child ends when its last choice is written; none gives up on a busy file (see the
        # worker), so this waits for that, with a bound only against a hang.
        errors = [child.communicate(timeout=900)[1] for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    assert [child.returncode for child in children] == [0] * PROCESSES, "".join(errors)
    store = SqliteStore(path, create=False)
    games = {game.id: game for game in store.games()}
    assert sorted(games) == sorted(game_ids)
    for game in games.values():
        assert [c.step for c in game.choices] == list(range(1, CHOICES + 1))
        assert [c.choice_id for c in game.choices] == [f"choice-{step}" for step in range(1, CHOICES + 1)]
    assert store.integrity_check() == "ok"
    store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM choices").fetchone() == (PROCESSES * CHOICES,)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_game_killed_mid_way_keeps_every_choice_it_made(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    game_id = str(uuid.uuid4())
    child = worker(path, game_id, 37, "hang")
    try:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        os.kill(child.pid, signal.SIGKILL)  # no clean-up, no close: the connection dies open
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    store = SqliteStore(path, create=False)
    [game] = store.games()
    assert game.id == game_id and not game.finished
    assert [c.step for c in game.choices] == list(range(1, 38))
    assert store.integrity_check() == "ok"
