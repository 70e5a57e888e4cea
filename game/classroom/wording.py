"""Numbers, shares and times as the report writes them, the same in every format."""

from __future__ import annotations

from game.classroom.records import parse_time
from game.classroom.summary import Durations


def duration(seconds: float | None) -> str:
    """12 min 5 s, 1 h 3 min, 40 s; a dash when unknown."""
    if seconds is None:
        return "\u2013"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def durations_line(times: Durations) -> str:
    if times.count == 0:
        return "no finished game yet"
    games = "game" if times.count == 1 else "games"
    return (f"median {duration(times.median)}, shortest {duration(times.shortest)}, "
            f"longest {duration(times.longest)} ({times.count} finished {games})")


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def count(number: int, noun: str) -> str:
    """1 game, 2 games; `noun` is the singular, made plural with an s."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def moment(text: str | None) -> str:
    """An ISO time as 2019-11-08 09:30 UTC; as stored when it is not a time."""
    parsed = parse_time(text)
    return parsed.strftime("%Y-%m-%d %H:%M UTC") if parsed else (text or "")
