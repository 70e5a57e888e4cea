"""The loader: a valid scenario becomes the model; every kind of mistake is a located problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from shared import BASE_SCENARIO
from game.engine.loader.load import load_scenario
from game.engine.loader.problems import Problem

WriteScenario = Callable[..., Path]


def problems_of(write_scenario: WriteScenario, text: str) -> list[Problem]:
    return list(load_scenario(write_scenario(text), use_cache=False).problems)


def only(problems: list[Problem], code: str) -> list[Problem]:
    return [p for p in problems if p.code == code]


def test_base_scenario_loads_into_the_model(write_scenario: WriteScenario) -> None:
    result = load_scenario(write_scenario(), use_cache=False)
    assert result.problems == ()
    scenario = result.scenario
    assert scenario is not None
    assert scenario.id == "test-story"
    assert list(scenario.scenes) == ["newsroom", "airport"]
    assert list(scenario.endings) == ["refused", "quiet"]
    fly = scenario.scenes["newsroom"].choices[0]
    assert (fly.id, fly.goto, fly.locked, fly.condition_text) == ("fly", "airport", "Your editor will not pay",
                                                                  "safety >= 2 and not has_footage")
    assert scenario.scenes["newsroom"].choices[2].id == "stay"
    gate = scenario.scenes["airport"].choices[0]
    assert [(o.weight, o.goto) for o in gate.outcomes] == [(3, "refused"), (1, "quiet")]
    assert scenario.roles["journalist"].stats == {"safety": 4}
    assert scenario.stats["suspicion"].hidden
    assert scenario.sources["amnesty-2019"].file.endswith("seeds/amnesty-2019-11-08-cambodia.txt")
    assert scenario.sources["amnesty-2019"].published == "2019-11-08"
    assert scenario.endings["quiet"].basis == "invented"
    assert len(scenario.content_hash) == 64


def test_choice_id_defaults_to_goto_target(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("        id: stay\n", "")
    scenario = load_scenario(write_scenario(text), use_cache=False).scenario
    assert scenario is not None
    assert scenario.scenes["newsroom"].choices[2].id == "quiet"


def test_every_problem_is_reported_in_one_run(write_scenario: WriteScenario) -> None:
    text = (BASE_SCENARIO
            .replace("goto: airport\n        if: safety", "goto: airprot\n        if: safty")
            .replace("basis: reported", "basis: reportd")
            .replace("tone: bitter", "tone: win")
            .replace("    source: hrw\n", "    source: hwr\n"))
    problems = problems_of(write_scenario, text)
    codes = sorted(p.code for p in problems)
    assert codes == ["LA016", "LA016", "LA020", "LA020", "LA031"]
    rendered = "\n".join(p.render() for p in problems)
    assert "did you mean 'airport'?" in rendered
    assert "did you mean 'hrw'?" in rendered
    assert "did you mean 'reported'?" in rendered


def test_messages_name_file_line_and_column(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("if: safety >= 2 and not has_footage", "if: safety >= 2 and safety.real")
    path = write_scenario(text)
    [problem] = load_scenario(path, use_cache=False).problems
    line_number = next(i for i, line in enumerate(text.splitlines(), 1) if "safety.real" in line)
    column = text.splitlines()[line_number - 1].index("safety.real") + len("safety") + 1
    assert problem.render().startswith(f"{path}:{line_number}:{column}: error LA030: in if: unexpected character '.'")
    assert "hint: there are no attributes" in problem.render()


def test_unknown_keys_get_did_you_mean(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("    basis: composite\n", "    basis: composite\n    reveal: [arrests]\n")
    [problem] = problems_of(write_scenario, text)
    assert problem.code == "LA011"
    assert problem.message == "unknown key 'reveal' in scene 'newsroom'"
    assert problem.hint == "did you mean 'reveals'?"


def test_missing_keys_and_wrong_types(write_scenario: WriteScenario) -> None:
    text = (BASE_SCENARIO.replace("minutes: 5", "minutes: soon")
            .replace("    title: The arrival hall\n", ""))
    problems = problems_of(write_scenario, text)
    assert {(p.code, p.message) for p in problems} == {
        ("LA019", "minutes must be a whole number, not the value 'soon'"),
        ("LA012", "scene 'airport' is missing the key 'title'"),
    }


def test_ids_must_be_slugs_and_unique(write_scenario: WriteScenario) -> None:
    text = (BASE_SCENARIO.replace("  airport:\n    title", "  Airport Hall:\n    title")
            .replace("  quiet:\n    title: A quiet night", "  newsroom:\n    title: A quiet night"))
    problems = problems_of(write_scenario, text)
    assert [p.code for p in only(problems, "LA014")] == ["LA014"]
    assert "the id 'newsroom' is used twice" in only(problems, "LA021")[0].message


def test_duplicate_choice_ids_in_a_scene(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("id: activist-only", "id: fly")
    [problem] = problems_of(write_scenario, text)
    assert problem.code == "LA022" and "two choices in scene 'newsroom' have the id 'fly'" in problem.message


def test_goto_to_nothing(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("goto: quiet\n        do: [safety += 10]", "goto: nowhere\n        do: [safety += 10]")
    [problem] = problems_of(write_scenario, text)
    assert (problem.code, problem.message) == ("LA020", "there is no scene or ending 'nowhere'")


def test_role_start_and_stat_references(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("start: newsroom\n    stats: {safety: 4}", "start: lobby\n    stats: {safty: 4, story: 99}")
    problems = problems_of(write_scenario, text)
    messages = {p.message for p in problems}
    assert "there is no scene 'lobby'" in messages
    assert "there is no stat 'safty'" in messages
    assert "role 'journalist' starts story at 99, outside 0..10" in messages


def test_dead_end_scene(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace(
        "    choices:\n      - text: Try the gate",
        "    choices: []\n  unused:\n    title: x\n    basis: invented\n    text: x\n    choices:\n      - text: Try the gate")
    problems = problems_of(write_scenario, text)
    assert "scene 'airport' has no choices: a dead end" in [p.message for p in problems]


def test_trap_loop_with_no_way_out(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("""      - text: Stay home
        id: stay
        goto: quiet
        do: [safety += 10]
