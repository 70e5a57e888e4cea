"""The knowledge check in the plain player: each question with numbered options, one line each,
and after the second check the student's own change, item by item, with the fact that answers it.

`PlainPlayer` calls `ask_check` when the session says a check is due (before the first scene,
after the debrief) and `show_change` once both are complete. Everything is plain text, so it
reads the same to a screen reader and in a piped transcript.
"""

from __future__ import annotations

from typing import Protocol

from game.engine.runtime.debrief import source_line
from game.engine.runtime.knowledge import DONT_KNOW, Phase
from game.session.check_words import CHANGE_HEADING, HEADINGS, change_summary, change_words, check_intro
from game.session.events import Notice
from game.session.play import PlaySession


class QuitCheck(Exception):
    """The player typed `q` during the check: the player says goodbye, as for `q` during play."""


class Conversation(Protocol):
    """What the check needs of the plain player: saying, asking, and passing on notices."""

    def say(self, text: str = "") -> None: ...

    def ask(self, prompt: str) -> str: ...

    def tell(self, notices: tuple[Notice, ...]) -> None: ...


def ask_check(player: Conversation, session: PlaySession, phase: Phase) -> None:
    """Ask every item of the check that is due, in order; `q` stops (as the end of input does)."""
    items = session.check_items
    player.say()
    player.say(HEADINGS[phase])
    player.say(check_intro(phase, len(items)))
    for number, item in enumerate(items, 1):
        player.say()
        player.say(f"Question {number} of {len(items)}: {item.question}")
        choices = [*item.options, DONT_KNOW]
        for option_number, text in enumerate(choices, 1):
            player.say(f"  {option_number}. {text}")
        while True:
            answer = player.ask("Your answer: ").lower()
            if answer in ("q", "quit"):
                raise QuitCheck
            if answer.isdigit() and 1 <= int(answer) <= len(choices):
                option = int(answer) - 1
                player.tell(session.answer_check(phase, item.id, None if option == len(item.options) else option))
                break
            player.say(f"Please type a number from 1 to {len(choices)}.")
    player.say()
    player.say("Thank you." if phase == "before" else "Thank you: here is what changed.")


def show_change(player: Conversation, session: PlaySession) -> None:
    """The student's own change, item by item, with the right answer and the fact behind it."""
    changes = session.own_change()
    scenario = session.scenario
    player.say()
    player.say(f"{CHANGE_HEADING}:")
    player.say(change_summary(changes))
    for number, change in enumerate(changes, 1):
        item = change.item
        fact = scenario.facts[item.fact]
        player.say()
        player.say(f"{number}. {item.question}")
        player.say(f"  {change_words(change)}. Before: {item.option_text(change.before)}. "
                   f"Now: {item.option_text(change.after)}.")
        player.say(f"  The answer: {item.right_option}")
        player.say(f"  The fact: {fact.text}")
        player.say(f"  Quote: \u201c{fact.quote}\u201d")
        player.say(f"  Source: {source_line(scenario.sources[fact.source])}")
