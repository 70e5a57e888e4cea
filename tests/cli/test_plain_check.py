"""The knowledge check in the plain player: asked before the first scene and after the debrief
with `--check`, no score until both are done, then the student's own change with the fact behind
each item; recorded for the teacher; never asked without `--check`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from game.classroom.store import SqliteStore
from game.plain import PlainPlayer
from shared import CHECK_SCENARIO, REPO

WriteScenario = Callable[..., Path]
#: Before: wrong, "I don't know", "I don't know", right. Then "Stay home". After: all four right.
TYPED = "2\n3\n5\n1\n" + "2\n" + "1\n2\n2\n1\n"


def plain(path: Path, typed: str, check: bool = True) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = PlainPlayer(io.StringIO(typed), out, err, check=check).run(str(path), "journalist", 1)
    return code, out.getvalue(), err.getvalue()


def test_the_check_comes_before_the_first_scene_and_after_the_debrief(write_scenario: WriteScenario) -> None:
    code, out, err = plain(write_scenario(CHECK_SCENARIO), TYPED)
    assert (code, err) == (0, "")
    before = out.index("\nBefore you play: a short check\n")
    scene = out.index("Scene: The newsroom")
    debrief = out.index("Debrief: what really happened")
    after = out.index("\nAfter the debrief: the same check again\n")
    change = out.index("\nWhat changed for you:\n")
    assert before < scene < debrief < after < change
    assert ("Question 1 of 4: Where was Mu Sochua held?\n  1. At Kuala Lumpur's airport\n  2. At the Thai border\n"
            "  3. In Phnom Penh\n  4. I don't know\nYour answer: 2\n") in out
    assert "not a test: nobody sees a score, you included, until the end" in out
    assert " right" not in out[:change] and "of 4" not in out[:change].replace("of 4:", "")  # no score before the end


def test_the_students_own_change_item_by_item_with_the_fact(write_scenario: WriteScenario) -> None:
    _, out, _ = plain(write_scenario(CHECK_SCENARIO), TYPED)
    change = out[out.index("What changed for you:"):]
    assert "Before you played: 1 of 4 right. Now: 4 of 4 right." in change
    assert ("1. Where was Mu Sochua held?\n"
            "  New: right now, not before. Before: At the Thai border. Now: At Kuala Lumpur's airport.\n"
            "  The answer: At Kuala Lumpur's airport\n"
            "  The fact: Mu Sochua was held for most of a day at Kuala Lumpur's airport, then released.\n"
            "  Quote: \u201cdetained for most of the day by the Malaysian authorities upon arrival at Kuala Lumpur "
            "International Airport\u201d\n"
            "  Source: \u201cCambodia: Stop pressuring regional neighbours to harass opposition figures\u201d, "
            "Amnesty International, 2019-11-08\n") in change
    assert "2. Who held her?\n  New: right now, not before. Before: I don't know. Now: Malaysia's authorities." in change
    assert "4. What happened next?\n  Right both times. Before: She was released. Now: She was released." in change


def test_bad_answers_are_asked_again_and_q_or_the_end_of_input_stops(write_scenario: WriteScenario) -> None:
    path = write_scenario(CHECK_SCENARIO)
    code, out, _ = plain(path, "0\nseven\n2\nq\n")
    assert code == 0 and out.count("Please type a number from 1 to 4.") == 2
    assert out.rstrip().endswith("Goodbye.") and "Scene: The newsroom" not in out
    code, out, _ = plain(path, "1\n1\n")
    assert code == 0 and out.rstrip().endswith("End of input: the game stops here.")


def test_without_check_nothing_is_asked(write_scenario: WriteScenario) -> None:
    code, out, _ = plain(write_scenario(CHECK_SCENARIO), "2\n", check=False)
    assert code == 0 and "check" not in out.lower() and "Ending: A quiet night" in out


def test_play_check_records_both_checks_for_the_teacher(write_scenario: WriteScenario, tmp_path: Path) -> None:
    results = tmp_path / "class.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--check", str(write_scenario(CHECK_SCENARIO)), "--role",
         "journalist", "--seed", "1", "--results", str(results), "--name", "Dara", "--class", "9B"],
        input=TYPED + "\n", capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "What changed for you:" in result.stdout and "Answer 1: " in result.stdout
    [game] = SqliteStore(results, create=False).games()
    assert [(c.phase, c.item_id, c.right) for c in game.checks] == [
        ("before", "held-where", False), ("before", "held-by", False), ("before", "how-long", False),
        ("before", "then", True), ("after", "held-where", True), ("after", "held-by", True),
        ("after", "how-long", True), ("after", "then", True)]
    assert game.checks[1].answer == "I don't know" and game.checks[1].option is None
