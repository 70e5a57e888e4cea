"""Hostile scenarios (issue 15): each crash the fuzzer found, as a test, and every limit reported.

Each case is one line changed in the scenario `longarm new` writes. Before the fix these raised
RecursionError or ValueError in the loader or the playtest, or tabulated a stat of a billion
values; now each is a located diagnostic, or a search that stays within its caps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine import limits
from game.engine.loader.load import load_scenario
from game.engine.loader.problems import Problem
from game.engine.runtime.model import Scenario
from game.engine.search.explore import explore
from game.engine.search.playtest import play_random
from game.tools.scaffold import template

WriteScenario = Callable[..., Path]
IF_LINE = "if: safety >= 2"
DO_LINE = "do: [safety -= 1]"


@pytest.fixture
def scaffold(project: Path) -> str:
    return template("night-bus", project / "scenarios" / "night-bus.yaml")


def problems(write_scenario: WriteScenario, text: str) -> list[Problem]:
    result = load_scenario(write_scenario(text, name="night-bus"), use_cache=False)
    return list(result.problems)


def loaded(write_scenario: WriteScenario, text: str) -> Scenario:
    result = load_scenario(write_scenario(text, name="night-bus"), use_cache=False)
    assert result.scenario is not None, [p.render() for p in result.problems]
    return result.scenario


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_scaffold_itself_loads(write_scenario: WriteScenario, scaffold: str) -> None:
    assert IF_LINE in scaffold and DO_LINE in scaffold
    assert problems(write_scenario, scaffold) == []


def test_deeply_nested_parentheses_are_a_located_limit(write_scenario: WriteScenario, scaffold: str) -> None:
    text = scaffold.replace(IF_LINE, "if: " + "(" * 200 + "safety >= 2" + ")" * 200)
    [problem] = problems(write_scenario, text)
    assert problem.code == "LA072"
    assert f"more than {limits.MAX_EXPRESSION_DEPTH} deep" in problem.message
    prefix = "        if: "
    assert (problem.line, problem.column) == (line_of(text, "if: ((("), len(prefix) + limits.MAX_EXPRESSION_DEPTH + 1)


@pytest.mark.parametrize(("nots", "code"), [(300, "LA072"), (1000, "LA073")])
def test_hundreds_of_nots_are_a_located_limit(write_scenario: WriteScenario, scaffold: str, nots: int,
                                              code: str) -> None:
    text = scaffold.replace(IF_LINE, "if: " + "not " * nots + "has_notes")
    [problem] = problems(write_scenario, text)
    assert problem.code == code


def test_nesting_at_the_limit_loads_and_plays(write_scenario: WriteScenario, scaffold: str) -> None:
    depth = limits.MAX_EXPRESSION_DEPTH
    text = scaffold.replace(IF_LINE, "if: " + "(" * (depth - 2) + "not not safety >= 2" + ")" * (depth - 2))
    scenario = loaded(write_scenario, text)
    assert explore(scenario).ok


@pytest.mark.parametrize("where", ["if", "do"])
def test_an_integer_of_thousands_of_digits_is_a_located_limit(write_scenario: WriteScenario, scaffold: str,
                                                                 where: str) -> None:
    """Past Python's 4,300-digit limit: the expression is too long before its number is read."""
    huge = "9" * 5000
    text = (scaffold.replace(IF_LINE, f"if: safety >= {huge}") if where == "if"
            else scaffold.replace(DO_LINE, f"do: [safety -= {huge}]"))
    [problem] = problems(write_scenario, text)
    assert problem.code == "LA073"


@pytest.mark.parametrize("where", ["if", "do"])
def test_an_integer_beyond_the_number_limit_is_located(write_scenario: WriteScenario, scaffold: str,
                                                         where: str) -> None:
    big = "1" + "0" * 1500
    text = (scaffold.replace(IF_LINE, f"if: safety >= {big}") if where == "if"
            else scaffold.replace(DO_LINE, f"do: [safety -= {big}]"))
    [problem] = problems(write_scenario, text)
    assert problem.code == "LA074"
    assert f"in {where}: a 1,501-digit number is too large" in problem.message
    prefix = "        if: safety >= " if where == "if" else "        do: [safety -= "
    assert (problem.line, problem.column) == (line_of(text, big[:20]), len(prefix) + 1)
    assert (problem.end_line, problem.end_column) == (problem.line, problem.column + len(big))


