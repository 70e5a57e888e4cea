"""The statements both results stores run word for word, written once with `?` for each value.

SQLite takes them as they are; the PostgreSQL store passes them through `for_postgres`, which
writes psycopg's `%s` for each `?` (no statement here has a `?` of its own). What the two
databases say differently (case-insensitive class codes, the last game of each student, a
choice and the game's place in one statement) stays in each store.
"""

from __future__ import annotations

from game.classroom.rows import CHECK_COLUMNS, GAME_COLUMNS, GAME_COLUMN_COUNT, STUDENT_COLUMNS

INSERT_GAME = f"INSERT INTO games ({GAME_COLUMNS}) VALUES ({', '.join('?' * GAME_COLUMN_COUNT)})"
#: A game's row added, or its ending brought up to date (its start and player stay as stored).
SYNC_GAME = (INSERT_GAME + " ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, "
             "ending_id = excluded.ending_id, ending_tone = excluded.ending_tone, "
             "facts_found = excluded.facts_found, place = coalesce(excluded.place, games.place)")
DELETE_CHOICES_AFTER = "DELETE FROM choices WHERE game_id = ? AND step > ?"
#: A choice added, or changed when it differs (a choice already stored keeps its time).
SYNC_CHOICE = ("INSERT INTO choices (game_id, step, scene_id, choice_id, at) VALUES (?, ?, ?, ?, ?) "
               "ON CONFLICT (game_id, step) DO UPDATE SET scene_id = excluded.scene_id, "
               "choice_id = excluded.choice_id, at = excluded.at "
               "WHERE choices.choice_id != excluded.choice_id OR choices.scene_id != excluded.scene_id")
END_GAME = ("UPDATE games SET ended_at = ?, ending_id = ?, ending_tone = ?, facts_found = ?, place = ? "
            "WHERE id = ?")
ANSWER = ("INSERT INTO answers (game_id, question_index, question, answer, at) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (game_id, question_index) DO UPDATE SET question = excluded.question, "
          "answer = excluded.answer, at = excluded.at")
#: A knowledge check answer; a later answer to the same item in the same check replaces the earlier.
CHECK_ANSWER = (f"INSERT INTO checks (game_id, {CHECK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (game_id, phase, item_id) DO UPDATE SET item_index = excluded.item_index, "
                "question = excluded.question, chosen = excluded.chosen, answer = excluded.answer, "
                "correct = excluded.correct, at = excluded.at")
#: The check answers of the games `g` a filter picks, in order: before then after, item by item.
CHECKS_OF_GAMES = (f"SELECT k.game_id, {', '.join('k.' + c.strip() for c in CHECK_COLUMNS.split(','))} "
                   "FROM checks k JOIN games g ON g.id = k.game_id{where} "
                   "ORDER BY k.game_id, k.phase DESC, k.item_index")
CHECKS_OF_GAME = (f"SELECT game_id, {CHECK_COLUMNS} FROM checks WHERE game_id = ? "
                  "ORDER BY phase DESC, item_index")
INSERT_STUDENT = f"INSERT INTO students (token_hash, {STUDENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
PUT_SETTING = ("INSERT INTO settings (name, value) VALUES (?, ?) "
               "ON CONFLICT (name) DO UPDATE SET value = excluded.value")
SETTING = "SELECT value FROM settings WHERE name = ?"
STUDENT_BY_TOKEN = f"SELECT {STUDENT_COLUMNS} FROM students WHERE token_hash = ?"
WRONG_TRIES = "SELECT at FROM wrong_tries WHERE address = ? AND door = ? AND at >= ? ORDER BY at"


def game_filters(class_match: str, class_code: str | None, scenario_id: str | None,
                 student_id: str | None) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause (or "") and its values that pick games `g` of a class, a scenario and a
    student, each when given; `class_match` compares `g.class_code` with one value, in any case,
    as the store's database says it."""
    clauses, params = [], []
    if class_code is not None:
        clauses.append(class_match)
        params.append(class_code.strip())
    if scenario_id is not None:
        clauses.append("g.scenario_id = ?")
        params.append(scenario_id)
    if student_id is not None:
        clauses.append("g.student_id = ?")
        params.append(student_id)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def for_postgres(statement: str) -> str:
    """A statement in psycopg's placeholders."""
    return statement.replace("?", "%s")
