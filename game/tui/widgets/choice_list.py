"""The scene's choices: a keyboard-first option list where 1-9 pick open choices directly.

Open choices are numbered 1, 2, 3... in order, as in the plain player; locked ones are shown
dimmed (disabled) with their reason and have no number. Arrows and Enter, and the mouse, work as
in any `OptionList`; the scene screen binds 1-9 to `pick`, so numbers work wherever focus is.
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from game.engine.state import Option as GameOption


class ChoiceList(OptionList):
    """Choices of the current scene; posts `ChoiceList.Chosen` with the choice id."""

    class Chosen(Message):
        def __init__(self, choice_id: str, step: int) -> None:
            super().__init__()
            self.choice_id = choice_id
            self.step = step  # how many choices the game had taken when these options were shown

    step = 0

    def show(self, options: list[GameOption], step: int) -> None:
        """Replace the list with the options of the game's `step`-th scene, the first open one
        highlighted. Keys typed ahead are matched to the step they were meant for."""
        self.step = step
        self.clear_options()
        number = 0
        prompts: list[Option] = []
        for option in options:
            if option.available:
                number += 1
                prompt = Content.assemble((f"{number}. ", "bold"), option.text)
                prompts.append(Option(prompt, id=option.choice.id))
            else:
                prompt = Content.assemble("   ", option.text, ("  (locked: ", "italic"),
                                          (option.locked_reason, "italic"), (")", "italic"))
                prompts.append(Option(prompt, id=option.choice.id, disabled=True))
        self.add_options(prompts)
        self.highlighted = next((i for i, o in enumerate(prompts) if not o.disabled), None)

    def open_ids(self) -> list[str]:
        return [option.id for option in self.options if not option.disabled and option.id]

    def pick(self, number: int) -> None:
        """Choose the open choice with this number (1-based); a bell when there is none."""
        ids = self.open_ids()
        if 1 <= number <= len(ids):
            self.post_message(self.Chosen(ids[number - 1], self.step))
        else:
            self.app.bell()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id, self.step))