""", """      - text: Walk in circles
        id: circle
        goto: circle-a
scenes-extra-marker: x
""").replace("scenes-extra-marker: x\n", "").replace("endings:\n", """  circle-a:
    title: Round
    basis: invented
    text: Round.
    choices:
      - {text: On, id: on, goto: circle-b}
  circle-b:
    title: And round
    basis: invented
    text: And round.
    choices:
      - {text: On, id: on, goto: circle-a}
endings:
""")
    problems = problems_of(write_scenario, text)
    traps = only(problems, "LA062")
    assert sorted(p.message for p in traps) == [
        "trap: from scene 'circle-a' no ending can ever be reached (its choices lead only to circle-b)",
        "trap: from scene 'circle-b' no ending can ever be reached (its choices lead only to circle-a)",
    ]
    assert all(p.line > 1 for p in traps)


def test_unreachable_scene_is_a_warning_not_an_error(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("endings:\n", """  attic:
    title: Attic
    basis: invented
    text: Dust.
    choices:
      - {text: Leave, id: leave, goto: quiet}
endings:
""")
    result = load_scenario(write_scenario(text), use_cache=False)
    assert result.ok
    [problem] = result.problems
    assert (problem.code, problem.severity.value) == ("LA061", "warning")


def test_placeholders_must_name_stats_or_flags(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("Safety is {safety}", "Safety is {safety.__class__}")
    [problem] = problems_of(write_scenario, text)
    assert problem.code == "LA040"


def test_quote_must_be_verbatim_in_its_source(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("detained for most of the day", "held for most of the day")
    [problem] = problems_of(write_scenario, text)
    assert problem.code == "LA052"
    assert problem.hint == 'the source has "detained" where the quote has "held", before "for most of the"'


def test_quote_whitespace_may_differ_but_curly_quotes_may_not(write_scenario: WriteScenario) -> None:
    wrapped = BASE_SCENARIO.replace(
        "quote: detained for most of the day by the Malaysian authorities upon arrival at Kuala Lumpur International Airport",
        "quote: >-\n      detained for most of the day\n      by the Malaysian   authorities")
    assert problems_of(write_scenario, wrapped) == []
    straight = BASE_SCENARIO.replace(
        "quote: detained for most of the day by the Malaysian authorities upon arrival at Kuala Lumpur International Airport",
        "quote: It is appalling that Hun Sen's government")
    [problem] = problems_of(write_scenario, straight)
    assert problem.code == "LA052" and "curly quotes" in problem.hint


def test_missing_source_file(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("file: ../seeds/amnesty-2019-11-08-cambodia.txt", "file: ../seeds/missing.txt")
    [problem] = problems_of(write_scenario, text)
    assert (problem.code, problem.message) == ("LA051", "the source file '../seeds/missing.txt' does not exist")


@pytest.mark.parametrize("target", ["../../../etc/passwd", "/etc/passwd", "../../outside.txt"])
def test_source_file_outside_the_project_is_refused(write_scenario: WriteScenario, target: str) -> None:
    text = BASE_SCENARIO.replace("file: ../seeds/amnesty-2019-11-08-cambodia.txt", f"file: {target}")
    [problem] = problems_of(write_scenario, text)
    assert problem.code == "LA050"


def test_source_file_link_pointing_outside_is_refused(write_scenario: WriteScenario, project: Path,
                                                      tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("detained for most of the day by the Malaysian authorities upon arrival at Kuala Lumpur International Airport")
    (project / "seeds" / "link.txt").symlink_to(outside)
    text = BASE_SCENARIO.replace("file: ../seeds/amnesty-2019-11-08-cambodia.txt", "file: ../seeds/link.txt")
    [problem] = problems_of(write_scenario, text)
    assert problem.code == "LA054"
    assert f"the link {project / 'seeds' / 'link.txt'} was followed, to {outside}" in problem.message


def test_format_version_is_checked(write_scenario: WriteScenario) -> None:
    [problem] = problems_of(write_scenario, BASE_SCENARIO.replace("format: 1", "format: 3"))
    assert problem.code == "LA015" and problem.line == 2
    assert problems_of(write_scenario, BASE_SCENARIO.replace("format: 1", "format: 2")) == []


def test_locked_needs_an_if_and_outcomes_need_an_id(write_scenario: WriteScenario) -> None:
    text = (BASE_SCENARIO.replace("        do: [safety += 10]", "        do: [safety += 10]\n        locked: Why")
            .replace("        id: gate\n", ""))
    problems = problems_of(write_scenario, text)
    assert sorted(p.code for p in problems) == ["LA067", "LA068"]


def test_effects_are_checked(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("do: [story += 1, has_footage = true]", "do: [story += 1, has_footage += 1, luck = 2]")
    problems = problems_of(write_scenario, text)
    assert sorted(p.message for p in problems) == [
        "in do: 'has_footage' is a flag: set it with `= true` or `= false`",
        "in do: unknown name 'luck'",
    ]
