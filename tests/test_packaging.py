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
    shared = {p.name for p in (REPO / "scenarios" / "shared").glob("*.yaml")}
    assert shared and {f"game/_data/scenarios/shared/{name}" for name in shared} <= names  # what the stories include
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "longarm = game.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    # Installed, the stories load: their includes and their shared file's seeds resolve inside the package.
    unpacked = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(unpacked)
    check = ("from pathlib import Path; from game.engine.loader.load import load_scenario; "
             "import game.engine.paths as p; d = p.shipped_scenarios_dir(); "
             "r = [load_scenario(f, use_cache=False) for f in sorted(d.glob('*.yaml'))]; "
             "assert str(d).startswith(str(Path(p.__file__).parents[1])), d; "
             "assert r and all(x.problems == () for x in r), [x.problems for x in r]; print(len(r))")
    ran = subprocess.run([sys.executable, "-c", check], cwd=unpacked, capture_output=True, text=True,
                         env={"PYTHONPATH": str(unpacked), "LONGARM_CACHE_DIR": str(tmp_path / "cache")})
    assert ran.returncode == 0 and ran.stdout.strip() == str(len(shipped)), ran.stderr


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_second() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.count("<!-- play-command -->") == 1 and readme.count("<!-- test-command -->") == 1
    extracted = subprocess.run(
        ["awk", "/<!-- test-command -->/{found=1; next} found && /^```sh/{inblock=1; next} "
                "inblock && /^```/{exit} inblock{print}", "README.md"],
        cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    assert "pip install -e '.[test]'" in extracted and extracted.endswith("python -m pytest")
    assert "README.md" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
