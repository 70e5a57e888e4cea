"""The knowledge check in the format: a valid check becomes the model, and each mistake is a
located problem with its own code (LA100-LA108), reported in one run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine.loader.cache import scenario_from_json, scenario_to_json
from game.engine.loader.load import load_scenario
from game.engine.loader.problems import Problem
from shared import BASE_SCENARIO, CHECK_BLOCK, CHECK_SCENARIO

WriteScenario = Callable[..., Path]


def problems_of(write_scenario: WriteScenario, text: str) -> list[Problem]:
    result = load_scenario(write_scenario(text), use_cache=False)
    return list(result.problems)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """The 1-based line and column of the nth occurrence of `needle` in `text`."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def test_a_check_is_read_into_the_model_and_kept_by_the_cache(write_scenario: WriteScenario) -> None:
    result = load_scenario(write_scenario(CHECK_SCENARIO), use_cache=False)
    assert result.problems == ()
    scenario = result.scenario
    assert scenario is not None
    assert [item.id for item in scenario.check] == ["held-where", "held-by", "how-long", "then"]
    how_long = scenario.check[2]
    assert how_long.options == ("A week", "Most of a day", "A month", "A year")
    assert (how_long.answer, how_long.right_option, how_long.fact) == (1, "Most of a day", "klia-detention")
    assert how_long.line == at(CHECK_SCENARIO, "- id: how-long")[0]
    assert scenario_from_json(scenario_to_json(scenario), scenario.content_hash) == scenario
    cached = load_scenario(write_scenario(CHECK_SCENARIO))
    again = load_scenario(write_scenario(CHECK_SCENARIO))
    assert again.from_cache and again.scenario is not None and again.scenario.check == scenario.check
    assert cached.scenario is not None


def test_a_scenario_without_a_check_has_none(write_scenario: WriteScenario) -> None:
    scenario = load_scenario(write_scenario(BASE_SCENARIO + "check:\n"), use_cache=False).scenario
    assert scenario is not None and scenario.check == ()


@pytest.mark.parametrize(("items", "count"), [(3, "3 items"), (9, "9 items")])
def test_a_check_has_4_to_8_items(write_scenario: WriteScenario, items: int, count: str) -> None:
    block = CHECK_BLOCK.split("  - id: ")
    entries = [entry.replace("id: ", "") for entry in block[1:]]
    extra = [entries[i % 4].replace(entries[i % 4].split("\n")[0], f"extra-{i}", 1)
             .replace("?", f" ({i})?") for i in range(max(0, items - 4))]
    chosen = (entries + extra)[:items]
    text = BASE_SCENARIO + "check:\n" + "".join("  - id: " + entry for entry in chosen)
    problems = problems_of(write_scenario, text)
    assert codes(problems) == ["LA100"]
    assert problems[0].message == f"the knowledge check has {count}; a check has 4 to 8 items"
    assert (problems[0].line, problems[0].column) == at(text, "- id: held-where")


def test_an_item_has_2_to_4_options_each_once(write_scenario: WriteScenario) -> None:
    text = (CHECK_SCENARIO
            .replace("[Cambodia's police, Malaysia's authorities]", "[Malaysia's authorities]")
            .replace("[A week, Most of a day, A month, A year]", "[A week, Most of a day, A month, A year, A day]")
            .replace("[She was released, She was sent to Cambodia]", "[She was released, she was  RELEASED]"))
    problems = problems_of(write_scenario, text)
    assert codes(problems) == ["LA101", "LA101", "LA105"]
    one, five, twice = problems
    assert one.message == "item 'held-by' has 1 option; an item has 2 to 4 options"
    assert (one.line, one.column) == at(text, "[Malaysia's authorities]")
    assert five.message == "item 'how-long' has 5 options; an item has 2 to 4 options"
    assert twice.message == "item 'then' offers the option 'she was  RELEASED' twice"
    assert (twice.line, twice.column) == at(text, "she was  RELEASED")


def test_the_answer_must_be_one_of_the_options(write_scenario: WriteScenario) -> None:
    text = (CHECK_SCENARIO.replace("answer: Most of a day", "answer: most of a day")
            .replace("answer: She was released", "answer: Released at dawn"))
    problems = problems_of(write_scenario, text)
    assert codes(problems) == ["LA102", "LA102"]
    assert problems[0].message == "the answer of item 'how-long' is not one of its options"
    assert problems[0].hint == "did you mean 'Most of a day'? the answer is written exactly as its option"
    line, column = at(text, "answer: most of a day")
    assert (problems[0].line, problems[0].column) == (line, column + len("answer: "))
    assert problems[1].hint == "copy the right option's text here exactly"


