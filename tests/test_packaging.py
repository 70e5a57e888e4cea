"""Packaging: the wheel carries the stories and seeds; the README's two commands are the ones CI runs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from shared import REPO


def test_wheel_contains_the_package_scenarios_and_seeds(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("longarm-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "game/engine/loader/load.py" in names
    assert "game/_data/seeds/amnesty-2019-11-08-cambodia.txt" in names
    shipped = {p.name for p in (REPO / "scenarios").glob("*.yaml")}
    assert shipped and {f"game/_data/scenarios/{name}" for name in shipped} <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "longarm = game.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_second() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.count("<!-- play-command -->") == 1 and readme.count("<!-- test-command -->") == 1
    extracted = subprocess.run(
        ["awk", "/<!-- test-command -->/{found=1; next} found && /^```sh/{inblock=1; next} "
                "inblock && /^```/{exit} inblock{print}", "README.md"],
        cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    assert "pip install -e '.[test]'" in extracted and extracted.endswith("python -m pytest")
    assert "README.md" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
