"""The one door to a results store: `open_store(address)` picks the store the address names.

An address that starts with `postgresql://` or `postgres://` is a PostgreSQL database
(`game.classroom.pgstore`); anything else is an SQLite file (`game.classroom.store`). psycopg is
imported only when a database is opened, so the SQLite default needs no driver at all.
"""

from __future__ import annotations

from pathlib import Path

from game.classroom.results import ResultsStore, is_database


def open_store(address: str | Path, *, create: bool = True, busy_timeout: float | None = None,
               connections: int = 4) -> ResultsStore:
    """The store at `address`: a PostgreSQL database for a `postgresql://` address, else an SQLite file.

    Nothing is opened yet: the first call connects (and makes the tables, or brings an older format
    up to date, when `create`).

    Args:
        address: a path, or a `postgresql://` address.
        create: make the file or the tables when missing; False (reports) refuses a store with no results.
        busy_timeout: how long one call may wait for the store's lock or a free connection.
        connections: the most connections a database store keeps open at once.
    """
    if is_database(address):
        from game.classroom.pgstore import PostgresStore  # psycopg only when a database is used

        return PostgresStore(str(address).strip(), create=create, timeout=busy_timeout, connections=connections)
    from game.classroom.store import BUSY_TIMEOUT_SECONDS, SqliteStore

    return SqliteStore(Path(address), create=create,
                       busy_timeout=BUSY_TIMEOUT_SECONDS if busy_timeout is None else busy_timeout)
