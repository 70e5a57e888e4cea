"""Benchmark: loading and validating a 10,000-scene scenario, against PyYAML's own load.

In one run, on the same file, it times:
- the floor: `yaml.load(text, Loader=yaml.CSafeLoader)`, PyYAML's C loader building plain objects
  (the file read included);
- a first load: `load_scenario(path, use_cache=False)`, Long Arm's full load and validation;
- the cache's floor: `json.loads` of the cache entry's text (the file read included): the same
  data, parsed by the fastest parser at hand, building plain objects;
- a cached load: `load_scenario(path)` of the unchanged file, served from the JSON load cache;
and prints each as a median over the repeats, in wall time (perf_counter) and process CPU time,
with its ratio to its floor. Targets: a first load within 0.6x the YAML floor, a cached load
within 3x the JSON floor. `--scenes 1000 10000 50000` runs each size in turn and checks that
both grow linearly (CPU per scene within 1.5x of the smallest size's).

    python bench/load.py [--scenes 10000 ...] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.synthetic import write_synthetic  # noqa: E402

FIRST_LOAD_TARGET = 0.6  # of the YAML floor
CACHED_LOAD_TARGET = 3.0  # of the JSON floor
LINEAR_TARGET = 1.5  # CPU per scene at the largest size, over that at the smallest


def measure(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds over `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def run(scenes: int, repeat: int) -> dict[str, tuple[float, float]]:
    """The four timings (median wall s, median CPU s) for a synthetic scenario of `scenes` scenes."""
    with tempfile.TemporaryDirectory(prefix="longarm-bench-") as temp:
        root = Path(temp)
        os.environ["LONGARM_CACHE_DIR"] = str(root / "cache")
        shutil.copytree(REPO / "seeds", root / "seeds")
        path = write_synthetic(root / "scenarios" / "synthetic.yaml", scenes=scenes)

        from game.engine import limits
        from game.engine.loader.load import load_scenario  # after LONGARM_CACHE_DIR is set
        from game.engine.loader.yamlsource import USING_C_LOADER

        # Scenario files are refused over 16 MB; 50,000 synthetic scenes are 21 MB. The limit is
        # lifted here only, to see how loading grows past it.
        limits.MAX_FILE_BYTES = max(limits.MAX_FILE_BYTES, 2 * path.stat().st_size)

        if not USING_C_LOADER:
            print("warning: PyYAML has no C loader here; both sides use the pure-Python one")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        def floor() -> object:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)

        def first() -> object:
            result = load_scenario(path, use_cache=False)
            assert result.ok, [p.render() for p in result.problems[:5]]
            return result

        load_scenario(path)  # writes the cache entry the cached runs read
        [entry] = (root / "cache" / "scenarios").glob("*.json")

        def json_floor() -> object:
            return json.loads(entry.read_text(encoding="utf-8"))

        def cached() -> object:
            result = load_scenario(path)
            assert result.from_cache
            return result

        size = path.stat().st_size
        print(f"synthetic scenario: {scenes:,} scenes, {size / 1_000_000:.1f} MB (cache entry "
              f"{entry.stat().st_size / 1_000_000:.1f} MB); median of {repeat} runs")
        return {name: measure(action, repeat) for name, action in
                (("yaml", floor), ("first", first), ("json", json_floor), ("cached", cached))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    failed = False
    per_scene: dict[int, dict[str, float]] = {}
    for scenes in args.scenes:
        timings = run(scenes, args.repeat)
        print(f"{'':40} {'wall s':>8} {'cpu s':>8} {'cpu ratio':>10} {'target':>8}")
        rows = [("yaml.load, CSafeLoader (floor)", "yaml", None, None),
                ("longarm load + validate", "first", "yaml", FIRST_LOAD_TARGET),
                ("json.loads of the cache entry (floor)", "json", None, None),
                ("longarm load, cached", "cached", "json", CACHED_LOAD_TARGET)]
        for label, name, floor, target in rows:
            wall, cpu = timings[name]
            ratio = cpu / timings[floor][1] if floor else 1.0
            verdict = ""
            if target is not None:
                verdict = f"<= {target:g}x " + ("ok" if ratio <= target else "MISSED")
                failed |= ratio > target
            print(f"{label:40} {wall:8.3f} {cpu:8.3f} {ratio:9.3f}x {verdict:>8}")
        per_scene[scenes] = {name: timings[name][1] / scenes for name in ("first", "cached")}
    if len(per_scene) > 1:
        smallest, largest = min(per_scene), max(per_scene)
        for name in ("first", "cached"):
            growth = per_scene[largest][name] / per_scene[smallest][name]
            verdict = "ok" if growth <= LINEAR_TARGET else "MISSED"
            failed |= growth > LINEAR_TARGET
            print(f"{name} load, CPU per scene at {largest:,} over {smallest:,} scenes: {growth:.2f}x "
                  f"(linear: <= {LINEAR_TARGET}x) {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
