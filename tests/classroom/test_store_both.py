"""The same results store on SQLite and on PostgreSQL: every call of the interface gives the same
answers on both, the two formats end with the same tables and columns, and a PostgreSQL database
that is another program's, newer, or empty is refused as a file would be. The PostgreSQL cases
run on a real cluster (Debian's server binaries) and skip, with the reason, where there is none."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from game.classroom import schema
from game.classroom.records import CheckRecord, ClassLine, GameRecord, StudentRecord
from game.classroom.report import build_report
from game.classroom.results import ResultsStore, StoreError, is_database, shown
from game.classroom.stores import open_store

T0 = "2019-11-08T09:00:00.000+00:00"
T1 = "2019-11-08T09:05:00.000+00:00"


@pytest.fixture(params=["sqlite", "postgres"])
def address(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store of each kind."""
    if request.param == "sqlite":
        return str(tmp_path / "results.sqlite")
    cluster = request.getfixturevalue("postgres")
    return cluster.new_database()


@pytest.fixture
def store(address: str) -> Iterator[ResultsStore]:
    opened = open_store(address)
    yield opened
    opened.close()


def student(number: int, class_code: str = "HISTORY-9B", name: str | None = "Dara",
            joined: str = T0) -> StudentRecord:
    return StudentRecord(f"s{number}", class_code, name, f"student-{number:06d}", joined)


def game(game_id: str, student_id: str | None, started: str = T0, class_code: str = "history-9b",
         **changes: object) -> GameRecord:
    base = GameRecord(game_id, "arrival-hall", "Arrival Hall", "journalist", 2**40 + 7, "Dara", "student-000001",
                      class_code, started, student_id=student_id, place="arrivals")
    return replace(base, **changes)  # type: ignore[arg-type]


def test_the_address_chooses_the_store_and_a_password_is_never_shown() -> None:
    assert is_database("postgresql://longarm@db/longarm") and is_database("postgres://x@y/z")
    assert not is_database("results.sqlite") and not is_database(Path("postgresql:/x"))
    assert shown("postgresql://longarm:s3cret@db.school.lan:5433/longarm") == \
        "postgresql://longarm:***@db.school.lan:5433/longarm"
    with closing(open_store("postgresql://longarm:s3cret@127.0.0.1:1/x")) as store:
        assert "s3cret" not in store.where


def test_games_choices_answers_and_undo_come_back_the_same(store: ResultsStore) -> None:
    store.add_student(student(1), "hash-1")
    store.start_game(game("g1", "s1"))
    store.add_choice("g1", 1, "arrivals", "doors", T0, place="j-doors")
    store.add_choice("g1", 2, "j-doors", "back", T0, place="queue")
    store.add_choice("g1", 3, "queue", "wait", T0, place="desk")
    store.undo("g1", 3, place="queue")
    store.add_choice("g1", 3, "queue", "leave", T1, place="taxi")
    store.end_game("g1", "ending-released", "hopeful", ["klia-detention"], T1)
    store.answer("g1", 1, "Why?", "Because.", T1)
    store.answer("g1", 1, "Why?", "Because, really.", T1)
    store.start_game(game("g2", None, T1, class_code="7B", player=None))
    [first, second] = store.games()
    assert [(c.step, c.choice_id) for c in first.choices] == [(1, "doors"), (2, "back"), (3, "leave")]
    assert (first.ending_id, first.ending_tone, first.facts_found, first.place) == (
        "ending-released", "hopeful", ("klia-detention",), "ending-released")
    assert [(a.question_index, a.answer) for a in first.answers] == [(1, "Because, really.")]
    assert first.seed == 2**40 + 7 and second.student_id is None and second.player is None
    assert [g.id for g in store.games(class_code="HISTORY-9B")] == ["g1"]
    assert [g.id for g in store.games(student_id="s1")] == ["g1"]
    assert store.last_game("s1") == first and store.last_game("nobody") is None
    assert store.schema_version() == schema.SCHEMA_VERSION == 4
    assert store.check() == "ok"


