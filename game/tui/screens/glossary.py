"""The glossary: a searchable list of the scenario's terms, opened with `g` or a glossary link."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option


class GlossaryScreen(ModalScreen[None]):
    """The terms of the story, filtered as you type."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def __init__(self, glossary: dict[str, str], term: str = "") -> None:
        super().__init__()
        self.glossary = glossary
        self.term = term

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_subtitle = "Esc closes"
            yield Static("Glossary", classes="dialog-title")
            yield Input(value=self.term, placeholder="Type to search terms", id="glossary-search")
            yield OptionList(id="glossary-terms")

    def on_mount(self) -> None:
        self.show_matches(self.term)
        self.query_one(Input).focus()

    def show_matches(self, query: str) -> None:
        needle = query.strip().lower()
        terms = self.query_one("#glossary-terms", OptionList)
        terms.clear_options()
        matches = [(term, text) for term, text in sorted(self.glossary.items(), key=lambda kv: kv[0].lower())
                   if not needle or needle in term.lower() or needle in text.lower()]
        if not matches:
            terms.add_option(Option(Content("No term matches."), disabled=True))
        for term, text in matches:
            terms.add_option(Option(Content.assemble((term, "bold $accent"), "\n", text)))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_matches(event.value)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