def test_item_ids_and_questions_are_not_repeated(write_scenario: WriteScenario) -> None:
    text = (CHECK_SCENARIO.replace("id: then", "id: held-by")
            .replace("How long was she held?", "WHERE was Mu Sochua  held?"))
    problems = problems_of(write_scenario, text)
    assert codes(problems) == ["LA104", "LA103"]  # in line order
    question, item = problems
    assert question.message == ("item 'how-long' asks the same question as item 'held-where' "
                                f"(line {at(text, 'Where was Mu')[0]})")
    assert item.message == f"two items of the knowledge check have the id 'held-by' (first on line {at(text, 'id: held-by')[0]})"
    line, column = at(text, "id: held-by", 2)
    assert (item.line, item.column) == (line, column + len("id: "))


def test_the_fact_exists_has_a_quote_and_a_debrief_shows_it(write_scenario: WriteScenario) -> None:
    text = (CHECK_SCENARIO.replace("    fact: klia-detention\n  - id: held-by", "    fact: klia-detentoin\n  - id: held-by")
            .replace("    fact: klia-detention\n  - id: how-long", "    fact: arrests\n  - id: how-long"))
    problems = problems_of(write_scenario, text)
    assert codes(problems) == ["LA020", "LA106"]
    assert problems[0].hint == "did you mean 'klia-detention'?"
    assert problems[1].message == "item 'held-by' rests on fact 'arrests', which has no quote"
    assert (problems[1].line, problems[1].column) == (at(text, "fact: arrests")[0], at(text, "fact: arrests")[1] + 6)
    unlisted = CHECK_SCENARIO.replace("      facts: [klia-detention]\n", "      facts: []\n")
    problems = problems_of(write_scenario, unlisted)
    assert codes(problems) == ["LA107"] * 4
    assert problems[0].message == ("item 'held-where' rests on fact 'klia-detention', which is listed in no "
                                   "ending's debrief")
    governments = unlisted.replace("      facts: []\n      questions: [Why would",
                                   "      facts: []\n      governments: [klia-detention]\n      questions: [Why would")
    assert problems_of(write_scenario, governments) == []


def test_a_debrief_that_no_role_can_reach_does_not_count(write_scenario: WriteScenario) -> None:
    text = CHECK_SCENARIO.replace("{weight: 3, goto: refused}", "{weight: 3, goto: quiet}")
    problems = problems_of(write_scenario, text)
    assert codes(problems) == ["LA061"] + ["LA107"] * 4
    assert problems[1].message == ("item 'held-where' rests on fact 'klia-detention', which is listed only in "
                                   "the debriefs of endings no role can reach ('refused')")
    assert problems[1].is_error and not problems[0].is_error


def test_the_right_answer_always_in_one_place_is_a_warning(write_scenario: WriteScenario) -> None:
    text = (CHECK_SCENARIO.replace("[Cambodia's police, Malaysia's authorities]", "[Malaysia's authorities, Cambodia's police]")
            .replace("[A week, Most of a day, A month, A year]", "[Most of a day, A week, A month, A year]"))
    result = load_scenario(write_scenario(text), use_cache=False)
    assert codes(list(result.problems)) == ["LA108"]
    assert result.ok and not result.problems[0].is_error
    assert result.problems[0].message == "the right answer is option 1 in every item of the knowledge check"


def test_every_problem_of_a_broken_check_comes_in_one_run(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO + (
        "check:\n"
        "  - id: Bad_Id\n    question: q\n    options: [a, b]\n    answer: c\n    fact: nope\n    hint: h\n"
        "  - {question: q2, options: [x]}\n"
        "  - just text\n")
    problems = problems_of(write_scenario, text)
    assert sorted(codes(problems)) == sorted(["LA011", "LA100", "LA014", "LA102", "LA020", "LA012", "LA012",
                                              "LA012", "LA101", "LA013"])
    assert not load_scenario(write_scenario(BASE_SCENARIO + "check: {a: 1}\n"), use_cache=False).ok
