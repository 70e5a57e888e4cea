"""The if/do language: what parses, what is refused, and how it evaluates."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from game.engine.runtime.language import (
    Effect,
    LanguageError,
    Names,
    evaluate,
    expr_from_json,
    expr_to_json,
    names_read,
    parse_condition,
    parse_effect,
)

NAMES = Names(stats={"safety", "story"}, flags={"has_footage", "warned"}, roles={"journalist", "activist"},
              places={"klia", "arrival-hall"}, facts={"klia-detention"})


@dataclass
class View:
    role: str = "journalist"
    stats: dict[str, int] = field(default_factory=lambda: {"safety": 3, "story": 0})
    flags: frozenset[str] = frozenset()
    visits: dict[str, int] = field(default_factory=dict)
    known: tuple[str, ...] = ()


def value(source: str, view: View | None = None) -> object:
    expr = parse_condition(source, NAMES)
    assert not isinstance(expr, LanguageError), expr
    return evaluate(expr, view or View())


@pytest.mark.parametrize(("source", "expected"), [
    ("safety >= 2", True),
    ("safety > 3", False),
    ("safety == 3 and story == 0", True),
    ("safety < 2 or story <= 0", True),
    ("not has_footage", True),
    ("has_footage == false", True),
    ("not (safety >= 3 and not warned)", False),
    ('role == "journalist"', True),
    ("role != 'activist'", True),
    ("visited(klia)", False),
    ("visited(arrival-hall) or known(klia-detention)", False),
    ("safety >= -1", True),
    ("true", True),
])
def test_conditions_evaluate(source: str, expected: bool) -> None:
    assert value(source) is expected


def test_conditions_read_state() -> None:
    view = View(flags=frozenset({"has_footage"}), visits={"klia": 1}, known=("klia-detention",), role="activist")
    assert value('has_footage and visited(klia) and known("klia-detention") and role == "activist"', view) is True


@pytest.mark.parametrize(("source", "code", "fragment"), [
    ("__import__('os').system('x')", "LA031", "unknown function '__import__'"),
    ("safety.real", "LA030", "unexpected character '.'"),
    ("safety[0]", "LA030", "unexpected character '['"),
    ("safty >= 2", "LA031", "unknown name 'safty'"),
    ("safety >= ", "LA030", "expected a value"),
    ("safety = 2", "LA030", "'=' sets a value"),
    ("1 < safety < 3", "LA030", "cannot be chained"),
    ("safety", "LA032", "is a number"),
    ("has_footage > 1", "LA032", "cannot compare"),
    ('role == "pilot"', "LA031", "unknown role 'pilot'"),
    ("role > 1", "LA032", "role can only be compared"),
    ("visited(nowhere)", "LA031", "unknown scene or ending 'nowhere'"),
    ("known(klia)", "LA031", "unknown fact 'klia'"),
    ("eval(safety)", "LA031", "unknown function 'eval'"),
    ("safety >= 2 story", "LA030", "unexpected 'story'"),
    ("", "LA030", "empty"),
    ("safety && story", "LA030", "unexpected character '&'"),
])
def test_bad_conditions_are_errors(source: str, code: str, fragment: str) -> None:
    result = parse_condition(source, NAMES)
    assert isinstance(result, LanguageError)
    assert result.code == code
    assert fragment in result.words("if")[0]


def test_error_offset_points_at_the_problem() -> None:
    result = parse_condition("safety >= 2 and safety.real", NAMES)
    assert isinstance(result, LanguageError)
    assert result.offset == len("safety >= 2 and safety")


def test_unknown_name_suggests_the_close_one() -> None:
    result = parse_condition("has_foootage", NAMES)
    assert isinstance(result, LanguageError) and "has_footage" in result.words("if")[1]


@pytest.mark.parametrize(("source", "effect"), [
    ("story += 1", Effect("story", "+=", 1)),
    ("safety -= 2", Effect("safety", "-=", 2)),
    ("safety = 3", Effect("safety", "=", 3)),
    ("has_footage = true", Effect("has_footage", "=", True)),
    ("warned=false", Effect("warned", "=", False)),
])
def test_effects_parse(source: str, effect: Effect) -> None:
    assert parse_effect(source, NAMES) == effect


@pytest.mark.parametrize(("source", "fragment"), [
    ("has_footage += 1", "is a flag"),
    ("safety = true", "is a stat"),
    ("luck += 1", "unknown name 'luck'"),
    ("story ++", "cannot read the effect"),
    ("__import__('os')", "unknown name '__import__'"),
])
def test_bad_effects_are_errors(source: str, fragment: str) -> None:
    result = parse_effect(source, NAMES)
    assert isinstance(result, LanguageError)
    assert fragment in result.words("do")[0]


def test_trees_survive_json_and_report_what_they_read() -> None:
    expr = parse_condition('(safety >= 2 or visited(klia)) and not known(klia-detention) and role == "activist"', NAMES)
    assert not isinstance(expr, LanguageError)
    assert expr_from_json(expr_to_json(expr)) == expr
    assert names_read(expr) == {("stat", "safety"), ("visited", "klia"), ("known", "klia-detention"), ("role", "")}


def test_json_with_unknown_tags_is_refused() -> None:
    with pytest.raises(ValueError):
        expr_from_json(["call", "os.system"])


@pytest.mark.parametrize(("source", "role", "ruled_out"), [
    ('role == "activist" and safety >= 2', "journalist", True),
    ('role == "activist" and safety >= 2', "activist", False),
    ('role != "journalist"', "journalist", True),
    ('role == "activist" or safety >= 2', "journalist", False),
    ("safety >= 2", "journalist", False),
])
def test_rules_out_role(source: str, role: str, ruled_out: bool) -> None:
    from game.engine.runtime.language import rules_out_role

    expr = parse_condition(source, NAMES)
    assert not isinstance(expr, LanguageError)
    assert rules_out_role(expr, role) is ruled_out
