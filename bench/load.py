"""Benchmark: loading and validating a 10,000-scene scenario, against PyYAML's own load.

In one run, on the same file, it times:
- the floor: `yaml.load(text, Loader=yaml.CSafeLoader)`, PyYAML's C loader building plain objects
  (the file read included);
- a first load: `load_scenario(path, use_cache=False)`, Long Arm's full load and validation;
- the cache's floor: `json.loads` of the cache entry (its two lines; the file read included):
  the same data, parsed by the fastest parser at hand, building plain objects;
- a cached load: `load_scenario(path)` of the unchanged file, served from the JSON load cache.

Each candidate is timed in pairs with its floor, interleaved (floor then candidate, then the
other way round, and so on), after one untimed pair; the collector is run before each timing so
both sides start from the same heap. A ratio is the median of the pairs' own ratios of process
CPU time, so a busy moment on this shared machine moves one pair, not the figure. It prints
median wall time (perf_counter) and CPU time (process_time), the ratio and the range of the
pairs' ratios. Targets: a first load within 0.6x the YAML floor, a cached load within 3x the
JSON floor. `--scenes 1000 10000 50000` runs each size in turn and checks that both grow
linearly (CPU per scene within 1.5x of the smallest size's).

    python bench/load.py [--scenes 10000 ...] [--repeat 5] [--cached-repeat 21]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.synthetic import write_synthetic  # noqa: E402

FIRST_LOAD_TARGET = 0.6  # of the YAML floor
CACHED_LOAD_TARGET = 3.0  # of the JSON floor
LINEAR_TARGET = 1.5  # CPU per scene at the largest size, over that at the smallest


@dataclass
class Pairs:
    """A candidate timed in pairs with its floor: per-run wall and CPU seconds of each side."""

    floor_wall: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [candidate / floor for candidate, floor in zip(self.cpu, self.floor_cpu)]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one run, from a freshly collected heap."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def pairs(floor: Callable[[], object], candidate: Callable[[], object], repeat: int) -> Pairs:
    """`repeat` interleaved pairs (floor first in even pairs, the candidate first in odd ones),
    after one untimed pair that warms the caches."""
    floor(), candidate()
    result = Pairs()
    for index in range(repeat):
        order = ((floor, True), (candidate, False)) if index % 2 == 0 else ((candidate, False), (floor, True))
        for action, is_floor in order:
            wall, cpu = timed(action)
            (result.floor_wall if is_floor else result.wall).append(wall)
            (result.floor_cpu if is_floor else result.cpu).append(cpu)
    return result


def run(scenes: int, repeat: int, cached_repeat: int) -> dict[str, Pairs]:
    """The first load against the YAML floor and the cached load against the JSON floor."""
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
            return [json.loads(line) for line in entry.read_bytes().split(b"\n")]

        def cached() -> object:
            result = load_scenario(path)
            assert result.from_cache
            return result

        size = path.stat().st_size
        print(f"synthetic scenario: {scenes:,} scenes, {size / 1_000_000:.1f} MB (cache entry "
              f"{entry.stat().st_size / 1_000_000:.1f} MB); {repeat} pairs of YAML floor and first load, "
              f"{cached_repeat} of JSON floor and cached load, interleaved")
        return {"first": pairs(floor, first, repeat), "cached": pairs(json_floor, cached, cached_repeat)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--repeat", type=int, default=5, help="pairs of YAML floor and first load (default 5)")
    parser.add_argument("--cached-repeat", type=int, default=21,
                        help="pairs of JSON floor and cached load (default 21: a pair is a fraction of a second)")
    args = parser.parse_args()

    failed = False
    per_scene: dict[int, dict[str, float]] = {}
    for scenes in args.scenes:
        timings = run(scenes, args.repeat, args.cached_repeat)
        print(f"{'':40} {'wall s':>8} {'cpu s':>8} {'cpu ratio':>10} {'pairs min-max':>14} {'target':>8}")
        for floor_label, label, name, target in (
                ("yaml.load, CSafeLoader (floor)", "longarm load + validate", "first", FIRST_LOAD_TARGET),
                ("json.loads of the cache entry (floor)", "longarm load, cached", "cached", CACHED_LOAD_TARGET)):
            measured = timings[name]
            print(f"{floor_label:40} {statistics.median(measured.floor_wall):8.3f} "
                  f"{statistics.median(measured.floor_cpu):8.3f} {1:9.3f}x")
            ratio = measured.ratio
            verdict = f"<= {target:g}x " + ("ok" if ratio <= target else "MISSED")
            failed |= ratio > target
            spread = f"{min(measured.ratios):.2f}-{max(measured.ratios):.2f}x"
            print(f"{label:40} {statistics.median(measured.wall):8.3f} {statistics.median(measured.cpu):8.3f} "
                  f"{ratio:9.3f}x {spread:>14} {verdict:>8}")
        per_scene[scenes] = {name: statistics.median(timings[name].cpu) / scenes for name in ("first", "cached")}
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
