"""Shared files: sources, facts and glossary entries written once and included by several scenarios.

Included safely (relative, inside the project, links checked as for seeds), checked as a
scenario's own are (quotes verbatim, reported at their place in the shared file), defined once,
and part of the load cache's key.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine import limits
from game.engine.loader.catalog import Broken, find
from game.engine.loader.load import load_scenario
from shared import BASE_SCENARIO, SEED_FILE

WriteScenario = Callable[..., Path]

SHARED = f"""\
# yaml-language-server: $schema=../../schema/shared.schema.json
format: 2
shared: Cambodia, November 2019
sources:
  hrw-shared:
    title: "Cambodia: Let Opposition Leaders Return"
    publisher: Human Rights Watch
    url: https://www.hrw.org/news/2019/11/07/cambodia-let-opposition-leaders-return
  amnesty-shared:
    title: "Cambodia: Stop pressuring regional neighbours to harass opposition figures"
    publisher: Amnesty International
    file: ../../seeds/{SEED_FILE}
facts:
  two-held:
    text: Two other Cambodians had been held by Malaysia since the Monday of that week.
    source: amnesty-shared
    quote: Ngoeum Keatha and Heng Seang Leang, two other Cambodian citizens, were detained by the Malaysian authorities since Monday.
  unused:
    text: Nobody names this fact.
    source: hrw-shared
glossary:
  ASEAN: The Association of Southeast Asian Nations.
  Refoulement: Sending someone back to danger.
