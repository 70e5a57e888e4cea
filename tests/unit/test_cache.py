"""The load cache: used when nothing changed, ignored when anything did or the entry is damaged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shared import BASE_SCENARIO, REACTIVE_SCENARIO
from game.engine import paths
from game.engine.loader.load import load_scenario


def entries() -> list[Path]:
    return list((paths.cache_dir() / "scenarios").glob("*.json"))


def test_second_load_comes_from_the_cache_and_is_equal(write_scenario: Callable[..., Path]) -> None:
    path = write_scenario()
    first = load_scenario(path)
    second = load_scenario(path)
    assert not first.from_cache and second.from_cache
    assert second.scenario == first.scenario
    assert len(entries()) == 1


def test_warnings_survive_the_cache(write_scenario: Callable[..., Path]) -> None:
    text = BASE_SCENARIO.replace("endings:\n", "  attic:\n    title: A\n    basis: invented\n    text: A.\n"
                                              "    choices:\n      - {text: Go, id: go, goto: quiet}\nendings:\n")
    path = write_scenario(text)
    first, second = load_scenario(path), load_scenario(path)
    assert second.from_cache and [p.render() for p in second.problems] == [p.render() for p in first.problems]


def test_a_changed_file_is_loaded_again(write_scenario: Callable[..., Path]) -> None:
    path = write_scenario()
    load_scenario(path)
    write_scenario(BASE_SCENARIO.replace("title: Test story", "title: Changed"))
    result = load_scenario(path)
    assert not result.from_cache and result.scenario is not None and result.scenario.title == "Changed"


def test_a_changed_source_file_is_checked_again(write_scenario: Callable[..., Path], project: Path) -> None:
    path = write_scenario()
    load_scenario(path)
    (project / "seeds" / "amnesty-2019-11-08-cambodia.txt").write_text("Nothing to see.")
    result = load_scenario(path)
    assert not result.from_cache and [p.code for p in result.problems] == ["LA052"]


def test_damaged_entries_are_misses(write_scenario: Callable[..., Path]) -> None:
    path = write_scenario()
    load_scenario(path)
    [entry] = entries()
    for damage in ("", "{", '{"cache_format": 1}', "[]", entry.read_text().replace('"head":[1,', '"head":[')):
        entry.write_text(damage)
        result = load_scenario(path)
        assert result.scenario is not None and not result.from_cache


def test_errors_are_not_cached(write_scenario: Callable[..., Path]) -> None:
    path = write_scenario(BASE_SCENARIO.replace("format: 1", "format: 7"))
    assert not load_scenario(path).ok
    assert entries() == []


def test_unwritable_cache_is_ignored(write_scenario: Callable[..., Path], monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("LONGARM_CACHE_DIR", str(blocker))
    assert load_scenario(write_scenario()).ok


def test_a_format_2_scenario_comes_back_from_the_cache_the_same(write_scenario: Callable[..., Path]) -> None:
    """Text variants, arithmetic, visits, outcome conditions and weights, once and fallback survive the cache."""
    path = write_scenario(REACTIVE_SCENARIO, name="night-watch")
    fresh = load_scenario(path)
    cached = load_scenario(path)
    assert not fresh.from_cache and cached.from_cache
    assert cached.scenario == fresh.scenario and cached.scenario is not None
    assert cached.scenario.texts and any(c.once for s in cached.scenario.scenes.values() for c in s.choices)
