"""`longarm stats`: exact figures for BASE_SCENARIO, counted by hand below."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from game.cli import main

WriteScenario = Callable[..., Path]

# BASE_SCENARIO, word by word (runs of non-space characters):
#   scenes: newsroom "Your phone lights up. Safety is {safety}, footage: {has_footage}." 9; airport 4
#   endings: "The gate stays shut. Story {story}." 6 + "You sleep." 2
#   choices: Fly to Kuala Lumpur 4 + lock "Your editor will not pay" 5 + Only for activists 3
#            + Stay home 2 + Try the gate 3 + Go back 2 = 19
#   debriefs: "She was held, then released." 5 + "Why would a neighbour agree?" 5
#             + "Nothing happened to you." 4 + "What would you have done?" 5 = 19
#   facts: klia text 15 + quote 17 + note 11; arrests text 8 = 51
EXPECTED_WORDS = {"scenes": 13, "endings": 8, "choices": 19, "debriefs": 19, "facts": 51, "total": 110}


def test_stats_figures_are_exact(write_scenario: WriteScenario, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(write_scenario()), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures == {
        "scenario": "test-story", "scenes": 2, "choices": 5, "conditional_choices": 3, "random_choices": 1,
        "endings": 2, "endings_by_tone": {"hopeful": 0, "mixed": 1, "bitter": 1}, "roles": 2,
        "scene_words": {"newsroom": 9, "airport": 4}, "words": EXPECTED_WORDS, "words_per_minute": 200,
        "reading_minutes": 1, "facts": 2, "facts_quoted": 1, "facts_verified": 1, "sources": 2,
        "sources_with_file": 1, "glossary": 1,
    }


def test_stats_text_says_how_reading_time_is_counted(write_scenario: WriteScenario,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(write_scenario())]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Test story (test-story)"
    assert "  scenes         2" in lines
    assert "  choices        5   (3 with a condition, 1 random)" in lines
    assert "  endings        2   (0 hopeful, 1 mixed, 1 bitter)" in lines
    assert any(line.startswith("  scene texts") and line.endswith(" 13") for line in lines)
    assert any(line.startswith("  total") and line.endswith(" 110") for line in lines)
    assert ("Reading time for all the text: about 1 minute at 200 words per minute "
            "(one playthrough reads less; the scenario says 5).") in lines
    assert "  facts 2: 1 with a quote, 1 of them verified verbatim against a local copy of the source" in lines
    assert "  sources 2: 1 with a local copy" in lines
    assert lines[-2:] == ["  newsroom      9", "  airport       4"]


def test_stats_of_a_broken_file_prints_the_problems(write_scenario: WriteScenario,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = write_scenario("format: 1\nid: x\n", name="broken")
    assert main(["stats", str(path)]) == 2
    err = capsys.readouterr().err
    assert "does not load" in err and "error LA012" in err
