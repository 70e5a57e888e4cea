"""Results format 2: students and settings, each game's student; format 1 files are migrated when
opened (in one transaction, once, even by two at once), and a copy that cannot be written is read as
it is. The one writer retries a failing write until it lands, in order, and says so."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from game.classroom import schema
from game.classroom import store as store_module
from game.classroom.records import GameRecord, StudentRecord
from game.classroom.report import build_report
from game.classroom.store import SCHEMA_VERSION, SqliteStore, StoreBusy, StoreError
from game.web.writer import StoreHealth, StoreWriter, pause_for

START = "2019-11-08T09:00:00.000+00:00"


def format_1_file(path: Path) -> None:
    """A results file as Long Arm's format 1 made it, with one game and its choice."""
    with sqlite3.connect(path) as connection:
        for statement in schema.STEPS["sqlite"][1]:
            connection.execute(statement)
        connection.execute(f"PRAGMA application_id = {store_module.APPLICATION_ID}")
        connection.execute("PRAGMA user_version = 1")
        connection.execute("INSERT INTO games (id, scenario_id, scenario_title, role, seed, player, anonymous_id, "
                           "class_code, started_at) VALUES ('g1', 'arrival-hall', 'Arrival Hall', 'journalist', 3, "
                           "'Ana', 'student-aaaaaa', '9B', ?)", (START,))
        connection.execute("INSERT INTO choices VALUES ('g1', 1, 'guesthouse', 'taxi-now', ?)", (START,))


def student(number: int, class_code: str = "HISTORY-9B", name: str | None = "Dara") -> StudentRecord:
    return StudentRecord(f"s{number}", class_code, name, f"student-{number:06d}", START)


def test_a_format_1_file_is_migrated_when_opened_and_keeps_its_games(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    format_1_file(path)
    store = SqliteStore(path)
    [game] = store.games()
    assert (game.id, game.player, game.student_id, [c.choice_id for c in game.choices]) == ("g1", "Ana", None,
                                                                                           ["taxi-now"])
    assert store.schema_version() == SCHEMA_VERSION == 4
    assert game.checks == ()
    store.add_student(student(1), "hash-1")
    store.start_game(GameRecord("g2", "arrival-hall", "Arrival Hall", "activist", 1, "Dara", "student-000001",
                                "HISTORY-9B", START, student_id="s1"))
    assert [g.student_id for g in store.games()] == [None, "s1"]
    assert [g.id for g in store.games(student_id="s1")] == ["g2"]
    assert store.integrity_check() == "ok"
    store.close()
    assert "Arrival Hall" in build_report(path, "html")


def test_two_stores_opening_a_format_1_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    format_1_file(path)
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            SqliteStore(path).games()
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite3.connect(path) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(games)")]
    assert columns.count("student_id") == 1


def test_a_format_1_copy_that_cannot_be_written_is_read_as_it_is(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "results.sqlite"
    format_1_file(path)

    def read_only(connection: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(store_module, "_change_schema", read_only)
    store = SqliteStore(path, create=False)
    assert [g.id for g in store.games()] == ["g1"] and store.schema_version() == 1
    assert store.students() == () and store.token_hashes() == {} and store.games(student_id="s1") == ()
    with pytest.raises(StoreError, match="cannot be written"):
        SqliteStore(path).games()  # a store that is to write must be able to migrate


def test_a_format_3_copy_that_cannot_be_written_still_gives_the_class_without_check_progress(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "results.sqlite"
    with sqlite3.connect(path) as connection:
        for version in (1, 2, 3):
            for statement in schema.STEPS["sqlite"][version]:
                connection.execute(statement)
        connection.execute(f"PRAGMA application_id = {store_module.APPLICATION_ID}")
        connection.execute("PRAGMA user_version = 3")
        connection.execute("INSERT INTO students VALUES ('s1', 'hash-1', 'HISTORY-9B', 'Dara', 'student-000001', ?)",
                           (START,))
        connection.execute("INSERT INTO games (id, scenario_id, scenario_title, role, seed, player, anonymous_id, "
                           "class_code, started_at, student_id, place) VALUES ('g1', 'arrival-hall', 'Arrival Hall', "
                           "'journalist', 3, 'Dara', 'student-000001', 'HISTORY-9B', ?, 's1', 'arrivals')", (START,))
        connection.execute("INSERT INTO choices VALUES ('g1', 1, 'guesthouse', 'taxi-now', ?)", (START,))

    def read_only(connection: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(store_module, "_change_schema", read_only)
    [line] = SqliteStore(path, create=False).class_lines("history-9b")  # no checks table: nothing answered
    assert line.game is not None and (line.steps, line.checked_before, line.checked_after) == (1, 0, 0)


def test_students_are_read_back_by_class_in_any_case_with_their_cookie_hashes(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    store.add_student(student(1), "hash-1")
    store.add_student(student(2, name=None), "hash-2")
    store.add_student(student(3, class_code="OTHER-CLASS"), "hash-3")
    assert [s.id for s in store.students("history-9b")] == ["s1", "s2"]
    assert [s.display for s in store.students("HISTORY-9B")] == ["Dara", "student-000002"]
    assert store.token_hashes("History-9B") == {"s1": "hash-1", "s2": "hash-2"}
    with pytest.raises(StoreError):
        store.add_student(student(4), "hash-1")  # a cookie names one student only


def test_a_setting_is_kept_once_the_first_value_wins(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "results.sqlite")
    assert store.keep_setting("web-secret", "first") == "first"
    assert SqliteStore(tmp_path / "results.sqlite").keep_setting("web-secret", "second") == "first"


def test_a_new_results_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "results.sqlite"
    SqliteStore(path).games()
    assert oct(path.stat().st_mode & 0o777) == "0o600"


class FlakyStore:
    """Stands in for the writer's store: fails as told, then records what it was asked."""

    def __init__(self, failures: list[StoreError]) -> None:
        self.failures = failures
        self.done: list[str] = []

    def write(self, what: str) -> str:
        if self.failures:
            raise self.failures.pop(0)
        self.done.append(what)
        return what


def test_the_writer_retries_a_failing_write_until_it_lands_in_order_and_says_how_it_is(tmp_path: Path) -> None:
    said: list[StoreHealth] = []
    writer = StoreWriter(tmp_path / "results.sqlite", said.append, max_pause=0.05)
    flaky = FlakyStore([StoreBusy("busy"), StoreBusy("busy"), StoreError("disk full")])
    writer.start()
    first = writer.submit("first", lambda store: flaky.write("first"))
    second = writer.submit("second", lambda store: flaky.write("second"))
    broken = writer.submit("a bug", lambda store: 1 / 0)
    third = writer.submit("third", lambda store: flaky.write("third"))
    assert third.result(timeout=10) == "third" and first.result() == "first" and second.result() == "second"
    assert isinstance(broken.exception(), ZeroDivisionError)  # a bug is not retried forever
    assert flaky.done == ["first", "second", "third"]
    assert [h.state for h in said] == ["retrying", "failed", "ok"]
    assert said[0].since and said[1].since == said[0].since and said[1].reason == "disk full"
    assert "retrying since" in said[0].text and "failed since" in said[1].text and said[2].text.startswith("ok")
    assert writer.stop(5)


def test_the_pause_between_tries_grows_and_is_capped() -> None:
    assert [pause_for(n) for n in range(1, 8)] == [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 2.0]
