"""`longarm playtest`: traps, unreachable endings and never-open choices found with their proof;
JSON and JUnit outputs; exit codes; random games that replay in the plain player."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from game.cli import main
from game.engine.loader import graph
from game.engine.search.explore import explore
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.engine.search.playtest import play_random
from game.engine.search.routes import Replayed, replay
from shared import BASE_SCENARIO, REPO
from stories import COUNTER_SCENARIO, LOOP_SCENARIO, TRAP_SCENARIO, UNREACHABLE_SCENARIO

WriteScenario = Callable[..., Path]


def loaded(write_scenario: WriteScenario, text: str, name: str = "test-story") -> Scenario:
    result = load_scenario(write_scenario(text, name=name), use_cache=False)
    assert result.problems == (), [p.render() for p in result.problems]
    assert result.scenario is not None
    return result.scenario


def playtest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["playtest", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def play_plain(path: Path, role: str, seed: int, numbers: list[int]) -> str:
    """The replay command's effect: the numbers piped into `longarm play --plain`."""
    done = subprocess.run([sys.executable, "-m", "game", "play", "--plain", str(path), "--role", role, "--seed", str(seed)],
                          input="".join(f"{n}\n" for n in numbers), capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    return done.stdout


# ---------------------------------------------------------------------------- exhaustive


def test_clean_scenario_proves_every_ending_and_passes(write_scenario: WriteScenario,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = write_scenario()
    status, out, _ = playtest(capsys, str(path))
    assert status == 0
    assert "Endings: every ending can be reached." in out
    assert "Traps: none." in out
    assert out.rstrip().endswith("Result: OK.")
    assert "refused \"Turned away\" (bitter)" in out
    # The journalist's shortest way to `refused` is two choices, the second a random outcome.
    assert "journalist, 2 choices: fly, gate (outcome 1 of 2 -> refused)" in out
    assert "journalist, 1 choice: stay" in out


def test_every_ending_path_replays_in_the_plain_player(write_scenario: WriteScenario,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write_scenario()
    status, out, _ = playtest(capsys, str(path), "--json")
    assert status == 0
    report = json.loads(out)
    scenario = load_scenario(path).scenario
    assert scenario is not None
    checked = 0
    for ending in report["endings"]:
        for found in ending["paths"]:
            info = found["replay"]
            assert info["command"].startswith("printf '")
            assert f"--role {found['role']} --seed {info['seed']}" in info["command"]
            transcript = play_plain(path, found["role"], info["seed"], info["numbers"])
            assert f"Ending: {ending['title']}\n" in transcript
            checked += 1
    assert checked == 4  # two endings, each reached by both roles


def test_planted_trap_is_found_with_the_path_to_it(write_scenario: WriteScenario,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    scenario = loaded(write_scenario, TRAP_SCENARIO)
    assert [p for p in graph.check(scenario) if p.code == "LA062"] == []  # the static check cannot see it
    found = explore(scenario)
    assert not found.ok
    traps = {trap.role: trap for trap in found.traps}
    assert set(traps) == {"journalist", "activist"}
    trap = traps["journalist"]
    assert trap.scene == "cell" and trap.stuck
    assert [step.choice for step in trap.path] == ["fly", "argue"]
    assert trap.no_return == 2
    assert "safety 0" in trap.state
    assert [step.choice for step in traps["activist"].path] == ["fly", "argue"]  # fly comes first in the file
    assert found.never_open == ()  # waiting outside keeps safety, so the lawyer is sometimes open
    # The path really leads there in the engine, and the cell offers nothing.
    replayed = replay(scenario, "journalist", 1, ["fly", "argue"])
    assert isinstance(replayed, Replayed) and replayed.place == "cell"

    status, out, _ = playtest(capsys, str(write_scenario(TRAP_SCENARIO)))
    assert status == 1
    assert re.search(r"TRAP in scene cell \(line \d+\), role journalist: 1 trapped state; no choice is open there", out)
    assert "shortest path: fly, argue" in out
    assert "no way back after choice 2: argue in airport" in out
    assert "Result: FAILED: 2 traps." in out


def test_trap_that_loops_is_found_with_its_point_of_no_return(write_scenario: WriteScenario) -> None:
    scenario = loaded(write_scenario, LOOP_SCENARIO)
    found = explore(scenario)
    trap = next(trap for trap in found.traps if trap.role == "journalist")
    assert trap.scene == "corridor" and not trap.stuck
    assert [step.choice for step in trap.path] == ["fly", "hide"]
    assert trap.no_return == 2
    assert found.never_open == (("corridor", "show"),)
    assert found.seen[("corridor", "show")].describe().endswith("has_footage is never true")


def test_unreachable_ending_and_never_true_condition(write_scenario: WriteScenario,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    scenario = loaded(write_scenario, UNREACHABLE_SCENARIO)
    found = explore(scenario)
    assert found.unreachable_endings == ("secret",)
    assert found.unreached_scenes == ("back-office",)
    assert found.never_open == (("airport", "bribe"),)
    assert found.traps == ()

    status, out, _ = playtest(capsys, str(write_scenario(UNREACHABLE_SCENARIO)), "--json")
    assert status == 1
    report = json.loads(out)
    assert report["unreachable_endings"] == ["secret"]
    [bribe] = report["never_open"]
    assert (bribe["scene"], bribe["choice"], bribe["condition"]) == ("airport", "bribe", "suspicion >= 3")
    assert bribe["line"] == scenario.scenes["airport"].choices[-1].line
    # The evidence: what the reachable states at the airport hold, and which choices lead on.
    assert bribe["evidence"] == "in the 3 reachable states there (journalist, activist): suspicion is always 0"
    bribe_line = scenario.scenes["airport"].choices[-1].line
    assert report["unreached_scenes"] == [{
        "scene": "back-office", "line": scenario.scenes["back-office"].line, "linked": True,
        "blocked": [{"scene": "airport", "choice": "bribe", "line": bribe_line, "reason": "it is never open"}]}]
    secret = next(e for e in report["endings"] if e["id"] == "secret")
    assert secret["reachable"] is False and secret["paths"] == []
    slip_line = scenario.scenes["back-office"].choices[0].line
    assert secret["blocked"] == [{"scene": "back-office", "choice": "slip", "line": slip_line,
                                  "reason": "its scene is never reached"}]

    status, out, _ = playtest(capsys, str(write_scenario(UNREACHABLE_SCENARIO)))
    assert status == 1
    assert 'UNREACHABLE: secret "Through the back door" (hopeful, line' in out
    assert "    back-office / slip (line" in out and "leads there, but its scene is never reached" in out
    assert "airport / bribe (if: suspicion >= 3)\n    in the 3 reachable states there" in out
    assert out.rstrip().endswith("Result: FAILED: 1 unreachable ending. (2 warnings above)")


def test_states_are_projected_onto_what_conditions_and_text_read(write_scenario: WriteScenario) -> None:
    counter = loaded(write_scenario, COUNTER_SCENARIO, name="counter")
    [search] = explore(counter).roles
    assert (search.states, search.edges) == (5, 5)  # noise is read by nothing: it does not split states
    shown = loaded(write_scenario, COUNTER_SCENARIO.replace("text: Count.", "text: Noise {noise}."), name="shown")
    [search] = explore(shown).roles
    # Now noise is shown: room (0,0) (1,1) (2,2) (3,3..9) = 10 states, done with noise 3..9 = 7.
    assert search.states == 17


def test_json_and_junit_outputs_parse(write_scenario: WriteScenario, project: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    junit_file = project / "playtest.xml"
    status, out, _ = playtest(capsys, str(write_scenario(TRAP_SCENARIO)), "--json", "--junit", str(junit_file))
    assert status == 1
    report = json.loads(out)
    assert report["mode"] == "exhaustive" and report["complete"] and report["exit_status"] == 1
    assert {trap["scene"] for trap in report["traps"]} == {"cell"}
    suite = ET.parse(junit_file).getroot().find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"refused can be reached", "quiet can be reached", "role journalist has no traps",
                          "role activist has no traps"}
    assert cases["role journalist has no traps"].find("failure") is not None
    assert cases["quiet can be reached"].find("failure") is None
    assert suite.get("tests") == "4" and suite.get("failures") == "2"

    junit_file.unlink()
    status, out, _ = playtest(capsys, str(write_scenario(UNREACHABLE_SCENARIO, name="unreachable")),
                              "--junit", str(junit_file))
    assert status == 1 and "UNREACHABLE: secret" in out
    suite = ET.parse(junit_file).getroot().find("testsuite")
    assert suite is not None
    failed = [case.get("name") for case in suite.findall("testcase") if case.find("failure") is not None]
    assert failed == ["secret can be reached"]
    assert "never open" in (suite.findtext("system-out") or "")


def test_exit_codes_for_usage_and_load_errors(write_scenario: WriteScenario, project: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = playtest(capsys, "no-such-story")
    assert status == 2 and "no scenario 'no-such-story'" in err
    broken = write_scenario(BASE_SCENARIO.replace("format: 1", "format: 3"), name="broken")
    status, _, err = playtest(capsys, str(broken))
    assert status == 2 and "error LA015" in err
    status, _, err = playtest(capsys, str(write_scenario()), "--role", "pilot")
    assert status == 2 and "has no role 'pilot'" in err
    with pytest.raises(SystemExit) as exited:
        main(["playtest", str(write_scenario()), "--random", "0"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["playtest", str(write_scenario()), "--random", "5", "--exhaustive"])
    assert exited.value.code == 2
    capsys.readouterr()


def test_state_cap_stops_the_search_with_advice(write_scenario: WriteScenario, project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    junit_file = project / "capped.xml"
    status, out, _ = playtest(capsys, str(write_scenario(TRAP_SCENARIO)), "--max-states", "3",
                              "--junit", str(junit_file))
    assert status == 2
    suite = ET.parse(junit_file).getroot().find("testsuite")
    assert suite is not None
    [failed] = [case for case in suite.findall("testcase") if case.find("failure") is not None]
    assert failed.get("name") == "the search is complete"
    assert "The search stopped at the state cap (3 states for one role)" in out
    assert "--max-states N" in out and "--random" in out
    assert "TRAP" not in out  # a capped search proves nothing about traps
    assert out.rstrip().endswith("Result: INCOMPLETE (the state cap stopped the search).")


def test_role_option_limits_the_search(write_scenario: WriteScenario, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = playtest(capsys, str(write_scenario(TRAP_SCENARIO)), "--role", "activist", "--json")
    assert status == 1
    report = json.loads(out)
    assert [role["role"] for role in report["roles"]] == ["activist"]
    assert [trap["role"] for trap in report["traps"]] == ["activist"]


# ---------------------------------------------------------------------------- random


def test_random_games_replay_alone_with_their_seed_and_choices(write_scenario: WriteScenario) -> None:
    scenario = loaded(write_scenario, BASE_SCENARIO)
    run = play_random(scenario, 40, seed=7)
    assert [game.role for game in run.games[:4]] == ["journalist", "activist", "journalist", "activist"]
    for game in run.games:
        replayed = replay(scenario, game.role, game.seed, game.choice_ids)
        assert isinstance(replayed, Replayed), replayed
        assert replayed.place == game.place
        assert replayed.places == tuple(step.target for step in game.steps)


def test_random_runs_are_determined_by_the_seed(write_scenario: WriteScenario) -> None:
    scenario = loaded(write_scenario, BASE_SCENARIO)
    first, again, other = (play_random(scenario, 30, seed) for seed in (3, 3, 4))
    assert first.games == again.games
    assert [g.seed for g in first.games] != [g.seed for g in other.games]
    uniform = play_random(scenario, 30, 3, coverage=False)
    assert uniform.games != first.games


def test_coverage_first_takes_every_open_choice(write_scenario: WriteScenario) -> None:
    scenario = loaded(write_scenario, TRAP_SCENARIO)
    run = play_random(scenario, 60, seed=1)
    assert all(hits > 0 for hits in run.choice_hits.values()), run.choice_hits
    assert run.stuck and not run.ok
    assert {game.place for game in run.stuck} == {"cell"}


def test_random_report_counts_hits_endings_and_stat_ranges(write_scenario: WriteScenario,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = write_scenario()
    status, out, _ = playtest(capsys, str(path), "--random", "200", "--seed", "5", "--json")
    assert status == 0
    report = json.loads(out)
    assert report["games"] == 200 and report["seed"] == 5 and report["picks"] == "least-taken first"
    assert sum(ending["games"] for ending in report["endings"]) == 200
    scenes = {scene["id"]: scene["arrivals"] for scene in report["scenes"]}
    assert scenes["newsroom"] >= 200  # every game starts there
    taken = {(c["scene"], c["choice"]): c["taken"] for c in report["choices"]}
    assert taken[("newsroom", "activist-only")] > 0 and taken[("newsroom", "stay")] > 0
    low, high = report["stats"]["safety"]["seen"]
    assert low <= 3 and high == 5  # staying home adds 10 to safety, clamped to its maximum
    for game in report["game_list"]:
        transcript = play_plain(path, game["role"], game["seed"], game["replay"]["numbers"])
        title = load_scenario(path).scenario.endings[game["place"]].title  # type: ignore[union-attr]
        assert f"Ending: {title}\n" in transcript

    status, out, _ = playtest(capsys, str(path), "--random", "200", "--seed", "5")
    assert status == 0
    assert "200 games, seed 5, choices picked least-taken first" in out
    assert re.search(r"replay: printf '[\d\\n]+' \| longarm play --plain \S+ --role \w+ --seed \d+", out)


def test_random_games_that_loop_stop_at_the_step_cap(write_scenario: WriteScenario,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = write_scenario(LOOP_SCENARIO)
    status, out, _ = playtest(capsys, str(path), "--random", "50", "--max-steps", "30", "--json")
    assert status == 0  # a loop may be a trap, but random play cannot prove it
    report = json.loads(out)
    assert report["step_capped"] > 0
    capped = [game for game in report["game_list"] if game["result"] == "step cap"]
    assert capped and all(len(game["choices"]) == 30 and game["place"] == "corridor" for game in capped)


def test_random_junit_fails_for_a_stuck_game(write_scenario: WriteScenario, project: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    junit_file = project / "random.xml"
    status, out, _ = playtest(capsys, str(write_scenario(TRAP_SCENARIO)), "--random", "60", "--junit", str(junit_file))
    assert status == 1 and "Result: FAILED: a game got stuck" in out
    suite = ET.parse(junit_file).getroot().find("testsuite")
    assert suite is not None
    assert {case.get("name"): case.find("failure") is not None for case in suite.findall("testcase")} == {
        "no journalist game gets stuck": True, "no activist game gets stuck": True}


def test_help_documents_the_tools() -> None:
    done = subprocess.run([sys.executable, "-m", "game", "--help"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    for command in ("playtest", "graph", "stats", "new"):
        assert command in done.stdout
    done = subprocess.run([sys.executable, "-m", "game", "playtest", "--help"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert "default 2,000,000" in done.stdout and "default 500" in done.stdout and "Exit status" in done.stdout


def test_the_knowledge_check_needs_a_debrief_the_search_reaches(write_scenario: WriteScenario, project: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from shared import CHECK_SCENARIO

    path = write_scenario(CHECK_SCENARIO)
    status, out, _ = playtest(capsys, str(path))
    assert status == 0
    assert "Knowledge check: the fact behind each of its 4 items is in the debrief of an ending reached." in out
    # `refused` stays linked in the scene graph (validate accepts it), but its only way in is never open.
    blocked = CHECK_SCENARIO.replace("      - text: Try the gate\n        id: gate\n",
                                     "      - text: Try the gate\n        id: gate\n        if: safety > 5\n")
    path = write_scenario(blocked)
    assert load_scenario(path, use_cache=False).ok
    status, out, _ = playtest(capsys, str(path))
    assert status == 1
    assert "Knowledge check: 4 items rest on facts that no debrief of an ending reached lists:" in out
    line = blocked.count("\n", 0, blocked.index("- id: held-by")) + 1
    assert f"  CHECK: {path}:{line}: item held-by (fact klia-detention)" in out
    assert "Result: FAILED: 1 unreachable ending, 4 check items without a reachable debrief." in out
    status, out, _ = playtest(capsys, str(path), "--json", "--junit", str(project / "junit.xml"))
    report = json.loads(out)
    assert report["unsupported_check_items"] == ["held-where", "held-by", "how-long", "then"]
    assert [item["endings"] for item in report["check"]] == [[]] * 4
    junit = ET.parse(project / "junit.xml").getroot()
    [case] = [c for c in junit.iter("testcase") if c.get("classname", "").endswith(".check")]
    assert case.find("failure") is not None