@pytest.mark.parametrize("key", ["min", "max", "start"])
def test_a_huge_stat_bound_is_a_located_limit(write_scenario: WriteScenario, scaffold: str, key: str) -> None:
    old = {"min": "min: 0", "max": "max: 5", "start": "start: 3"}[key]
    text = scaffold.replace(old, f"{key}: {'1' * 5000}")
    found = problems(write_scenario, text)
    assert [p.code for p in found][:1] == ["LA074"]
    assert found[0].line == line_of(text, "safety: {label")


def test_a_long_and_chain_loads_and_both_playtests_run(write_scenario: WriteScenario, scaffold: str) -> None:
    parts = 120  # as long as the expression limit allows: the chain is compiled without recursion
    text = scaffold.replace(IF_LINE, "if: " + " and ".join(["safety >= 2"] * parts))
    scenario = loaded(write_scenario, text)
    assert explore(scenario).ok
    assert play_random(scenario, 50, 1).ok


def test_an_and_chain_of_a_thousand_parts_is_too_long(write_scenario: WriteScenario, scaffold: str) -> None:
    text = scaffold.replace(IF_LINE, "if: " + " and ".join(["has_notes"] * 1000))
    [problem] = problems(write_scenario, text)
    assert problem.code == "LA073"
    assert f"the limit is {limits.MAX_EXPRESSION_CHARS:,}" in problem.message


def test_a_chain_of_a_thousand_compiles_without_recursion() -> None:
    """Below the loader: the compiler itself no longer nests a closure per part."""
    from game.engine.runtime.language import BoolOp, Compare, Const, Stat
    from game.engine.search.analysis import compile_condition, make_layout, Reads
    from game.engine.runtime.model import StatDef

    chain = BoolOp("and", tuple(Compare(">=", Stat("safety"), Const(value)) for value in range(1000)))
    scenario = Scenario(1, "x", "x", "x", "en", "", 1, (), (), {}, {"safety": StatDef("safety", "S", 0, 2000, 0)},
                        {}, {}, {}, {}, {"a": _scene()}, {})
    layout = make_layout(scenario, Reads(frozenset({"safety"})))
    test = compile_condition(chain, layout, "r")
    assert callable(test) and test(999 << layout.stats[0].shift) and not test(998 << layout.stats[0].shift)


def _scene():  # type: ignore[no-untyped-def]
    from game.engine.runtime.model import Scene

    return Scene("a", "A", "invented", "", ())


@pytest.mark.parametrize("width", [10**6, 10**9])
def test_a_wide_stat_is_not_tabulated(write_scenario: WriteScenario, scaffold: str, width: int) -> None:
    text = scaffold.replace("min: 0, max: 5, start: 3", f"min: 0, max: {width}, start: 3")
    scenario = loaded(write_scenario, text)
    started = time.process_time()
    found = explore(scenario, max_states=10_000)
    run = play_random(scenario, 200, 1)
    assert time.process_time() - started < 5
    assert found.ok and run.ok
    assert run.stat_ranges["safety"] == (2, 3)


def test_a_wide_stat_moves_as_the_engine_moves_it(write_scenario: WriteScenario, scaffold: str) -> None:
    """The clamped shift that replaces a table agrees with the engine's own effect rules."""
    from game.engine.runtime import state as rules
    from game.engine.runtime.language import Effect
    from game.engine.search.analysis import Reads, compile_move, make_layout

    text = scaffold.replace("min: 0, max: 5, start: 3", "min: -5000, max: 5000, start: 3")
    scenario = loaded(write_scenario, text)
    layout = make_layout(scenario, Reads(frozenset({"safety"})))
    field = layout.stats[0]
    sequences = [(Effect("safety", "+=", 7),), (Effect("safety", "-=", 9000), Effect("safety", "+=", 3)),
                 (Effect("safety", "=", 12), Effect("safety", "-=", 20)),
                 (Effect("safety", "+=", 4000), Effect("safety", "+=", 4000), Effect("safety", "-=", 1))]
    for effects in sequences:
        step = compile_move(scenario, layout, effects, "quiet")
        for value in (-5000, -4999, -1, 0, 3, 999, 4990, 5000):
            after, _ = rules.apply_effects(scenario, {"safety": value}, frozenset(), effects)
            packed = step(layout.place_index("message") | ((value - field.low) << field.shift))
            assert layout.stat_value(packed, 0) == after["safety"], (effects, value)


