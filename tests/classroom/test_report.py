"""`longarm report`: the class at a glance from a store filled by real games, in HTML, Markdown and CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from recorded import UNDO, Clock, play, seed_for

from game.classroom.recorder import GameRecorder
from game.classroom.report import build_report
from game.classroom.store import SqliteStore
from game.cli import main
from game.engine.loader.load import load_scenario

HOSTILE = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def results(tmp_path: Path, write_scenario: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A class of five students' games on the test story (four in 7B, one in 8A), one unfinished.

    In 7B the newsroom saw fly 2, activist-only 1, stay 1 (Ben's fly was undone); endings: refused
    (bitter) 2, quiet (mixed) 1, in 10, 20 and 5 minutes.
    """
    scenario_file = write_scenario()
    monkeypatch.setenv("LONGARM_SCENARIOS_DIR", str(scenario_file.parent))
    scenario = load_scenario(scenario_file).scenario
    assert scenario is not None
    path = tmp_path / "results.sqlite"
    store = SqliteStore(path)
    clock = Clock()
    refused = seed_for(0, [3, 1], step=1)

    def student(name: str | None, class_code: str) -> GameRecorder:
        return GameRecorder(store, name, class_code, clock=clock)

    games = [
        play(student("Ana", "7B"), clock, scenario, "journalist", ["fly", "gate"], seed=refused, minutes=10,
             answers={0: HOSTILE}),
        play(student(None, "7B"), clock, scenario, "activist", ["activist-only", "gate"], seed=refused, minutes=20,
             answers={0: FORMULA}),
        play(student("Ben", "7b"), clock, scenario, "journalist", ["fly", UNDO, "stay"], minutes=5,
             answers={0: "I would | stay *home*"}),
        play(student("Cleo", "7B"), clock, scenario, "journalist", ["fly"]),
        play(student("Dan", "8A"), clock, scenario, "journalist", ["stay"], minutes=7),
    ]
    assert all(not game.warnings for game in games)
    store.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["report", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_html_report_shows_the_class_at_a_glance(results: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "class.html"
    status, _, err = run(capsys, str(results), "--class", "7b", "--out", str(out))
    assert status == 0 and "wrote" in err
    page = out.read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    # who played and finished: Ben recorded under "7b" belongs to the class all the same
    assert re.search(r"Ana 7B 1 1 Turned away", text) and re.search(r"Ben 7b 1 1 A quiet night", text)
    assert re.search(r"Cleo 7B 1 0 ", text) and re.search(r"student-[0-9a-f]{6} 7B 1 1 Turned away", text)
    assert "Dan" not in text
    assert re.search(r"4 students 3 reached an ending 4 games 3 games finished", text)
    # endings by tone, every ending of the scenario listed
    assert re.search(r"Turned away Bitter 2 \(67%\)", text) and re.search(r"A quiet night Mixed 1 \(33%\)", text)
    assert re.search(r"Hopeful 0 \(0%\)", text)
    # each scene's choices, by the scenario's own titles and texts
    assert re.search(r"The newsroom 4 students Fly to Kuala Lumpur 2 of 4 \(50%\) Only for activists 1 of 4 \(25%\) "
                     r"Stay home 1 of 4 \(25%\)", text)
    assert re.search(r"The arrival hall 2 students Try the gate 2 of 2 \(100%\) Go back 0 of 2 \(0%\)", text)
    # facts, of the three students who finished; time taken
    assert re.search(r"Mu Sochua was held .{0,80} 3 of 3 \(100%\)", text)
    assert re.search(r"Human Rights Watch counted 92 .{0,40} 2 of 3 \(67%\)", text)
    assert "Every fact was found by at least one student." in text
    assert "median 10 min, shortest 5 min, longest 20 min (3 finished games)" in text
    # the answers, under their question
    assert re.search(r"Why would a neighbour agree\? &lt;script&gt;alert\(1\)&lt;/script&gt; Ana, Turned away "
                     r"=HYPERLINK\(.{0,60}\) student-[0-9a-f]{6}, Turned away "
                     r"What would you have done\? I would \| stay \*home\* Ben, A quiet night", text)


def test_html_is_self_contained_printable_and_escapes_what_students_wrote(results: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    status, page, _ = run(capsys, str(results), "--out", "-")
    assert status == 0 and page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower() and HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"""(?:href|src|action)\s*=|@import|url\(|<link|<iframe|<object|<img""", page, re.IGNORECASE)
    assert "@media print" in page and page.count("<svg") >= 8
    assert 'HYPERLINK(&quot;http://evil.example&quot;' in page  # shown as text, never as a link


def test_html_goes_to_report_html_by_default(results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, str(results))
    assert status == 0 and out == ""
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_markdown_report_is_for_pasting(results: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, page, _ = run(capsys, str(results), "--format", "md", "--class", "7B")
    assert status == 0
    assert page.startswith("# Long Arm: class 7B\n")
    assert "| Ana | 7B | 1 | 1 | Turned away |" in page
    assert "| Fly to Kuala Lumpur | 2 of 4 | 50% |" in page
    assert "| Turned away | bitter | 2 (67%) |" in page
    assert "Time taken: median 10 min, shortest 5 min, longest 20 min (3 finished games)." in page
    assert "> I would \\| stay \\*home\\*" in page  # a pipe cannot break a table, stars stay stars
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in page and "<script>" not in page


def test_csv_report_has_one_row_per_game_safe_for_spreadsheets(results: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    status, page, _ = run(capsys, str(results), "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(page)))
    assert len(rows) == 5 and len({row["game_id"] for row in rows}) == 5
    by_student = {row["student"]: row for row in rows if row["player"]}
    assert (by_student["Ana"]["ending_title"], by_student["Ana"]["ending_tone"], by_student["Ana"]["minutes"]) == (
        "Turned away", "bitter", "10.0")
    assert by_student["Ana"]["path"] == "fly > gate" and by_student["Ana"]["facts_found"] == "2"
    assert by_student["Ana"]["question 1"] == "Why would a neighbour agree?"
    assert by_student["Ana"]["answer 1"] == HOSTILE
    assert by_student["Ben"]["path"] == "stay"
    assert by_student["Cleo"]["ending_id"] == "" and by_student["Cleo"]["minutes"] == ""
    [anonymous] = [row for row in rows if not row["player"]]
    assert anonymous["answer 1"] == "'" + FORMULA  # a formula is shown as text, never run


def test_filters_by_scenario_and_lists_the_facts_nobody_found(results: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    status, page, _ = run(capsys, str(results), "--format", "md", "--class", "8A", "--scenario", "test-story")
    assert status == 0 and "Dan" in page and "Ana" not in page
    assert "Found by nobody:\n\n- Human Rights Watch counted 92 suspected activists arrested." in page
    status, page, _ = run(capsys, str(results), "--format", "csv", "--scenario", "no-such-story")
    assert status == 0 and page.count("\n") == 1  # the header alone


def test_a_scenario_that_cannot_be_loaded_is_reported_by_its_ids(results: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LONGARM_SCENARIOS_DIR", str(tmp_path / "empty"))
    page = build_report(results, "md", class_code="7B")
    assert "could not be loaded" in page and "## Test story (`test-story`)" in page
    assert "| fly | 2 of 4 | 50% |" in page and "**newsroom** (4 students)" in page
    assert "- klia-detention \u2014 3 of 3 (100%)" in page and "Found by nobody" not in page


@pytest.mark.parametrize("content, message", [
    (b"not a database at all", "is not a Long Arm results file"),
    (b"SQLite format 3\x00" + b"\x00" * 84 + b"\xff" * 4000, "damaged"),
])
def test_a_damaged_file_is_a_message_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     content: bytes, message: str) -> None:
    path = tmp_path / "results.sqlite"
    path.write_bytes(content)
    status, out, err = run(capsys, str(path), "--format", "md")
    assert status == 2 and out == ""
    assert err.startswith("longarm report: ") and message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_a_missing_file_or_unwritable_output_is_a_message(tmp_path: Path, results: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, str(tmp_path / "nothing.sqlite"))
    assert status == 2 and "there is no results file" in err and not (tmp_path / "nothing.sqlite").exists()
    status, _, err = run(capsys, str(results), "--out", str(tmp_path / "no" / "such" / "folder.html"))
    assert status == 2 and "cannot write" in err


def test_an_empty_store_gives_a_report_that_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "results.sqlite"
    SqliteStore(path).schema_version()  # made, with no game in it
    status, page, _ = run(capsys, str(path), "--out", "-")
    assert status == 0 and "No game has been recorded yet." in page
