"""The engine core stays pure: importing it, the plain player, the tools and the CLI never loads Textual."""

from __future__ import annotations

import subprocess
import sys

from shared import REPO


def pure_modules() -> list[str]:
    """Every module of the engine and the tools, plus the plain front end and the command line."""
    modules = [".".join(p.relative_to(REPO).with_suffix("").parts) for p in sorted((REPO / "game" / "engine").rglob("*.py")) if p.stem != "__init__"]
    for package in ("tools", "classroom", "session"):
        folder = REPO / "game" / package
        modules += [f"game.{package}.{p.stem}" for p in sorted(folder.glob("*.py")) if p.stem != "__init__"]
    return modules + ["game.plain", "game.cli", "game.validate", "game.listing"]


def test_engine_and_plain_front_end_import_nothing_from_textual() -> None:
    modules = pure_modules()
    assert "game.engine.loader.build" in modules and "game.engine.loader.load" in modules and "game.engine.runtime.state" in modules
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + (
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.') or m == 'rich')\n"
        "print(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == ""


def test_the_textual_app_is_where_textual_is_used() -> None:
    result = subprocess.run([sys.executable, "-c", "import sys, game.tui.app; print('textual' in sys.modules)"],
                            capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "True"