def test_the_search_stops_at_its_moves_cap(write_scenario: WriteScenario, scaffold: str) -> None:
    choices = "".join(f"      - text: Wait {n}\n        id: wait-{n}\n        goto: message\n"
                      f"        do: [safety -= 1]\n" for n in range(60))
    text = scaffold.replace("      - text: Stay home and follow the news\n", choices + "      - text: Stay home and follow the news\n")
    text = text.replace("min: 0, max: 5, start: 3", "min: 0, max: 100000, start: 50000")
    scenario = loaded(write_scenario, text)
    found = explore(scenario, max_states=200)
    [role] = found.roles
    assert role.stopped_by == "moves" and role.edges <= 200 * limits.MOVES_PER_STATE + 62


def test_too_many_choices_and_outcomes_are_limits(write_scenario: WriteScenario, scaffold: str) -> None:
    count = limits.MAX_CHOICES_PER_SCENE + 1
    choices = "".join(f"      - {{text: Wait {n}, id: wait-{n}, goto: quiet}}\n" for n in range(count))
    outcomes = "".join("          - {weight: 1, goto: quiet}\n" for _ in range(limits.MAX_OUTCOMES_PER_CHOICE + 1))
    text = (scaffold.replace("      - text: Stay home and follow the news\n", choices + "      - text: Stay home and follow the news\n")
            .replace("          - {weight: 2, goto: quiet}\n", outcomes))
    assert sorted(p.code for p in problems(write_scenario, text)) == ["LA076", "LA077"]


def test_problems_past_the_limit_are_counted_not_listed(write_scenario: WriteScenario, scaffold: str) -> None:
    extra = "".join(f"  extra-{n}: {{title: x}}\n" for n in range(limits.MAX_PROBLEMS))
    text = scaffold.replace("endings:\n", extra + "endings:\n")
    found = problems(write_scenario, text)
    assert len(found) == limits.MAX_PROBLEMS + 1
    assert found[-1].code == "LA079" and "more problems are not shown" in found[-1].message


def test_a_yaml_nesting_past_the_limit_is_refused(write_scenario: WriteScenario, scaffold: str) -> None:
    deep = "[" * (limits.MAX_YAML_DEPTH + 5) + "]" * (limits.MAX_YAML_DEPTH + 5)
    [problem] = problems(write_scenario, scaffold.replace("content_warnings: [detention]", f"content_warnings: {deep}"))
    assert problem.code == "LA071"
    deeper = "[" * 5000 + "]" * 5000  # libyaml's own limit of 1,000 levels, said the same way
    [problem] = problems(write_scenario, scaffold.replace("content_warnings: [detention]", f"content_warnings: {deeper}"))
    assert problem.code == "LA071"


def test_a_named_pipe_as_a_source_never_blocks(write_scenario: WriteScenario, scaffold: str, project: Path) -> None:
    import os

    os.mkfifo(project / "seeds" / "pipe.txt")
    text = scaffold.replace("file: ../seeds/amnesty-2019-11-08-cambodia.txt", "file: ../seeds/pipe.txt")
    [problem] = problems(write_scenario, text)
    assert problem.code == "LA056" and "not a regular file" in problem.message


def test_a_folder_or_a_pipe_as_the_scenario_is_a_problem(project: Path) -> None:
    import os

    os.mkfifo(project / "scenarios" / "pipe.yaml")
    for path, reason in ((project / "scenarios", "it is a folder"), (project / "scenarios" / "pipe.yaml", "not a regular file")):
        [problem] = load_scenario(path, use_cache=False).problems
        assert problem.code == "LA001" and reason in problem.message


@pytest.mark.parametrize("data", [
    b"\xff\xfe\x00",
    b"a: \xef\xbf\xbe\n",  # U+FFFE: refused by YAML's reader
    b"a: b\r\nc: [d\r",
    b"%YAML 1.1\n--- !!map\na: 1\n",
    b"? [a, b]\n: c\n",
    b"a: !!binary aGVsbG8=\n",
    b"- - - - -\n",
    b"&a [*a]\n",
    b"{" * 2000,
    b"a: 1\n" * 100 + b"a: 2\n",
])
def test_odd_bytes_give_problems_never_exceptions(project: Path, data: bytes) -> None:
    path = project / "scenarios" / "odd.yaml"
    path.write_bytes(data)
    result = load_scenario(path, use_cache=False)
    assert result.scenario is None and result.problems
    assert all(p.code != "LA099" for p in result.problems), [p.render() for p in result.problems]


def test_a_bug_in_the_checks_is_a_problem_not_a_traceback(write_scenario: WriteScenario, scaffold: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from game.engine.loader import build

    def broken(*_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(build, "build", broken)
    [problem] = problems(write_scenario, scaffold)
    assert problem.code == "LA099" and "RecursionError" in problem.message