"""

#: BASE_SCENARIO in format 2, including the shared file and using its fact.
INCLUDING = (BASE_SCENARIO.replace("format: 1", "format: 2")
             .replace("learning_objectives: [Check the engine.]\n",
                      "learning_objectives: [Check the engine.]\ninclude: [shared/cambodia.yaml]\n")
             .replace("    reveals: [arrests]\n", "    reveals: [arrests, two-held]\n")
             .replace("text: The hall is cold.", "text: The hall is cold. The asean flags hang still."))


@pytest.fixture
def shared_file(project: Path) -> Path:
    path = project / "scenarios" / "shared" / "cambodia.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(SHARED, encoding="utf-8")
    return path


def codes(path: Path) -> list[tuple[str, str, int]]:
    return [(p.code, Path(p.path).name, p.line) for p in load_scenario(path, use_cache=False).problems]


def test_a_scenario_uses_what_its_shared_file_defines(write_scenario: WriteScenario, shared_file: Path) -> None:
    result = load_scenario(write_scenario(INCLUDING), use_cache=False)
    assert result.problems == () and result.scenario is not None
    scenario = result.scenario
    assert scenario.facts["two-held"].source == "amnesty-shared"
    assert scenario.sources["amnesty-shared"].file.endswith(SEED_FILE)
    assert scenario.glossary["ASEAN"].startswith("The Association") and "CNRP" in scenario.glossary
    assert list(scenario.sources)[:1] == ["amnesty-shared"]  # the shared file's entries come first
    assert scenario.includes == (str(shared_file.resolve()),)
    # It takes what it uses: not the fact it never names, its source, or a term its text never mentions.
    assert "unused" not in scenario.facts and "hrw-shared" not in scenario.sources
    assert "Refoulement" not in scenario.glossary


def test_a_shared_file_validates_on_its_own(shared_file: Path) -> None:
    result = load_scenario(shared_file, use_cache=False)
    assert result.problems == () and result.scenario is None and result.shared
    found = find(str(shared_file))
    assert isinstance(found, Broken) and "is a shared file" in found.message


def test_a_wrong_quote_in_a_shared_file_is_reported_there(write_scenario: WriteScenario, shared_file: Path) -> None:
    shared_file.write_text(SHARED.replace("two other Cambodian citizens", "two other Cambodian nationals"),
                           encoding="utf-8")
    [problem] = load_scenario(write_scenario(INCLUDING), use_cache=False).problems
    assert (problem.code, Path(problem.path).name, problem.line) == ("LA052", "cambodia.yaml", 17)
    assert problem.path.endswith(os.path.join("scenarios", "shared", "cambodia.yaml"))
    assert '"citizens," where the quote has "nationals,"' in problem.hint
    assert codes(shared_file) == [("LA052", "cambodia.yaml", 17)]  # the same when checked on its own


@pytest.mark.parametrize(("written", "code"), [
    ("/etc/passwd", "LA090"),
    ("C:/Windows/win.ini", "LA090"),
    ("../../outside.yaml", "LA091"),
    ("shared/nothing.yaml", "LA093"),
    ("shared", "LA094"),
    ("test-story.yaml", "LA095"),  # a scenario, not a shared file
])
def test_includes_are_refused_outside_the_project_or_when_not_shared(
        write_scenario: WriteScenario, shared_file: Path, written: str, code: str) -> None:
    path = write_scenario(INCLUDING.replace("include: [shared/cambodia.yaml]", f"include: ['{written}']")
                          .replace("arrests, two-held", "arrests"))
    assert [p.code for p in load_scenario(path, use_cache=False).problems] == [code]


def test_a_link_leading_out_of_the_project_is_named(write_scenario: WriteScenario, shared_file: Path,
                                                   tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(SHARED, encoding="utf-8")
    (shared_file.parent / "link.yaml").symlink_to(outside)
    path = write_scenario(INCLUDING.replace("shared/cambodia.yaml", "shared/link.yaml").replace("arrests, two-held", "arrests"))
    [problem] = load_scenario(path, use_cache=False).problems
    assert problem.code == "LA092" and f"the link {shared_file.parent / 'link.yaml'} was followed" in problem.message
    (shared_file.parent / "inside.yaml").symlink_to(shared_file)  # a link that stays inside is followed
    inside = INCLUDING.replace("shared/cambodia.yaml", "shared/inside.yaml")
    assert load_scenario(write_scenario(inside), use_cache=False).problems == ()


def test_each_id_is_defined_once_across_the_files(write_scenario: WriteScenario, shared_file: Path) -> None:
    own_copy = INCLUDING.replace("  arrests:\n", "  two-held:\n    text: A copy.\n    source: hrw\n  arrests:\n")
    problems = load_scenario(write_scenario(own_copy), use_cache=False).problems
    assert [p.code for p in problems] == ["LA096"]
    assert "fact 'two-held' is already defined in " in problems[0].message and "cambodia.yaml, line 14" in problems[0].message
    second = shared_file.parent / "again.yaml"
    second.write_text(SHARED.replace("amnesty-shared", "amnesty-again"), encoding="utf-8")
    twice = INCLUDING.replace("include: [shared/cambodia.yaml]", "include: [shared/cambodia.yaml, shared/again.yaml]")
    assert [p.code for p in load_scenario(write_scenario(twice), use_cache=False).problems] == ["LA096"] * 5
    same = INCLUDING.replace("include: [shared/cambodia.yaml]", "include: [shared/cambodia.yaml, shared/../shared/cambodia.yaml]")
    assert [p.code for p in load_scenario(write_scenario(same), use_cache=False).problems] == ["LA097"]


def test_includes_are_limited_and_need_format_2(write_scenario: WriteScenario, shared_file: Path) -> None:
    many = ", ".join(["shared/cambodia.yaml"] * (limits.MAX_INCLUDES + 1))
    text = INCLUDING.replace("include: [shared/cambodia.yaml]", f"include: [{many}]")
    found = [p.code for p in load_scenario(write_scenario(text), use_cache=False).problems]
    assert found[0] == "LA078" and set(found[1:]) == {"LA097"}
    assert [p.code for p in load_scenario(write_scenario(INCLUDING.replace("format: 2", "format: 1")),
                                          use_cache=False).problems] == ["LA089"]


def test_a_shared_file_holds_only_shared_sections_and_its_own_sources(write_scenario: WriteScenario,
                                                                       shared_file: Path) -> None:
    shared_file.write_text(SHARED.replace("source: amnesty-shared", "source: hrw") + "stats: {}\n", encoding="utf-8")
    found = codes(write_scenario(INCLUDING))  # stats: is unknown there, and hrw is the scenario's, not the file's
    assert found == [("LA011", "cambodia.yaml", 24), ("LA020", "cambodia.yaml", 16)]
    assert "a shared file's facts cite the sources written in the same file" in \
        load_scenario(write_scenario(INCLUDING), use_cache=False).problems[1].hint


def test_the_cache_notices_a_changed_shared_file(write_scenario: WriteScenario, shared_file: Path) -> None:
    path = write_scenario(INCLUDING)
    assert load_scenario(path).ok and load_scenario(path).from_cache
    shared_file.write_text(SHARED.replace("The Association of Southeast Asian Nations.", "Ten countries."),
                           encoding="utf-8")
    again = load_scenario(path)
    assert not again.from_cache and again.scenario is not None and again.scenario.glossary["ASEAN"] == "Ten countries."
    assert load_scenario(path).from_cache


def test_a_path_too_long_for_the_system_is_refused_not_a_crash(write_scenario: WriteScenario, shared_file: Path) -> None:
    """Found by the fuzzer: a file name of 3,000 characters made the file system raise."""
    path = write_scenario(INCLUDING.replace("shared/cambodia.yaml", "x" * 3000 + ".yaml").replace("arrests, two-held", "arrests"))
    [problem] = load_scenario(path, use_cache=False).problems
    assert problem.code == "LA094" and "File name too long" in problem.message
    source = write_scenario(INCLUDING.replace(f"../seeds/{SEED_FILE}", "y" * 3000 + ".txt"), name="long-source")
    assert [p.code for p in load_scenario(source, use_cache=False).problems] == ["LA056"]
