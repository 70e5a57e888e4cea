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


def _rewrite_body(entry: Path, change: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
    """Change an entry's second line and sign it again, as only a deliberate edit could."""
    import hashlib
    import json

    stamp_line, _, body_line = entry.read_bytes().partition(b"\n")
    stamp, body = json.loads(stamp_line), json.loads(body_line)
    change(body["scenario"])
    new_body = json.dumps(body).encode()
    stamp["body"] = hashlib.sha256(new_body).hexdigest()
    entry.write_bytes(json.dumps(stamp).encode() + b"\n" + new_body)


def test_entries_the_cache_could_not_have_written_are_misses(write_scenario: Callable[..., Path]) -> None:
    """Past the hash of its second line, the decoding still refuses what it never writes."""
    path = write_scenario(REACTIVE_SCENARIO, name="night-watch")
    fresh = load_scenario(path)
    [entry] = entries()
    original = entry.read_bytes()

    def set_at(key: str, column: int, value: object) -> Callable[[dict], None]:  # type: ignore[type-arg]
        return lambda s: s[key][column].__setitem__(0, value)

    damages: list[Callable[[dict], None]] = [  # type: ignore[type-arg]
        set_at("choices", 4, -1),  # a condition counted from the end
        set_at("choices", 4, 10**6),  # a condition past the table
        set_at("choices", 7, "a"),  # an effect set by name
        lambda s: s["choices"][0].pop(),  # a column short
        lambda s: s["choices"].pop(),  # a column missing
        lambda s: s["scenes"][4].__setitem__(0, s["scenes"][4][0] + 1),  # choices not adding up
        lambda s: s["nodes"].append(["cmp", "=~", 1, 1]),  # an unknown comparison
        lambda s: s["nodes"].append(["n", len(s["nodes"]) + 1]),  # a node referring to itself
        lambda s: s["nodes"].append(["mul"]),  # a product of nothing
        lambda s: s["effects"][0].__setitem__(1, "*="),  # an unknown effect
        lambda s: s["effects"][0].__setitem__(2, "x"),  # an effect's value not a number
        lambda s: s["effect_sets"].__setitem__(0, [0]),  # set 0 not empty
        lambda s: s.pop("outcomes"),
    ]
    for damage in damages:
        entry.write_bytes(original)
        _rewrite_body(entry, damage)
        result = load_scenario(path)
        assert not result.from_cache and result.scenario == fresh.scenario
    entry.write_bytes(original)
    stamp_line, _, body_line = original.partition(b"\n")
    entry.write_bytes(stamp_line.replace(b'"schema":"', b'"schema":"Old;') + b"\n" + body_line)
    assert not load_scenario(path).from_cache  # written for other model fields


def test_shared_values_keep_their_types(write_scenario: Callable[..., Path]) -> None:
    """The cache writes each distinct expression and effect once; 1 and true are equal in Python
    but are different values, and must come back as they were."""
    path = write_scenario()  # `story += 1, has_footage = true`: the 1 and the true, side by side
    fresh, cached = load_scenario(path).scenario, load_scenario(path).scenario
    assert fresh is not None and cached is not None and cached == fresh

    def typed(s: object) -> list[tuple[str, type]]:
        found: list[tuple[str, type]] = []

        def walk(value: object) -> None:
            if isinstance(value, (tuple, list)):
                for item in value:
                    walk(item)
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif hasattr(value, "__dataclass_fields__"):
                for name in value.__dataclass_fields__:
                    walk(getattr(value, name))
            else:
                found.append((repr(value), type(value)))

        walk(s)
        return found

    assert typed(cached) == typed(fresh)
    effects = [e for s in cached.scenes.values() for c in s.choices for e in c.effects]
    assert {(e.value, type(e.value)) for e in effects} >= {(1, int), (True, bool)}


def test_classes_rebuilt_without_init_have_nothing_init_would_do() -> None:
    """The cache sets the fields of scenes, choices and outcomes without `__init__`: that is only
    the same object while `__init__` does nothing but set them (a frozen slotted dataclass with no
    `__post_init__` and no field computed from others). A class that grows one fails here."""
    import dataclasses

    from game.engine.loader.cacheform import _COLUMNS

    for cls in _COLUMNS:
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        assert not hasattr(cls, "__post_init__"), cls
        assert not hasattr(cls, "__dict__") or "__slots__" in vars(cls), cls
        assert all(f.init for f in dataclasses.fields(cls)), cls
