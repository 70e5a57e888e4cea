"""Benchmark: a whole plain game piped in, against a script that prints the same text.

    python bench/plain.py [--runs 7]

The game: `longarm play --plain arrival-hall --role journalist --seed 1` with `1` typed for
every choice, as `printf '1\\n...' | longarm play --plain ...` runs it (recorded in a results
store of its own, as every game is). The baseline: `python -c` writing that game's own output,
read from a file: the interpreter's start, and the printing, with no game. Each is a new process,
interleaved; the figure is the process's CPU time (user + system), median of `--runs`.
Target: the game within 3x the baseline.

A third process shows the floor under that target: the same printing after importing only the
standard modules the game is built on (`argparse` for the command line, `sqlite3` for the
results store, `json` for the load cache, `pathlib`, and `dataclasses` and `typing` for the
model), before any of Long Arm's own code runs. The game's figure over that floor is what the
engine, the session, the recorder and the plain player cost.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = 3.0
#: What the game imports from the standard library whatever it does: the floor's imports.
STDLIB = "argparse, dataclasses, json, pathlib, sqlite3, typing"
GAME = ["-m", "game", "play", "--plain", "arrival-hall", "--role", "journalist", "--seed", "1"]


def cpu(args: list[str], stdin: bytes, env: dict[str, str]) -> tuple[float, bytes]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, *args], input=stdin, capture_output=True, env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="longarm-bench-") as temp:
        env = {**os.environ, "PYTHONPATH": str(REPO), "LONGARM_DATA_DIR": str(Path(temp) / "data"),
               "LONGARM_CACHE_DIR": str(Path(temp) / "cache")}
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "game")], check=True, capture_output=True)
        typed = b"1\n" * 80
        _, text = cpu(GAME, typed, env)  # warms the load cache; its output is the baseline's text
        transcript = Path(temp) / "game.txt"
        transcript.write_bytes(text)
        printer = ["-c", f"import sys; sys.stdout.write(open({str(transcript)!r}, encoding='utf-8').read())"]
        stdlib = ["-c", f"import {STDLIB}; {printer[1]}"]
        game, baseline, imports = [], [], []
        for _ in range(args.runs):
            game.append(cpu(GAME, typed, env)[0])
            baseline.append(cpu(printer, b"", env)[0])
            imports.append(cpu(stdlib, b"", env)[0])
    ours, floor, modules = statistics.median(game), statistics.median(baseline), statistics.median(imports)
    ratio = ours / floor
    lines = text.count(b"\n")
    print(f"a plain game piped in ({lines} lines of output), CPU s, median of {args.runs}")
    print(f"  python -c printing the same text (baseline)   {floor:7.3f}")
    print(f"  the same, importing {STDLIB} first")
    print(f"    (the standard library the game is built on)  {modules:7.3f}   {modules / floor:.1f}x")
    print(f"  longarm play --plain ...                      {ours:7.3f}   {ratio:.1f}x   target <= {TARGET:g}x")
    print(f"  Long Arm's own share: the game less the standard library's floor  {ours - modules:.3f}")
    print("target met" if ratio <= TARGET else "target MISSED")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
