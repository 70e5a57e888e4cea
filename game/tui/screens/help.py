"""Help (`?` or F1): every key binding of every screen, read from the bindings themselves, with
the keys written as players read them ("? or F1", "Esc", "Ctrl+Z")."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.tui.keys import keys_label

KEY_COLUMN = 14


def binding_lines(title: str, bindings: list[Binding]) -> list[Content]:
    lines = [Content.styled(title, "bold $accent")]
    seen: set[str] = set()
    for binding in bindings:
        if binding.key.isdigit():
            continue  # 1-9 are listed once, as a range, with the choices
        if binding.description in seen:
            continue  # one line for a thing, however many keys do it
        seen.add(binding.description)
        keys = binding.key_display or keys_label(binding.key)
        lines.append(Content.assemble((f"  {keys:<{KEY_COLUMN}}", "bold"), binding.description))
    return lines


class HelpScreen(ModalScreen[None]):
    """Every key, by screen."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape,question_mark,f1", "dismiss", "Close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        lines: list[Content] = []
        for title, bindings in self.sections:
            lines += binding_lines(title, bindings)
            lines.append(Content(""))
        with Vertical(classes="dialog") as dialog:
            dialog.border_subtitle = "Esc closes"
            yield Static("Keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(Content("\n").join(lines[:-1]), id="help-keys")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
