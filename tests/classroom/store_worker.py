"""A child process for the store's concurrency and crash tests (run as a script, not collected).

    python store_worker.py STORE GAME_ID CHOICES MODE

It prints `ready` once it is set to go. Its store waits as long as it takes for the file
(`WAIT_SECONDS`): the test is about losing nothing, not about how fast forty writers queue on a
loaded machine, so it must not depend on the store's default 15 s busy window. MODE `race`: then waits for a line on stdin (so that all
children start writing together), records a game of CHOICES synthetic choices, one commit each,
and exits. MODE `hang`: records the game first, then prints `ready` and blocks until killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from game.classroom.records import GameRecord, iso, utc_now
from game.classroom.store import SqliteStore


def record(store: SqliteStore, game_id: str, choices: int) -> None:
    store.start_game(GameRecord(game_id, "synthetic", "Synthetic", "journalist", 1, None, f"student-{game_id[:6]}",
                                "RACE", iso(utc_now())))
    for step in range(1, choices + 1):
        store.add_choice(game_id, step, f"scene-{step % 7}", f"choice-{step}", iso(utc_now()))


WAIT_SECONDS = 600.0


def main(argv: list[str]) -> int:
    path, game_id, choices, mode = Path(argv[0]), argv[1], int(argv[2]), argv[3]
    store = SqliteStore(path, busy_timeout=WAIT_SECONDS)
    if mode == "race":
        print("ready", flush=True)
        sys.stdin.readline()
        record(store, game_id, choices)
        return 0
    record(store, game_id, choices)
    print("ready", flush=True)
    while True:  # killed here, with its connection open
        time.sleep(60)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