def test_a_sync_brings_a_game_up_to_date_on_both(store: ResultsStore) -> None:
    store.start_game(game("g1", None))
    store.add_choice("g1", 1, "a", "x", T0)
    store.add_choice("g1", 2, "b", "gone", T0)
    store.sync_game(game("g1", None, choices=(), ending_id="end", ending_tone="mixed", ended_at=T1, place="end"))
    [kept] = store.games()
    assert kept.choices == () and (kept.ending_id, kept.place) == ("end", "end")
    with pytest.raises(StoreError, match="not in"):
        store.end_game("nowhere", "end", "mixed", [], T0)


def test_check_answers_come_back_the_same_on_both(store: ResultsStore) -> None:
    def answered(phase: str, item: str, index: int, option: int | None, right: bool, at: str = T0) -> CheckRecord:
        return CheckRecord(phase, item, index, f"Question {index + 1}?", option,
                           "I don't know" if option is None else f"option {option}", right, at)

    store.add_student(student(1), "hash-1")
    store.start_game(game("g1", "s1"))
    store.check_answer("g1", answered("after", "b", 1, 0, True))
    store.check_answer("g1", answered("before", "b", 1, None, False))
    store.check_answer("g1", answered("before", "a", 0, 2, False))
    store.check_answer("g1", answered("before", "a", 0, 1, True, T1))  # a later answer replaces the earlier
    expected = (answered("before", "a", 0, 1, True, T1), answered("before", "b", 1, None, False),
                answered("after", "b", 1, 0, True))
    assert store.games()[0].checks == expected
    last = store.last_game("s1")
    assert last is not None and last.checks == expected  # a restarted node resumes the check too
    store.sync_game(game("g1", "s1", checks=(answered("after", "a", 0, 0, False),)))
    assert store.games()[0].checks == (*expected[:2], answered("after", "a", 0, 0, False), expected[2])


def test_students_the_last_game_and_the_class_view(store: ResultsStore) -> None:
    store.add_student(student(1, "HISTORY-9B", "Dara", T0), "hash-1")
    store.add_student(student(2, "history-9b", None, T1), "hash-2")
    store.add_student(student(3, "7B", "Other", T0), "hash-3")
    store.start_game(game("old", "s1", T0))
    store.start_game(game("new", "s1", T1, role="activist"))
    store.add_choice("new", 1, "arrivals", "doors", T1, place="j-doors")
    store.add_choice("new", 2, "j-doors", "back", T1, place="queue")
    store.answer("new", 0, "Q?", "A.", T1)
    store.answer("old", 0, "Q?", "not this one", T1)
    for phase, item, right in (("before", "a", False), ("before", "b", True), ("before", "a", True),
                               ("after", "a", True)):  # "a" answered twice before: one item
        store.check_answer("new", CheckRecord(phase, item, 0, "Q?", 1, "option 1", right, T1))
    store.check_answer("old", CheckRecord("after", "c", 2, "Q?", None, "I don't know", False, T0))
    assert store.student_by_token("hash-2") == student(2, "history-9b", None, T1)
    assert store.student_by_token("hash-9") is None
    assert [s.id for s in store.students("History-9b")] == ["s1", "s2"]
    assert store.last_game("s1") is not None and store.last_game("s1").id == "new"  # type: ignore[union-attr]
    lines = store.class_lines("HISTORY-9B")
    assert [line.student.id for line in lines] == ["s1", "s2"]
    first, second = lines
    assert first.game is not None and (first.game.id, first.game.role, first.game.place, first.steps) == (
        "new", "activist", "queue", 2)
    assert [(a.question, a.answer) for a in first.game.answers] == [("Q?", "A.")]
    assert (first.checked_before, first.checked_after) == (2, 1)  # of the last game only; how many, not which
    assert second == ClassLine(student(2, "history-9b", None, T1), None, 0, 0, 0)


def test_settings_and_wrong_tries(store: ResultsStore) -> None:
    assert store.setting("web-secret") is None
    assert store.keep_setting("web-secret", "first") == "first"
    assert store.keep_setting("web-secret", "second") == "first"
    store.put_setting("web-class-code", "A")
    store.put_setting("web-class-code", "B")
    assert (store.setting("web-secret"), store.setting("web-class-code")) == ("first", "B")
    for moment in (100.0, 110.0, 120.0):
        store.add_wrong_try("10.0.0.1", "join", moment, forget_before=moment - 60)
    store.add_wrong_try("10.0.0.1", "teacher", 125.0, forget_before=65.0)
    store.add_wrong_try("10.0.0.2", "join", 165.0, forget_before=105.0)  # the try at 100 is forgotten
    assert store.wrong_tries("10.0.0.1", "join", since=0) == (110.0, 120.0)
    assert store.wrong_tries("10.0.0.1", "join", since=115) == (120.0,)
    assert store.wrong_tries("10.0.0.1", "teacher", since=0) == (125.0,)


