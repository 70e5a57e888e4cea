"""`longarm serve`: the game in students' browsers, through textual-serve, with a class code.

Each browser connection starts its own `python -m game play` process (textual-serve's design).
The page is textual-serve's own with one change: its web font comes from this server instead of
the internet, so a classroom with no connection works. The class code reaches the game processes
in their environment (never the page), and the app asks each student for it before anything else.
Bound to anything but loopback, a class code is required: anyone on the network could play.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
import sys
from pathlib import Path
from typing import TextIO

from game.engine.paths import CLASS_CODE_ENV, RESULTS_ENV

TEMPLATES = Path(__file__).resolve().parent / "templates"
CLASS_CODE = re.compile(r"^[A-Za-z0-9-]{3,32}$")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may be reachable from other machines


def game_command(scenario: str | None) -> str:
    """The command each browser session runs: this Python, this package, the app."""
    parts = [sys.executable, "-m", "game", "play"]
    if scenario:
        parts.append(scenario)
    return shlex.join(parts)


def check_options(host: str, class_code: str | None, err: TextIO) -> bool:
    if class_code is not None and not CLASS_CODE.match(class_code):
        err.write("longarm serve: a class code is 3 to 32 letters, digits or hyphens, e.g. HISTORY-9B\n")
        return False
    if class_code is None and not is_loopback(host):
        err.write(f"longarm serve: serving on {host} lets anyone on the network in: give a class code with "
                  "--class CODE (students type it before they play)\n")
        return False
    return True


def run_serve(host: str, port: int, public_url: str | None, class_code: str | None, results: Path | None,
              scenario: str | None, err: TextIO) -> int:
    if not check_options(host, class_code, err):
        return 2
    from textual_serve.server import Server  # imported only when serving

    # textual-serve copies this process's environment into each game process.
    if class_code:
        os.environ[CLASS_CODE_ENV] = class_code
    if results is not None:
        os.environ[RESULTS_ENV] = str(results.resolve())
    server = Server(game_command(scenario), host=host, port=port, title="Long Arm", public_url=public_url,
                    templates_path=TEMPLATES)
    server.serve()
    return 0
