"""The `longarm` command line: help, validate's exit codes, list, and the plain player."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from shared import BASE_SCENARIO, REPO
from game.cli import main
from game.plain import PlainPlayer

WriteScenario = Callable[..., Path]
ESCAPE = re.compile(r"\x1b")


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m game ARGS` in a subprocess, as a user runs it (no terminal attached)."""
    return subprocess.run([sys.executable, "-m", "game", *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)


def test_help_documents_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("play", "validate", "list"):
        assert command in result.stdout
    for command, words in (("validate", "Exit status: 0"), ("play", "--plain"), ("list", "shipped")):
        sub = run(command, "--help")
        assert sub.returncode == 0 and words in sub.stdout


def test_validate_exit_codes(write_scenario: WriteScenario, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_scenario()
    assert main(["validate", str(good)]) == 0
    assert capsys.readouterr().out.strip() == "1 file checked: 0 errors, 0 warnings"

    warn = write_scenario(BASE_SCENARIO.replace("endings:\n", "  attic:\n    title: A\n    basis: invented\n"
                                                "    text: A.\n    choices:\n      - {text: Go, id: go, goto: quiet}\nendings:\n"),
                          name="warn")
    assert main(["validate", str(warn)]) == 0
    assert "warning LA061" in capsys.readouterr().out

    write_scenario(BASE_SCENARIO.replace("format: 1", "format: 3"), name="bad")
    write_scenario("- not a mapping\n", name="worse")
    assert main(["validate", str(project / "scenarios")]) == 1
    out = capsys.readouterr().out
    assert re.search(r"bad\.yaml:2:9: error LA015", out)
    assert re.search(r"worse\.yaml:1:1: error LA005", out)
    assert out.strip().endswith("5 files checked: 2 errors, 1 warning")  # the project's shared file is checked too


def test_validate_usage_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(project / "nothing-here")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["validate", str(project / "seeds")]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["validate"])
    assert exit_info.value.code == 2


def test_validate_subprocess_prints_no_traceback(write_scenario: WriteScenario) -> None:
    path = write_scenario("\x00\x01binary")
    result = run("validate", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{path}:1:1: error LA007" in result.stdout  # a control character: not plain text


def test_list_shows_the_shipped_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "arrival-hall" in out
    assert re.search(r"Roles: .*journalist", out) and re.search(r"About \d+ minutes, \d+ scenes", out)


def plain(args: tuple[str | None, str | None, int | None], typed: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = PlainPlayer(io.StringIO(typed), out, err).run(*args)
    return code, out.getvalue(), err.getvalue()


def test_an_id_is_found_in_the_scenarios_folder_here_as_well_as_among_the_shipped(
        write_scenario: WriteScenario, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tutorial's `longarm play --plain night-bus` works after a plain `pip install .`."""
    path = write_scenario(name="night-bus")
    monkeypatch.chdir(path.parent.parent)
    code, out, err = plain(("night-bus", "journalist", 1), "2\n")
    assert (code, err) == (0, "") and "== Ending: A quiet night ==" in out
    code, _, err = plain(("no-such-bus", "journalist", 1), "")
    assert code == 2 and "no scenario 'no-such-bus'" in err and "night-bus" in err and "arrival-hall" in err


def test_plain_game_to_an_ending_prints_the_debrief(write_scenario: WriteScenario) -> None:
    path = str(write_scenario())
    code, out, _ = plain((path, "journalist", 1), "2\n")
    assert code == 0
    assert "== The newsroom ==" in out and "  1. Fly to Kuala Lumpur\n  2. Stay home" in out
    assert "Your choice: 2\nYou chose: Stay home" in out
    assert "== Ending: A quiet night ==" in out and "== Debrief: what really happened ==" in out
    assert "-- Questions to discuss --\n1. What would you have done?" in out
    assert "-- Your path --\n1. The newsroom: Stay home\n2. A quiet night" in out
    assert not ESCAPE.search(out)


def test_plain_shows_locked_choices_journal_undo_and_bad_input(write_scenario: WriteScenario) -> None:
    path = str(write_scenario())
    code, out, _ = plain((path, "journalist", 1), "7\nhello\n1\nj\nu\nh\n1\n2\n")
    assert code == 0
    assert "Please type a number from 1 to 2, or h for help." in out
    assert "- Mu Sochua was held for most of a day" in out
    assert "You take back your last choice." in out
    assert "Locked: Fly to Kuala Lumpur (Your editor will not pay)" in out
    assert out.rstrip().endswith("End of input: the game stops here.")


def test_plain_asks_for_role_and_handles_end_of_input(write_scenario: WriteScenario) -> None:
    path = str(write_scenario())
    code, out, _ = plain((path, None, 3), "")
    assert code == 0 and "Choose who you play:" in out and "End of input" in out
    code, out, _ = plain((path, None, 3), "2\n2\n")
    assert code == 0 and "You play: Activist." in out and "  2. Only for activists" in out


def test_plain_refuses_unknown_scenario_role_and_broken_files(write_scenario: WriteScenario) -> None:
    code, _, err = plain(("no-such-story", None, 1), "")
    assert code == 2 and "no scenario 'no-such-story'" in err
    code, _, err = plain((str(write_scenario()), "pilot", 1), "")
    assert code == 2 and "has no role 'pilot'" in err
    broken = write_scenario(BASE_SCENARIO.replace("goto: airport\n        if", "goto: airprot\n        if"), name="b")
    code, _, err = plain((str(broken), "journalist", 1), "")
    assert code == 1 and "error LA020" in err


def test_piped_game_of_the_shipped_scenario_reaches_a_verbatim_debrief() -> None:
    """The brief's own example: choose 1 until the end, then check every quote against the seed."""
    result = run("play", "--plain", "arrival-hall", "--role", "journalist", "--seed", "1", stdin="1\n" * 60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert not ESCAPE.search(result.stdout)
    assert "== Ending:" in result.stdout and "== Debrief: what really happened ==" in result.stdout
    seed = " ".join((REPO / "seeds" / "amnesty-2019-11-08-cambodia.txt").read_text(encoding="utf-8").split())
    cited = re.findall(r"^  Quote: \u201c(.*)\u201d\n  Source: (.*)$", result.stdout, flags=re.MULTILINE)
    from_seed = [quote for quote, source in cited if "Stop pressuring regional neighbours" in source]
    assert from_seed
    for quote in from_seed:
        assert " ".join(quote.split()) in seed


def test_piped_game_from_the_brief_exits_cleanly_at_end_of_input() -> None:
    result = run("play", "--plain", "arrival-hall", "--role", "journalist", "--seed", "1", stdin="1\n2\n1\n")
    assert result.returncode == 0 and "Traceback" not in result.stderr


def test_output_closed_early_stops_quietly() -> None:
    process = subprocess.Popen([sys.executable, "-m", "game", "play", "--plain", "arrival-hall", "--role", "journalist",
                                "--seed", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    assert process.stdout is not None and process.stdin is not None
    process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    _, err = process.communicate(input=b"1\n" * 40, timeout=60)
    assert b"Traceback" not in err and process.returncode == 0


def test_plain_text_joins_the_lines_of_a_paragraph() -> None:
    from game.plain import reflow

    text = "You wait.\nThe board\nflickers.\n\n- one\n- two\n\n> a quote\n> goes on"
    assert reflow(text) == "You wait. The board flickers.\n\n- one\n- two\n\n> a quote\n> goes on"


def test_plain_game_is_recorded_with_its_answers(write_scenario: WriteScenario, tmp_path: Path) -> None:
    from game.classroom.store import SqliteStore

    results = tmp_path / "class.sqlite"
    result = run("play", "--plain", str(write_scenario()), "--role", "journalist", "--seed", "1", "--results",
                 str(results), "--name", "Dara", "--class", "HISTORY-9B", stdin="2\nI would stay too\n")
    assert result.returncode == 0, result.stderr
    assert "Answer 1: I would stay too" in result.stdout and "your answers are saved" in result.stdout
    [game] = SqliteStore(results, create=False).games()
    assert (game.player, game.class_code, game.ending_id) == ("Dara", "HISTORY-9B", "quiet")
    assert [(a.question_index, a.answer) for a in game.answers] == [(0, "I would stay too")]


def test_a_recording_of_one_choice_says_one_choice(write_scenario: WriteScenario, tmp_path: Path) -> None:
    target = tmp_path / "one.json"
    result = run("play", "--plain", str(write_scenario()), "--role", "journalist", "--seed", "1", "--record",
                 str(target), stdin="2\n")
    assert result.returncode == 0, result.stderr
    assert f"longarm: recorded 1 choice to {target}" in result.stderr
