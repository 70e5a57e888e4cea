"""Text that reacts to the story: `{if ...}` variants in scene, ending, choice and locked text.

What they render in a state, how they lay out (no gaps where a variant shows nothing), what the
loader says about a broken one and where, and that the exhaustive search tells the variants apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from shared import BASE_SCENARIO, REACTIVE_SCENARIO

from game.engine import limits
from game.engine.loader.load import load_scenario
from game.engine.runtime.expressions import Names
from game.engine.runtime.state import Game
from game.engine.runtime.text import (
    Template,
    outline,
    render_template,
    template_from_json,
    template_reads,
    template_to_json,
)
from game.engine.runtime.text_parser import compile_text

WriteScenario = Callable[..., Path]
NAMES = Names(stats={"safety", "exposure", "trust"}, flags={"seen"}, roles={"journalist"},
              places={"hall", "gate"}, facts={"arrests"})


@dataclass
class View:
    role: str = "journalist"
    stats: dict[str, int] = field(default_factory=lambda: {"safety": 3, "exposure": 2, "trust": 1})
    flags: frozenset[str] = frozenset()
    visits: dict[str, int] = field(default_factory=lambda: {"hall": 1})
    known: tuple[str, ...] = ()


def template(text: str) -> Template:
    compiled, errors = compile_text(text, NAMES)
    assert errors == [] and compiled is not None, errors
    return compiled


def shown(text: str, view: View | None = None) -> str:
    return render_template(template(text), view or View())


@pytest.mark.parametrize(("text", "view", "expected"), [
    ("{if exposure >= 2: They know your face. | else: Nobody looks twice.}", View(), "They know your face."),
    ("{if exposure >= 3: They know your face. | else: Nobody looks twice.}", View(), "Nobody looks twice."),
    ("{if trust >= 4: A hug. | if trust >= 1: A nod. | else: Nothing.}", View(), "A nod."),
    ("{if trust >= 4: A hug. | if trust >= 2: A nod.}", View(), ""),
    ("{if seen: Seen | else: Unseen}, {safety}", View(flags=frozenset({"seen"})), "Seen, 3"),
    ("{if visits(hall) == 1: First time. | else: Again.}", View(visits={"hall": 2}), "Again."),
    ("{if known(arrests) or visited(gate): You know. | else: You do not.}", View(known=("arrests",)), "You know."),
    ("{if trust + exposure >= 3: Together {if seen: and seen | else: {{alone}.}", View(), "Together {alone."),
    ("{if trust > 0: {if trust > 1: two | else: one}}", View(), "one"),
])
def test_the_first_branch_that_holds_is_shown(text: str, view: View, expected: str) -> None:
    assert shown(text, view) == expected


@pytest.mark.parametrize(("text", "when_shown", "when_not"), [
    ("A {if trust > 5: B} C", "A B C", "A C"),  # one space goes with it
    ("A {if trust > 5: B}. C", "A B. C", "A. C"),
    ("friend{if trust > 5: s} wait", "friends wait", "friend wait"),  # a suffix keeps its word
    ("{if trust > 5: B} C", "B C", "C"),
    ("One.\n\n{if trust > 5:\nTwo,\nwrapped.\n| else:\n}\n\nThree.", "One.\n\nTwo,\nwrapped.\n\nThree.",
     "One.\n\nThree."),  # on lines of its own: takes its lines, and no blank run is left
    ("One.\n  {if trust > 5: Two.}\nThree.", "One.\nTwo.\nThree.", "One.\nThree."),
])
def test_a_variant_that_shows_nothing_leaves_no_gap(text: str, when_shown: str, when_not: str) -> None:
    assert shown(text, View(stats={"safety": 3, "exposure": 2, "trust": 9})) == when_shown
    assert shown(text) == when_not


def test_an_outline_writes_every_variant_out_for_guides() -> None:
    text = "The hall. {if exposure >= 2: They know you. | else: Nobody looks.} Safety {safety}."
    assert outline(text, template(text)) == \
        "The hall. [if exposure >= 2: They know you. | else: Nobody looks.] Safety {safety}."
    assert outline("No variants {safety}.", None) == "No variants {safety}."


def test_templates_survive_json_and_say_what_they_read() -> None:
    compiled = template("{if exposure >= 2 and visits(hall) > 3: A {safety} | if seen: B | else: {if known(arrests): C}}")
    assert template_from_json(template_to_json(compiled)) == compiled
    read, counts = template_reads(compiled)
    assert read == {("stat", "exposure"), ("stat", "safety"), ("visits", "hall"), ("flag", "seen"),
                    ("known", "arrests")}
    assert counts == {"hall": 3}
    with pytest.raises(ValueError):
        template_from_json([["if", "", "", [["call", "os.system"], [], ""]]])


@pytest.mark.parametrize(("text", "code", "offset", "fragment"), [
    ("a {if trust > 1 b}", "LA042", 17, "expected `:` after the condition"),
    ("a {if trust > 1: b", "LA042", 2, "never closed"),
    ("{if trust > 1: b | elif trust > 0: c}", "LA042", 17, "expected `if` or `else:`"),
    ("{if trust > 1: b | else: c | if seen: d}", "LA042", 27, "nothing can follow the `else:` branch"),
    ("{if trust: b}", "LA032", 3, "is a number"),
    ("x {if trsut > 1: b}", "LA031", 6, "unknown name 'trsut'"),
    ("{if trust > 1: {saftey}}", "LA040", 15, "'{saftey}' is not a stat or flag"),
    ("{if visits(nowhere) > 1: b}", "LA031", 11, "unknown scene or ending 'nowhere'"),
    ("{if trust > 1: b}}", "LA041", 17, "unmatched '}'"),
])
def test_mistakes_are_reported_at_their_characters(text: str, code: str, offset: int, fragment: str) -> None:
    compiled, errors = compile_text(text, NAMES)
    assert compiled is None
    assert [(error.code, error.offset) for error in errors][:1] == [(code, offset)], errors
    assert fragment in errors[0].words("the text")[0]


def test_nesting_is_limited() -> None:
    deep = "{if true: " * (limits.MAX_TEXT_DEPTH + 1) + "x" + "}" * (limits.MAX_TEXT_DEPTH + 1)
    _, errors = compile_text(deep, NAMES)
    assert [error.code for error in errors] == ["LA075"]
    assert errors[0].offset == len("{if true: ") * limits.MAX_TEXT_DEPTH
    allowed = "{if true: " * limits.MAX_TEXT_DEPTH + "x" + "}" * limits.MAX_TEXT_DEPTH
    assert shown(allowed) == "x"


def test_a_huge_text_with_many_variants_loads_in_linear_time() -> None:
    text = "{if trust > 1: a | if seen: b | else: c} " * 20_000
    compiled = template(text)
    assert shown(text).split() == ["c"] * 20_000
    assert len(compiled.parts) >= 20_000


def test_the_loader_places_a_mistake_in_a_block_on_its_own_line(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("format: 1", "format: 2").replace(
        "      Your phone lights up. Safety is {safety}, footage: {has_footage}.\n",
        "      Your phone lights up.\n      {if safety >= 2:\n      You feel fine.\n      | elif story > 1: no}\n")
    problems = load_scenario(write_scenario(text), use_cache=False).problems
    line = text.split("\n").index("      | elif story > 1: no}") + 1
    assert [(p.code, p.line, p.column) for p in problems] == [("LA042", line, 7)]
    assert "write `| if CONDITION:`" in problems[0].hint


def test_text_variants_need_format_2(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("text: You sleep.", 'text: "You sleep{if safety > 2: , well}."')
    [problem] = load_scenario(write_scenario(text), use_cache=False).problems
    assert problem.code == "LA089" and "`format: 2`" in problem.message
    assert load_scenario(write_scenario(text.replace("format: 1", "format: 2")), use_cache=False).problems == ()


def test_an_unquoted_one_line_variant_gets_a_yaml_hint(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("format: 1", "format: 2").replace("text: You sleep.",
                                                                   "text: You sleep{if safety > 2: , well}.")
    [problem] = load_scenario(write_scenario(text), use_cache=False).problems
    assert problem.code == "LA003" and "must be quoted" in problem.hint


def test_every_front_end_gets_the_variant_through_the_engine(write_scenario: WriteScenario) -> None:
    """The session's fill and options (what the app, the plain player and the web edition call)
    and the debrief show the variant of the current state."""
    scenario = load_scenario(write_scenario(REACTIVE_SCENARIO, name="night-watch"), use_cache=False).scenario
    assert scenario is not None
    game = Game(scenario, "journalist", 1)
    assert game.fill(scenario.scenes["hall"].text) == "The hall is quiet. You have never been here.\n\nNobody looks twice."
    assert [option.text for option in game.options()][0] == "Ask the guard"
    game.choose("ask")
    assert game.fill(scenario.scenes["hall"].text).startswith("The hall is quiet. Back again.")
    game.choose("film")
    assert "A man by the pillar lifts his phone as you pass." in game.fill(scenario.scenes["hall"].text)
    assert [option.text for option in game.options()][0] == "Film the door (6 people follow you)"


def test_the_debrief_shows_each_choice_as_it_read_when_taken(write_scenario: WriteScenario) -> None:
    from game.engine.runtime.debrief import build_debrief

    scenario = load_scenario(write_scenario(REACTIVE_SCENARIO, name="night-watch"), use_cache=False).scenario
    assert scenario is not None
    game = Game(scenario, "journalist", 1)
    for choice_id in ("film", "ask", "corridor", "wait"):  # ask, on the second visit: "Ask the guard again"
        if choice_id == "wait":
            game.choose("knock")
            assert [o.choice.id for o in game.options()] == ["wait"]
        game.choose(choice_id)
    path = build_debrief(scenario, game.state, game.seed).path
    assert [step.choice_text for step in path[:3]] == ["Film the door (0 people follow you)", "Ask the guard again",
                                                        "Go to the corridor"]
    # Without the seed the path is filled from the last state: reach has grown since.
    assert build_debrief(scenario, game.state).path[0].choice_text == "Film the door (4 people follow you)"
