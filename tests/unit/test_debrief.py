"""The debrief a front end shows at an ending."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine.runtime.debrief import build_debrief, debrief_markdown
from game.engine.loader.load import load_scenario
from game.engine.runtime.state import Game
from shared import BASE_SCENARIO


def test_debrief_lists_ending_facts_found_facts_path_and_questions(write_scenario: Callable[..., Path]) -> None:
    scenario = load_scenario(write_scenario(), use_cache=False).scenario
    assert scenario is not None
    seed = next(s for s in range(100) if _refused(scenario, s))
    game = Game(scenario, "journalist", seed=seed)
    game.choose("fly")
    game.choose("gate")
    view = build_debrief(scenario, game.state)
    assert (view.ending_title, view.tone, view.ending_text) == ("Turned away", "bitter", "The gate stays shut. Story 1.")
    assert view.role_title == "Freelance journalist"
    [fact] = view.facts
    assert fact.fact.id == "klia-detention" and fact.found and fact.quote_checked
    assert fact.source.title.startswith("Cambodia: Stop pressuring")
    [extra] = view.also_found
    assert extra.fact.id == "arrests" and not extra.quote_checked
    assert [str(step) for step in view.path] == ["The newsroom: Fly to Kuala Lumpur",
                                                 "The arrival hall: " + view.path[1].choice_text, "Turned away"]
    assert view.path[1].choice_text and not view.path[2].choice_text
    assert view.questions == ("Why would a neighbour agree?",)
    markdown = debrief_markdown(view)
    assert "## What really happened" in markdown
    assert "> \u201cdetained for most of the day by the Malaysian authorities" in markdown
    assert "Note: Other reports say she was held overnight" in markdown
    assert "https://www.hrw.org/news/2019/11/07/cambodia-let-opposition-leaders-return" in markdown


def _refused(scenario, seed: int) -> bool:  # type: ignore[no-untyped-def]
    game = Game(scenario, "journalist", seed=seed)
    game.choose("fly")
    game.choose("gate")
    return game.state.place == "refused"


def test_debrief_needs_an_ending(write_scenario: Callable[..., Path]) -> None:
    scenario = load_scenario(write_scenario(), use_cache=False).scenario
    assert scenario is not None
    with pytest.raises(ValueError):
        build_debrief(scenario, Game(scenario, "journalist", seed=1).state)


def test_debrief_gives_what_the_governments_said_and_what_was_real_or_invented(
        write_scenario: Callable[..., Path]) -> None:
    text = (BASE_SCENARIO
            .replace("    title: The newsroom\n", "    title: The newsroom\n    invented: [\"Your editor, Lina\"]\n"
                     "    real: [The CNRP's leaders announce their return]\n")
            .replace("      facts: [klia-detention]\n", "      facts: [klia-detention]\n      governments: [arrests]\n"))
    scenario = load_scenario(write_scenario(text), use_cache=False).scenario
    assert scenario is not None
    seed = next(s for s in range(100) if _refused(scenario, s))
    game = Game(scenario, "journalist", seed=seed)
    game.choose("fly")
    game.choose("gate")
    view = build_debrief(scenario, game.state)
    assert [entry.fact.id for entry in view.governments] == ["arrests"]
    assert not view.also_found  # a fact the governments part shows is not repeated as "also found"
    assert view.real == ("The CNRP's leaders announce their return",)
    assert view.invented == ("Your editor, Lina",)
    markdown = debrief_markdown(view)
    assert markdown.index("## What the governments said") < markdown.index("## Your path")
    assert markdown.rstrip().endswith("- Invented: Your editor, Lina")
