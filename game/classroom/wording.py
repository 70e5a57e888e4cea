"""Numbers, shares and times as the report writes them, the same in every format."""

from __future__ import annotations

from game.classroom.check_summary import CheckSummary
from game.classroom.learning import BOOTSTRAP_RESAMPLES, ClassGain
from game.classroom.records import parse_time
from game.classroom.summary import Durations

#: What the normalized gain is, for a teacher who has not met it: the same words in every format.
GAIN_MEANING = ("For each student, the normalized gain is (right after − right before) ÷ (items − right "
                "before): the share of what they did not know before that they knew after (Hake, 1998). 0 means no "
                "change; 1 means every item they had wrong before was right after; below 0, more wrong after than "
                "before. The class figure is the mean of the students' gains. The interval shows how far that mean "
                "could move with another group of students like these: a bootstrap 95% interval, the students "
                f"resampled {BOOTSTRAP_RESAMPLES:,} times.")


def gain(value: float | None) -> str:
    """A gain to two decimals with its sign, e.g. +0.42 or −0.10; a dash when undefined."""
    if value is None:
        return "–"
    return f"{value:+.2f}".replace("-", "−")


def gain_line(figure: ClassGain) -> str:
    """The class's gain in one sentence, with its interval, n and who is left out."""
    if figure.mean is None:
        line = "No student has a gain yet: it needs both checks, and something not known before"
    else:
        line = f"Mean normalized gain {gain(figure.mean)}"
        if figure.n > 1:
            line += f" (95% interval {gain(figure.low)} to {gain(figure.high)})"
        line += f", n = {figure.n}"
    left = []
    if figure.at_ceiling:
        left.append(f"{count(figure.at_ceiling, 'student')} with every item right before (no room to gain)")
    if figure.only_one_check:
        left.append(f"{count(figure.only_one_check, 'student')} who took one check only")
    return line + (f"; left out: {' and '.join(left)}." if left else ".")


def check_line(summary: CheckSummary) -> str:
    """Who took the check, in one sentence."""
    return (f"{count(len(summary.students), 'student')} took the check; {summary.both} took it both before and after "
            f"play, and only they count in the figures below.")


def right_count(right: int | None, items: int) -> str:
    """'4 of 6', or a dash for a check not taken."""
    return "–" if right is None else f"{right} of {items}"


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
