"""What the class learned: a class of 30 simulated students with known answers, played through the
session and recorded, gives exactly the per-item shares and mean gain worked out by hand; the report
shows them in HTML, Markdown and CSV, with the facts to revisit and the caveat."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from recorded import Clock

from game.classroom.learning import CAVEAT
from game.classroom.recorder import GameRecorder
from game.classroom.report import build_report
from game.classroom.store import SqliteStore
from game.classroom.summary import summarise
from game.cli import main
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.session.play import PlaySession
from shared import CHECK_SCENARIO

ITEMS = ("held-where", "held-by", "how-long", "then")
RIGHT = {"held-where": 0, "held-by": 1, "how-long": 1, "then": 0}
WRONG = {"held-where": 2, "held-by": None, "how-long": 3, "then": None}  # a wrong option, or "I don't know"

#: (how many students, the items right before, the items right after), items numbered from 1.
#:   A: 1/4 -> 3/4, g = (3/4 - 1/4) / (1 - 1/4) = 2/3
#:   B: 2/4 -> 3/4, g = (3/4 - 2/4) / (1 - 2/4) = 1/2
#:   C: 0/4 -> 2/4, g = 1/2
#:   D: 4/4 -> 4/4, no room to gain: left out of the mean
#:   E: 3/4 -> 2/4, g = (2/4 - 3/4) / (1 - 3/4) = -1
GROUPS = [(10, {1}, {1, 2, 3}), (10, {1, 2}, {1, 2, 3}), (6, set(), {1, 3}), (2, {1, 2, 3, 4}, {1, 2, 3, 4}),
          (2, {1, 2, 3}, {1, 2})]
#: By hand: 28 gains, (10 * 2/3 + 10 * 1/2 + 6 * 1/2 + 2 * -1) / 28 = (38/3) / 28 = 19/42.
MEAN_GAIN = 19 / 42
#: Each item's students right before and after, of 30: item 1 is 24 -> 30, item 2 is 14 -> 24,
#: item 3 is 4 -> 28 (E's two lose it), item 4 is 2 -> 2 (only D, both times: nobody learned it).
RIGHT_BEFORE = (24, 14, 4, 2)
RIGHT_AFTER = (30, 24, 28, 2)
LEARNED = (6, 10, 26, 0)
LOST = (0, 0, 2, 0)


def answers(right: set[int]) -> dict[str, int | None]:
    return {item: RIGHT[item] if number in right else WRONG[item] for number, item in enumerate(ITEMS, 1)}


def take_check(session: PlaySession, phase: str, right: set[int]) -> None:
    for item, option in answers(right).items():
        assert session.answer_check(phase, item, option) == ()  # type: ignore[arg-type]


@pytest.fixture
def checked(write_scenario: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Scenario:
    path = write_scenario(CHECK_SCENARIO)
    monkeypatch.setenv("LONGARM_SCENARIOS_DIR", str(path.parent))  # the report finds test-story by its id
    scenario = load_scenario(path).scenario
    assert scenario is not None
    return scenario


@pytest.fixture
def class_results(tmp_path: Path, checked: Scenario) -> Path:
    """30 students, each playing one game with the check, through the session and the recorder."""
    path = tmp_path / "results.sqlite"
    store = SqliteStore(path)
    clock = Clock()
    number = 0
    for size, before, after in GROUPS:
        for _ in range(size):
            number += 1
            recorder = GameRecorder(store, f"Student {number:02d}", "9B", clock=clock)
            session = PlaySession.new(checked, "journalist" if number % 2 else "activist", number,
                                      observers=[recorder], check=True)
            assert session.begin() == ()
            take_check(session, "before", before)
            assert session.choose("stay").ended
            take_check(session, "after", after)
    store.close()
    return path


def test_thirty_students_give_the_shares_and_the_mean_gain_worked_out_by_hand(class_results: Path) -> None:
    with SqliteStore(class_results, create=False) as store:
        report = summarise(store.games())
    [scenario] = report.scenarios
    check = scenario.check
    assert check is not None and check.both == 30 and len(check.students) == 30
    for line, before, after, learned, lost in zip(check.items, RIGHT_BEFORE, RIGHT_AFTER, LEARNED, LOST, strict=True):
        assert line.change.students == 30
        assert line.change.right_before == before / 30 and line.change.right_after == after / 30
        assert (line.change.learned, line.change.forgot) == (learned, lost)
    assert [line.item_id for line in check.revisit] == ["then"]
    gain = check.gain
    assert (gain.n, gain.at_ceiling, gain.only_one_check) == (28, 2, 0)
    assert gain.mean == pytest.approx(MEAN_GAIN)
    assert gain.low is not None and gain.high is not None and gain.low < MEAN_GAIN < gain.high
    assert gain.high - gain.low < 0.6  # 28 students pin the mean down, though not tightly


def test_the_html_report_shows_what_the_class_learned(class_results: Path) -> None:
    page = build_report(class_results, "html")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&#x27;", "'")
    assert "What the class learned: the knowledge check" in text
    assert "30 students took the check; 30 took it both before and after play" in text
    assert re.search(r"Mean normalized gain \+0\.45 \(95% interval \+0\.\d\d to \+0\.\d\d\), n = 28; left out: "
                     r"2 students with every item right before \(no room to gain\)\.", text)
    assert re.search(r"1\. Where was Mu Sochua held\? Answer: At Kuala Lumpur's airport 80% 100% 6 / 0", text)
    assert re.search(r"2\. Who held her\? Answer: Malaysia's authorities 47% 80% 10 / 0", text)
    assert re.search(r"3\. How long was she held\? Answer: Most of a day 13% 93% 26 / 2", text)
    assert re.search(r"4\. What happened next\? Answer: She was released 7% 7% 0 / 0", text)
    revisit = text[text.index("Facts to revisit"):text.index("Each student")]
    assert "4. What happened next?" in revisit and "Where was Mu Sochua held" not in revisit
    assert "Mu Sochua was held for most of a day" in revisit and "\u201cdetained for most of the day" in revisit
    assert "Source: \u201cCambodia: Stop pressuring regional neighbours" in revisit
    assert re.search(r"Student 01 1 of 4 3 of 4 \+0\.67 ", text) and re.search(r"Student 27 4 of 4 4 of 4 \u2013 ", text)
    assert re.search(r"Student 30 3 of 4 2 of 4 \u22121\.00 ", text)
    assert "Read with care. " + CAVEAT in text
    assert "the share of what they did not know before that they knew after (Hake, 1998)" in text


def test_the_markdown_report_has_the_same_figures(class_results: Path) -> None:
    page = build_report(class_results, "md")
    assert "### What the class learned: the knowledge check" in page
    assert "| 1. Where was Mu Sochua held? | At Kuala Lumpur's airport | 80% | 100% | 6 / 0 |" in page
    assert "| 4. What happened next? | She was released | 7% | 7% | 0 / 0 |" in page
    assert "- 4. What happened next? Mu Sochua was held for most of a day" in page
    assert "| Student 30 | 3 of 4 | 2 of 4 | \u22121.00 |" in page
    assert re.search(r"\*\*Mean normalized gain \+0\.45 \(95% interval", page)
    assert f"*Read with care.* {CAVEAT}" in page


def test_the_csv_check_table_has_a_row_per_item_with_the_class_figures(class_results: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(class_results), "--format", "csv", "--table", "check"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["item_id"] for row in rows] == list(ITEMS)
    assert [(int(row["right_before"]), int(row["right_after"])) for row in rows] == list(zip(RIGHT_BEFORE, RIGHT_AFTER))
    assert [row["share_before"] for row in rows] == ["0.8", "0.4667", "0.1333", "0.0667"]
    assert [row["nobody_learned"] for row in rows] == ["no", "no", "no", "yes"]
    assert {row["class_mean_gain"] for row in rows} == {str(round(MEAN_GAIN, 4))}
    assert {(row["gain_n"], row["left_out_all_right_before"], row["students_both_checks"]) for row in rows} == {
        ("28", "2", "30")}
    assert float(rows[0]["gain_95_low"]) < MEAN_GAIN < float(rows[0]["gain_95_high"])
    assert rows[0]["note"] == CAVEAT and rows[0]["quote"].startswith("detained for most of the day")
    assert main(["report", str(class_results), "--format", "csv"]) == 0
    games = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    first = next(row for row in games if row["student"] == "Student 01")
    assert (first["check_items"], first["check_right_before"], first["check_right_after"]) == ("4", "1", "3")
    assert main(["report", str(class_results), "--table", "check"]) == 2
    assert "is for --format csv" in capsys.readouterr().err


def test_a_student_counts_once_by_their_first_game_and_one_check_only_is_left_out(tmp_path: Path,
                                                                                   checked: Scenario) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    clock = Clock()
    ana = GameRecorder(store, "Ana", "9B", clock=clock)
    first = PlaySession.new(checked, "journalist", 1, observers=[ana], check=True)
    take_check(first, "before", set())
    first.choose("stay")
    take_check(first, "after", {1, 2})
    clock.now += timedelta(minutes=20)
    second = PlaySession.new(checked, "activist", 2, observers=[ana], check=True)  # played again: not counted
    take_check(second, "before", {1, 2, 3, 4})
    second.choose("stay")
    take_check(second, "after", {1, 2, 3, 4})
    ben = PlaySession.new(checked, "journalist", 3, observers=[GameRecorder(store, "Ben", "9B", clock=clock)],
                          check=True)
    take_check(ben, "before", {1})  # then stopped before the ending
    unchecked = PlaySession.new(checked, "journalist", 4, observers=[GameRecorder(store, "Cleo", "9B", clock=clock)])
    unchecked.choose("stay")
    report = summarise(store.games())
    check = report.scenarios[0].check
    assert check is not None
    assert [(s.student, s.before, s.after, s.gain) for s in check.students] == [("Ana", 0, 2, 0.5), ("Ben", 1, None, None)]
    assert (check.both, check.gain.n, check.gain.only_one_check, check.gain.mean) == (1, 1, 1, 0.5)
    assert [line.change.right_after for line in check.items] == [1.0, 1.0, 0.0, 0.0]


def test_no_check_no_section(tmp_path: Path, checked: Scenario) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    PlaySession.new(checked, "journalist", 1, observers=[GameRecorder(store, "Ana", None)]).choose("stay")
    assert summarise(store.games()).scenarios[0].check is None
    assert "knowledge check" not in build_report(tmp_path / "results.sqlite", "html")
