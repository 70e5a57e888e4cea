"""`PartText`: text from named parts, each wrapped once and kept while it is shown."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Offset
from textual.selection import Selection
from textual.theme import Theme

from game.tui.widgets import part_text
from game.tui.widgets.part_text import PartText

LONG = "a fact long enough to wrap over several lines of a narrow panel"


class PanelApp(App[None]):
    CSS = "PartText { width: 20; }"

    def compose(self) -> ComposeResult:
        yield PartText(id="text")


@pytest.fixture
def wraps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plain text of every part `PartText` wraps, in order."""
    wrapped: list[str] = []
    original = part_text.Visual.to_strips

    def counted(widget: Any, visual: Any, *args: Any, **kwargs: Any) -> Any:
        wrapped.append(str(visual))
        return original(widget, visual, *args, **kwargs)

    monkeypatch.setattr(part_text.Visual, "to_strips", counted)
    return wrapped


def lines(widget: PartText) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


async def test_parts_show_in_order_and_set_the_height() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        text = app.query_one(PartText)
        text.show([("heading", Content("Journal")), ("fact", Content(LONG))])
        await pilot.pause()
        assert lines(text) == ["Journal", "a fact long enough", "to wrap over several", "lines of a narrow", "panel"]
        assert text.size.height == 5
        assert str(text.render()) == f"Journal\n{LONG}"


async def test_a_new_part_is_the_only_one_wrapped(wraps: list[str]) -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        text = app.query_one(PartText)
        text.show([("heading", Content("Journal")), ("one", Content(LONG))])
        await pilot.pause()
        wraps.clear()
        text.show([("heading", Content("Journal")), ("two", Content("newer")), ("one", Content(LONG))])
        await pilot.pause()
        assert wraps == ["newer"]  # measured and drawn from the same lines: wrapped once
        assert lines(text)[:2] == ["Journal", "newer"]


async def test_the_same_parts_again_draw_nothing_and_same_height_needs_no_layout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        text = app.query_one(PartText)
        text.show([(("stat", 3), Content("Safety 3/5"))])
        await pilot.pause()
        refreshes: list[bool] = []
        monkeypatch.setattr(text, "refresh", lambda *regions, layout=False, **kwargs: refreshes.append(layout))
        text.show([(("stat", 3), Content("Safety 3/5"))])
        assert refreshes == []  # nothing changed: no repaint at all
        text.show([(("stat", 4), Content("Safety 4/5"))])
        assert refreshes == [False]  # as many lines as before: a repaint, no layout
        text.show([(("stat", 4), Content("Safety 4/5")), ("flag", Content("Filmed"))])
        assert refreshes == [False, True]  # one more line: the screen is laid out again


async def test_a_new_theme_colours_the_parts_again() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        for name, accent in (("red-accent", "#ff0000"), ("green-accent", "#00ff00")):
            # Only the accent differs: the widget's own colours stay, its parts' must change.
            app.register_theme(Theme(name, primary="#0000ff", accent=accent, background="#000000",
                                     foreground="#ffffff"))
        app.theme = "red-accent"
        text = app.query_one(PartText)
        text.show([("heading", Content.styled("Journal", "$accent"))])
        await pilot.pause()

        def colour_of_first_line() -> str:
            segment = next(iter(text.render_line(0)))
            assert segment.style is not None and segment.style.color is not None
            return segment.style.color.get_truecolor().hex.lower()

        red = colour_of_first_line()
        assert red == app.theme_variables["accent"].lower()
        app.theme = "green-accent"
        await pilot.pause()
        assert colour_of_first_line() == app.theme_variables["accent"].lower() != red


async def test_selected_text_reads_across_parts() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        text = app.query_one(PartText)
        text.show([("heading", Content("Journal")), ("fact", Content("Held at the airport"))])
        await pilot.pause()
        assert text.get_selection(Selection(None, None)) == ("Journal\nHeld at the airport", "\n")
        assert text.get_selection(Selection(Offset(0, 1), Offset(4, 1))) == ("Held", "\n")
        app.screen.selections = {text: Selection(Offset(0, 1), Offset(4, 1))}
        await pilot.pause()
        assert lines(text) == ["Journal", "Held at the airport"]
        first, second = list(text.render_line(1))[:2]
        assert first.text == "Held" and first.style != second.style  # the selection is shown
