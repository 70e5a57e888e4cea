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
    assert (code, err) == (0, "") and "Ending: A quiet night" in out
    code, _, err = plain(("no-such-bus", "journalist", 1), "")
    assert code == 2 and "no scenario 'no-such-bus'" in err and "night-bus" in err and "arrival-hall" in err


def test_plain_game_to_an_ending_prints_the_debrief(write_scenario: WriteScenario) -> None:
    path = str(write_scenario())
    code, out, _ = plain((path, "journalist", 1), "2\n")
    assert code == 0
    assert "Scene: The newsroom" in out and "  1. Fly to Kuala Lumpur\n  2. Stay home" in out
    assert "Your choice: 2\nYou chose: Stay home" in out
    assert "Ending: A quiet night" in out and "Debrief: what really happened" in out
    assert "Questions to discuss:\n1. What would you have done?" in out
    assert "Your path:\n1. The newsroom: Stay home\n2. A quiet night" in out
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
    assert "Ending:" in result.stdout and "Debrief: what really happened" in result.stdout
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
    assert reflow(text) == "You wait. The board flickers.\n\n- one\n- two\n\n  a quote\n  goes on"


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


@pytest.mark.parametrize("plain", [[], ["--plain"]], ids=["app", "plain"])
@pytest.mark.parametrize("seed", ["99999999999999999999999", "-1", "2147483648", "seven"])
def test_a_seed_out_of_range_is_refused_before_play(seed: str, plain: list[str]) -> None:
    """A huge seed was once accepted, and then every choice failed to record."""
    result = run("play", *plain, "arrival-hall", "--role", "journalist", "--seed", seed)
    assert result.returncode == 2
    assert "--seed" in result.stderr and ("between 0 and 2,147,483,647" in result.stderr
                                          or "not a whole number" in result.stderr)
    assert "Traceback" not in result.stderr


def test_the_largest_seed_is_accepted() -> None:
    result = run("play", "--plain", "arrival-hall", "--role", "journalist", "--seed", "2147483647", stdin="q\n")
    assert result.returncode == 0 and "Seed 2147483647" in result.stdout


@pytest.mark.parametrize("plain", [[], ["--plain"]], ids=["app", "plain"])
def test_an_unknown_role_or_scenario_exits_2_with_the_same_words_in_both_front_ends(plain: list[str]) -> None:
    result = run("play", *plain, "arrival-hall", "--role", "wizard")
    assert result.returncode == 2
    assert result.stderr == "longarm: 'arrival-hall' has no role 'wizard'; its roles are: journalist, activist\n"
    result = run("play", *plain, "no-such-story", "--role", "journalist")
    assert result.returncode == 2 and result.stderr.startswith("longarm: no scenario 'no-such-story' (known ids:")


def test_plain_prints_no_markup_for_a_screen_reader_to_read_out(write_scenario: WriteScenario) -> None:
    """Emphasis, links and code come out as their words; no star, no underscore, no brackets."""
    path = str(write_scenario(BASE_SCENARIO.replace(
        "Your phone lights up.", "*She flies to KL tonight.* Your **phone** lights up: [read](https://x.org) `now`, "
                                 "_quietly_. 5 * 3 stays.")
        .replace("text: Stay home", "text: Stay *home*")))
    code, out, _ = plain((path, "journalist", 1), "2\n")
    assert code == 0
    assert "She flies to KL tonight. Your phone lights up: read now, quietly. 5 * 3 stays." in out
    assert "  2. Stay home" in out and "You chose: Stay home" in out
    for mark in ("*She", "**", "](", "`", "_quietly", "==", "-- "):
        assert mark not in out, mark


def test_plain_q_says_goodbye() -> None:
    result = run("play", "--plain", "arrival-hall", "--role", "journalist", "--seed", "1", stdin="q\n")
    assert result.returncode == 0 and result.stdout.rstrip().endswith("Your choice: q\nGoodbye.")
    assert "End of input" not in result.stdout


def test_plain_ctrl_c_ends_the_line_and_exits_130_without_a_traceback() -> None:
    import signal

    process = subprocess.Popen([sys.executable, "-m", "game", "play", "--plain", "arrival-hall", "--role",
                                "journalist", "--seed", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert process.stdout is not None
    seen = ""
    while not seen.endswith("Your choice: "):  # waits on the prompt itself, however slow the machine
        character = process.stdout.read(1)
        assert character, "the player ended before asking"
        seen += character
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err == "\n" and out == ""  # the prompt's line is ended; nothing else is said


def test_plain_lists_wrap_with_a_hanging_indent() -> None:
    from game.plain import wrap

    line = "  2. Go to the airport early, before the delegation lands, and wait by the arrivals gate"
    assert wrap(line, 41).split("\n") == ["  2. Go to the airport early, before the",
                                          "     delegation lands, and wait by the",
                                          "     arrivals gate"]
    locked = "  Locked: Fly to Kuala Lumpur tonight (your editor will not pay for it)"
    assert wrap(locked, 40).split("\n")[1].startswith("          ")  # under the text, after "Locked: "
    assert wrap("Short.", 40) == "Short."


def test_a_recording_of_one_choice_says_one_choice(write_scenario: WriteScenario, tmp_path: Path) -> None:
    target = tmp_path / "one.json"
    result = run("play", "--plain", str(write_scenario()), "--role", "journalist", "--seed", "1", "--record",
                 str(target), stdin="2\n")
    assert result.returncode == 0, result.stderr
    assert f"longarm: recorded 1 choice to {target}" in result.stderr
