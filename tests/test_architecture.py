"""The engine core stays pure: importing it (and the plain player and CLI) never loads Textual."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

CORE_MODULES = [
    "game.engine.problems", "game.engine.yamlsource", "game.engine.language", "game.engine.text",
    "game.engine.model", "game.engine.load", "game.engine.cache", "game.engine.graph", "game.engine.state",
    "game.engine.saves", "game.engine.debrief", "game.engine.catalog", "game.engine.paths",
    "game.plain", "game.cli", "game.validate", "game.listing",
]


def test_engine_and_plain_front_end_import_nothing_from_textual() -> None:
    code = "import sys\n" + "".join(f"import {m}\n" for m in CORE_MODULES) + (
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.') or m == 'rich')\n"
        "print(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == ""


def test_every_engine_module_is_listed_here() -> None:
    modules = {f"game.engine.{p.stem}" for p in (REPO / "game" / "engine").glob("*.py") if p.stem != "__init__"}
    assert modules <= set(CORE_MODULES)
