"""Benchmark: loading and validating a 10,000-scene scenario, against PyYAML's own load.

In one run, on the same file, it times:
- the floor: `yaml.load(text, Loader=yaml.CSafeLoader)`, PyYAML's C loader building plain objects;
- a first load: `load_scenario(path, use_cache=False)`, Long Arm's full load and validation;
- a cached load: `load_scenario(path)` of the unchanged file, served from the JSON load cache;
and prints each as a median over the repeats, in wall time (perf_counter) and process CPU time,
with its ratio to the floor. Targets: first load within 2x the floor, cached load within 0.1x.

    python bench/load.py [--scenes 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
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

FIRST_LOAD_TARGET = 2.0
CACHED_LOAD_TARGET = 0.1


def measure(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds over `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="longarm-bench-") as temp:
        root = Path(temp)
        os.environ["LONGARM_CACHE_DIR"] = str(root / "cache")
        shutil.copytree(REPO / "seeds", root / "seeds")
        path = write_synthetic(root / "scenarios" / "synthetic.yaml", scenes=args.scenes)

        from game.engine.loader.load import load_scenario  # after LONGARM_CACHE_DIR is set
        from game.engine.loader.yamlsource import USING_C_LOADER

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

        def cached() -> object:
            result = load_scenario(path)
            assert result.from_cache
            return result

        size = path.stat().st_size
        print(f"synthetic scenario: {args.scenes:,} scenes, {size / 1_000_000:.1f} MB; median of {args.repeat} runs")
        floor_wall, floor_cpu = measure(floor, args.repeat)
        rows = [("yaml.load, CSafeLoader (floor)", floor_wall, floor_cpu, None)]
        for name, action, target in (("longarm load + validate", first, FIRST_LOAD_TARGET),
                                     ("longarm load, cached", cached, CACHED_LOAD_TARGET)):
            wall, cpu = measure(action, args.repeat)
            rows.append((name, wall, cpu, target))

    print(f"{'':34} {'wall s':>8} {'cpu s':>8} {'cpu ratio':>10} {'target':>8}")
    failed = False
    for name, wall, cpu, target in rows:
        ratio = cpu / floor_cpu
        verdict = ""
        if target is not None:
            verdict = f"<= {target:g}x " + ("ok" if ratio <= target else "MISSED")
            failed |= ratio > target
        print(f"{name:34} {wall:8.3f} {cpu:8.3f} {ratio:9.3f}x {verdict:>8}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