def test_the_report_reads_either_store(address: str, store: ResultsStore) -> None:
    store.start_game(game("g1", None))
    store.end_game("g1", "ending-released", "hopeful", [], T1)
    assert "Arrival Hall" in build_report(address, "md")
    assert "g1" in build_report(address, "csv", class_code="HISTORY-9B")


def test_both_formats_have_the_same_tables_and_columns(tmp_path: Path, postgres) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "results.sqlite"
    with closing(open_store(path)) as store:
        assert store.check() == "ok"
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        in_file = {(table, row[1]) for table in tables for row in connection.execute(f"PRAGMA table_info({table})")}
    address = postgres.new_database()
    with closing(open_store(address)) as store:
        assert store.check() == "ok"
    in_database = set(postgres.sql(address, "SELECT table_name, column_name FROM information_schema.columns "
                                            "WHERE table_schema = current_schema() AND table_name != 'longarm_meta'"))
    assert in_file == in_database
    assert {table for table, _ in in_file} == set(schema.TABLES[schema.SCHEMA_VERSION])


def test_a_database_that_is_not_long_arms_or_is_newer_or_empty_is_refused_untouched(postgres) -> None:  # type: ignore[no-untyped-def]
    other = postgres.new_database()
    postgres.sql(other, "CREATE TABLE contacts (name TEXT)")
    with closing(open_store(other)) as store, pytest.raises(StoreError, match="another program"):
        store.start_game(game("g1", None))
    assert [row[0] for row in postgres.sql(other, "SELECT table_name FROM information_schema.tables "
                                                  "WHERE table_schema = 'public'")] == ["contacts"]
    empty = postgres.new_database()
    with closing(open_store(empty, create=False)) as store, pytest.raises(StoreError, match="holds no results"):
        store.games()
    assert postgres.sql(empty, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == [(0,)]
    newer = postgres.new_database()
    with closing(open_store(newer)) as store:
        assert store.check() == "ok"
    postgres.sql(newer, "UPDATE longarm_meta SET value = %s WHERE name = 'format'", (str(schema.SCHEMA_VERSION + 1),))
    with closing(open_store(newer)) as store, pytest.raises(StoreError, match="newer Long Arm"):
        store.games()


def test_a_database_of_an_older_format_is_brought_up_to_date_once_by_two_stores_at_once(postgres) -> None:  # type: ignore[no-untyped-def]
    import threading

    address = postgres.new_database()
    postgres.sql(address, "CREATE TABLE longarm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    postgres.sql(address, "INSERT INTO longarm_meta VALUES ('application', 'Long Arm results'), ('format', '1')")
    for statement in schema.STEPS["postgres"][1]:
        postgres.sql(address, statement)
    postgres.sql(address, "INSERT INTO games (id, scenario_id, scenario_title, role, seed, anonymous_id, started_at) "
                          "VALUES ('g1', 'arrival-hall', 'Arrival Hall', 'journalist', 1, 'student-1', %s)", (T0,))
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            with closing(open_store(address)) as store:
                store.games()
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    with closing(open_store(address)) as store:
        [kept] = store.games()
    assert kept.id == "g1" and kept.student_id is None and kept.place is None
    assert postgres.sql(address, "SELECT value FROM longarm_meta WHERE name = 'format'") == [
        (str(schema.SCHEMA_VERSION),)]


def test_a_database_out_of_reach_is_a_store_error_in_plain_words() -> None:
    from services import free_port

    store = open_store(f"postgresql://longarm@127.0.0.1:{free_port()}/longarm", busy_timeout=1.0)
    with pytest.raises(StoreError, match="cannot be reached|no connection"):
        store.games()
    assert store.check() != "ok"
    store.close()
