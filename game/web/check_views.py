"""What the knowledge check's pages show, built from a student's play session: the check that is due
(each item with its options and "I don't know", the answers given so far ticked), and once both
checks are complete the student's own change, item by item, with the fact that answers each.

Plain values for the templates, which escape every string in them.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.runtime.debrief import FactEntry
from game.engine.runtime.knowledge import DONT_KNOW, Phase
from game.session.check_words import CHANGE_HEADING, HEADINGS, change_summary, change_words, check_intro
from game.session.play import PlaySession

#: The form value of "I don't know" (an option's value is its number, from 0).
DONT_KNOW_VALUE = "dont-know"


@dataclass(frozen=True, slots=True)
class OptionView:
    value: str  # what the form sends: the option's index, or DONT_KNOW_VALUE
    text: str
    checked: bool


@dataclass(frozen=True, slots=True)
class ItemView:
    """One question of the check, as a group of radio buttons named `item-ID`."""

    id: str
    number: int
    question: str
    options: tuple[OptionView, ...]


@dataclass(frozen=True, slots=True)
class CheckPage:
    phase: Phase
    heading: str
    intro: str
    items: tuple[ItemView, ...]
    lang: str


@dataclass(frozen=True, slots=True)
class ChangeItemView:
    """One question after both checks: the student's answers, the right one, and its fact."""

    number: int
    question: str
    change: str  # learned, kept, lost, not yet: a CSS class
    words: str  # the change in words
    before: str
    after: str
    right_answer: str
    fact: FactEntry


@dataclass(frozen=True, slots=True)
class ChangePage:
    heading: str
    summary: str
    items: tuple[ChangeItemView, ...]
    lang: str


def check_page(session: PlaySession, phase: Phase) -> CheckPage:
    """The page of the `phase` check, with the answers already given in it ticked."""
    log = session.check_log
    items = []
    for number, item in enumerate(session.check_items, 1):
        given = log.answer(phase, item.id) if log is not None else None
        options = [OptionView(str(index), text, given is not None and given.option == index)
                   for index, text in enumerate(item.options)]
        options.append(OptionView(DONT_KNOW_VALUE, DONT_KNOW, given is not None and given.option is None))
        items.append(ItemView(item.id, number, item.question, tuple(options)))
    return CheckPage(phase, HEADINGS[phase], check_intro(phase, len(items)), tuple(items), session.scenario.language)


def option_of(value: str, options: int) -> int | None | str:
    """The option a form value names (None for "I don't know"), or "" when it names none."""
    if value == DONT_KNOW_VALUE:
        return None
    if value.isdigit() and len(value) < 3 and int(value) < options:
        return int(value)
    return ""


def change_page(session: PlaySession) -> ChangePage:
    """The student's own change (ValueError until both checks are complete)."""
    changes = session.own_change()
    scenario = session.scenario
    items = []
    for number, change in enumerate(changes, 1):
        item = change.item
        fact = scenario.facts[item.fact]
        items.append(ChangeItemView(number, item.question, change.change.replace(" ", "-"), change_words(change),
                                    item.option_text(change.before), item.option_text(change.after),
                                    item.right_option, FactEntry(fact, scenario.sources[fact.source], False)))
    return ChangePage(CHANGE_HEADING, change_summary(changes), tuple(items), scenario.language)
