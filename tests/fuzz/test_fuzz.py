"""Property: no mutation of a shipped scenario or of the `longarm new` scaffold makes the loader, the
playtests or the plain player raise (issue 15). A few hundred cases, so the suite stays fast;
`bench/fuzz.py` runs tens of thousands, each in a bounded worker process."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.tools.scaffold import template
from mutations import HOSTILE, OPERATORS, Mutation, mutate, run_case
from shared import REPO

SHIPPED = sorted((REPO / "scenarios").glob("*.yaml"))
MUTATION = st.tuples(st.integers(0, OPERATORS - 1), st.integers(0, 5_000), st.integers(0, 5_000))


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    scaffold = template("night-bus", tmp_path_factory.mktemp("new") / "scenarios" / "night-bus.yaml")
    return [scaffold, *(path.read_text(encoding="utf-8") for path in SHIPPED)]


def test_mutations_are_deterministic_and_change_the_text(texts: list[str]) -> None:
    mutations: list[Mutation] = [(5, 40, 7), (12, 55, 0), (10, 12, 3), (0, 3, 0)]
    assert mutate(texts[0], mutations) == mutate(texts[0], mutations) != texts[0]
    assert mutate(texts[0], [(5, 7, HOSTILE.index("!shell ls"))]).count("!shell ls") == 1


@settings(max_examples=250, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(which=st.integers(0, len(SHIPPED)), mutations=st.lists(MUTATION, min_size=1, max_size=4),
       seed=st.integers(0, 1_000))
def test_no_mutation_makes_anything_raise(project: Path, texts: list[str], which: int, mutations: list[Mutation],
                                          seed: int) -> None:
    # Mostly the scaffold (small and quick); the shipped stories one case in four.
    text = texts[which if which == 0 or seed % 4 == 0 else 0]
    run_case(project / "scenarios" / "fuzzed.yaml", mutate(text, mutations), seed)
