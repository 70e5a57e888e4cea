"""The results store: what goes in comes back out, undo and answers, its format version, bad files."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from game.classroom.records import CheckRecord, ChoiceRecord, GameRecord
from game.classroom.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    SqliteStore,
    StoreError,
    default_path,
)

T0 = "2019-11-08T09:00:00.000+00:00"


def record(game_id: str = "g1", **changes: object) -> GameRecord:
    base = GameRecord(game_id, "arrival-hall", "Arrival Hall", "journalist", 42, "Ana", "student-0a1b2c", "7B", T0)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_game_its_choices_ending_and_answers_come_back_as_written(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    store.start_game(record())
    store.add_choice("g1", 1, "arrivals", "doors", "2019-11-08T09:01:00.000+00:00")
    store.add_choice("g1", 2, "j-doors", "back", "2019-11-08T09:02:00.000+00:00")
    store.end_game("g1", "ending-released", "hopeful", ["klia-detention", "held-overnight"],
                   "2019-11-08T09:12:30.000+00:00")
    store.answer("g1", 1, "Why?", "Because <b>", "2019-11-08T09:13:00.000+00:00")
    store.start_game(record("g2", player=None, anonymous_id="student-ffffff", class_code=None, started_at="2019-11-08T09:05:00.000+00:00"))
    [first, second] = SqliteStore(tmp_path / "results.sqlite", create=False).games()
    assert first == record(
        ended_at="2019-11-08T09:12:30.000+00:00", ending_id="ending-released", ending_tone="hopeful", place="ending-released",
        facts_found=("klia-detention", "held-overnight"),
        choices=(ChoiceRecord(1, "arrivals", "doors", "2019-11-08T09:01:00.000+00:00"),
                 ChoiceRecord(2, "j-doors", "back", "2019-11-08T09:02:00.000+00:00")),
        answers=(first.answers[0],))
    assert (first.answers[0].question_index, first.answers[0].question, first.answers[0].answer) == (1, "Why?", "Because <b>")
    assert first.finished and first.seconds == 750.0 and first.student == "Ana"
    assert second.student == "student-ffffff" and not second.finished and second.seconds is None
    assert second.choices == () and second.class_code is None


def check(phase: str, item: str, index: int, option: int | None, right: bool, minute: int = 1) -> CheckRecord:
    answer = "I don't know" if option is None else f"option {option + 1}"
    return CheckRecord(phase, item, index, f"Question {item}?", option, answer, right,
                       f"2019-11-08T09:{minute:02d}:00.000+00:00")


def test_check_answers_come_back_before_then_after_in_item_order(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    store.start_game(record())
    store.start_game(record("g2"))
    store.check_answer("g1", check("after", "b", 1, 0, True, 20))
    store.check_answer("g1", check("before", "b", 1, None, False))
    store.check_answer("g1", check("before", "a", 0, 2, False))
    store.check_answer("g1", check("before", "a", 0, 1, True, 2))  # changed while the check was open
    store.check_answer("g2", check("before", "a", 0, 1, True))
    [first, second] = SqliteStore(tmp_path / "results.sqlite", create=False).games()
    assert first.checks == (check("before", "a", 0, 1, True, 2), check("before", "b", 1, None, False),
                            check("after", "b", 1, 0, True, 20))
    assert second.checks == (check("before", "a", 0, 1, True),)
    assert [g.id for g in store.games(class_code="7b")] == ["g1", "g2"]  # filters read checks too
    with pytest.raises(StoreError):
        store.check_answer("nobody", check("before", "a", 0, 1, True))


def test_sync_adds_and_updates_check_answers(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    store.start_game(record())
    store.check_answer("g1", check("before", "a", 0, 2, False))
    store.sync_game(record(checks=(check("before", "a", 0, 1, True), check("before", "b", 1, 0, True))))
    assert store.games()[0].checks == (check("before", "a", 0, 1, True), check("before", "b", 1, 0, True))


def test_undo_deletes_the_choices_from_that_step_on_and_leaves_the_ending(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    store.start_game(record())
    for step in range(1, 6):
        store.add_choice("g1", step, f"s{step}", f"c{step}", T0)
    store.end_game("g1", "end", "bitter", ["fact"], T0)
    store.undo("g1", 4)
    [game] = store.games()
    assert [c.step for c in game.choices] == [1, 2, 3]
    assert (game.ending_id, game.ending_tone, game.ended_at, game.facts_found) == (None, None, None, ())
    store.add_choice("g1", 4, "s4", "other", T0)  # a new fourth choice after the undo
    assert [c.choice_id for c in store.games()[0].choices] == ["c1", "c2", "c3", "other"]


def test_a_later_answer_to_the_same_question_replaces_the_earlier(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    store.start_game(record())
    store.answer("g1", 0, "Q1", "first try", T0)
    store.answer("g1", 1, "Q2", "other question", T0)
    store.answer("g1", 0, "Q1", "second thoughts", "2019-11-08T10:00:00.000+00:00")
    answers = store.games()[0].answers
    assert [(a.question_index, a.answer) for a in answers] == [(0, "second thoughts"), (1, "other question")]
    assert answers[0].at == "2019-11-08T10:00:00.000+00:00"


def test_an_ending_or_answer_for_a_game_not_in_the_store_is_an_error(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    with pytest.raises(StoreError, match="not in"):
        store.end_game("nowhere", "end", "mixed", [], T0)
    with pytest.raises(StoreError, match="could not record an answer"):
        store.answer("nowhere", 0, "Q", "A", T0)


def test_sync_brings_a_game_up_to_date_keeping_the_times_of_choices_already_there(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    store.start_game(record())
    store.add_choice("g1", 1, "a", "x", "2019-11-08T09:01:00.000+00:00")
    store.add_choice("g1", 2, "b", "stale", T0)
    store.add_choice("g1", 3, "c", "gone", T0)
    later = "2019-11-08T11:00:00.000+00:00"
    store.sync_game(record(choices=(ChoiceRecord(1, "a", "x", later), ChoiceRecord(2, "b", "y", later)),
                           ending_id="end", ending_tone="mixed", ended_at=later, facts_found=("f",)))
    [game] = store.games()
    assert [(c.choice_id, c.at) for c in game.choices] == [("x", "2019-11-08T09:01:00.000+00:00"), ("y", later)]
    assert (game.ending_id, game.facts_found, game.started_at) == ("end", ("f",), T0)


def test_filters_by_class_in_any_case_and_by_scenario(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    store.start_game(record("a", class_code="History-9B"))
    store.start_game(record("b", class_code="7B"))
    store.start_game(record("c", class_code="HISTORY-9B", scenario_id="under-watch"))
    assert [g.id for g in store.games(class_code="history-9b")] == ["a", "c"]
    assert [g.id for g in store.games(class_code="history-9b", scenario_id="under-watch")] == ["c"]
    assert [g.id for g in store.games(scenario_id="arrival-hall")] == ["a", "b"]


def test_a_new_file_is_marked_with_the_schema_version_and_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "results.sqlite"
    store = SqliteStore(path)
    assert store.schema_version() == SCHEMA_VERSION == 4
    assert store.integrity_check() == "ok"
    store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {
            "games", "choices", "answers", "students", "settings", "wrong_tries", "checks"}


def test_the_default_file_is_in_the_data_folder(tmp_path: Path) -> None:
    assert default_path() == tmp_path / "data" / "results.sqlite"  # conftest points the data folder there
    assert SqliteStore().path == default_path()


def test_a_file_that_is_not_a_database_gives_a_message(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    path.write_text("student,answer\nAna,yes\n", encoding="utf-8")
    with pytest.raises(StoreError, match="is not a Long Arm results file"):
        SqliteStore(path).games()
    assert path.read_text(encoding="utf-8") == "student,answer\nAna,yes\n"  # and it is left alone


def test_a_damaged_database_gives_a_message(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    store = SqliteStore(path)
    store.start_game(record())
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[16:len(data)] = b"\xff" * (len(data) - 16)  # the header survives; every page is garbage
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        SqliteStore(path, create=False).games()


def test_another_programs_database_is_refused_not_written_into(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(StoreError, match="another program"):
        SqliteStore(path).start_game(record())
    with sqlite3.connect(path) as connection:
        assert [row[0] for row in connection.execute("SELECT name FROM sqlite_master")] == ["contacts"]


def test_a_file_from_a_newer_long_arm_says_so(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    SqliteStore(path).schema_version()
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer Long Arm"):
        SqliteStore(path).games()


def test_reading_never_creates_a_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite"
    with pytest.raises(StoreError, match="there is no results file"):
        SqliteStore(path, create=False).games()
    assert not path.exists()
    with pytest.raises(StoreError, match="is a folder"):
        SqliteStore(tmp_path, create=False).games()


def test_hand_edited_values_are_read_back_as_the_records_promise(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    store = SqliteStore(path)
    store.start_game(record())
    store.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE games SET facts_found = 'not json', seed = 'x', player = 7")
    [game] = SqliteStore(path, create=False).games()
    assert (game.facts_found, game.seed, game.player) == ((), 0, "7")
