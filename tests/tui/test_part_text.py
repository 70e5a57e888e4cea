"""`PartText`: text from named parts, each wrapped once and kept while it is shown."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Region
from textual.theme import Theme

from game.tui.widgets import part_text
from game.tui.widgets.part_text import Part, PartText

LONG = "a fact long enough to wrap over several lines of a narrow panel"


class PanelApp(App[None]):
    CSS = "PartText { width: 20; }"

    def compose(self) -> ComposeResult:
        yield PartText(id="text")


@pytest.fixture
def wraps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plain text of every part `PartText` wraps, in order."""
    wrapped: list[str] = []
    original = part_text.wrap

    def counted(content: Content, *args: Any, **kwargs: Any) -> Any:
        wrapped.append(str(content))
        return original(content, *args, **kwargs)

    monkeypatch.setattr(part_text, "wrap", counted)
    return wrapped


def lines(widget: PartText) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


async def test_parts_show_in_order_and_set_the_height() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        text = app.query_one(PartText)
        text.show([Part("heading", Content("Journal")), Part("fact", Content(LONG))])
        await pilot.pause()
        assert lines(text) == ["Journal", "a fact long enough", "to wrap over several", "lines of a narrow", "panel"]
        assert text.size.height == 5
        assert str(text.render()) == f"Journal\n{LONG}"


async def test_a_new_part_is_the_only_one_wrapped(wraps: list[str]) -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        text = app.query_one(PartText)
        blank = Part("blank", Content(""))
        text.show([Part("heading", Content("Journal")), blank, Part("one", Content(LONG)), blank])
        await pilot.pause()
        assert wraps == ["Journal", "", LONG]  # a name used twice is wrapped once
        wraps.clear()
        text.show([Part("heading", Content("Journal")), Part("two", Content("newer")), Part("one", Content(LONG))])
        await pilot.pause()
        assert wraps == ["newer"]  # measured and drawn from the same lines: wrapped once
        assert lines(text)[:2] == ["Journal", "newer"]


async def test_the_same_parts_again_draw_nothing_and_same_height_repaints_changed_lines(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        text = app.query_one(PartText)
        heading = Part("heading", Content("Status"))
        text.show([heading, Part(("stat", 3), Content("Safety 3/5"))])
        await pilot.pause()
        refreshes: list[tuple[tuple[Region, ...], bool]] = []
        monkeypatch.setattr(text, "refresh", lambda *regions, layout=False, **kwargs: refreshes.append((regions, layout)))
        text.show([heading, Part(("stat", 3), Content("Safety 3/5"))])
        assert refreshes == []  # nothing changed: no repaint at all
        text.show([heading, Part(("stat", 4), Content("Safety 4/5"))])
        assert refreshes == [((Region(0, 1, 20, 1),), False)]  # only the changed line, no layout
        text.show([heading, Part(("stat", 4), Content("Safety 4/5")), Part("flag", Content("Filmed"))])
        assert refreshes[-1] == ((), True)  # one more line: the screen is laid out again


async def test_a_new_theme_colours_the_parts_again() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        for name, accent in (("red-accent", "#ff0000"), ("green-accent", "#00ff00")):
            # Only the accent differs: the widget's own colours stay, its parts' must change.
            app.register_theme(Theme(name, primary="#0000ff", accent=accent, background="#000000",
                                     foreground="#ffffff"))
        app.theme = "red-accent"
        text = app.query_one(PartText)
        text.show([Part("heading", Content.styled("Journal", "$accent"))])
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


async def test_prefixes_give_hanging_indents_and_parts_can_be_centred_or_rules() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        text = app.query_one(PartText)
        text.show([
            Part("title", Content("Debrief"), center=True),
            Part("item", Content("held for most of a day at the airport"), first=Content("  \u2022 "),
                 rest=Content("    ")),
            Part("quote", Content("detained upon arrival"), first=Content("| "), rest=Content("| ")),
            Part("rule", Content("-"), rule=True),
        ])
        await pilot.pause()
        assert lines(text) == [
            "      Debrief",
            "  \u2022 held for most of",
            "    a day at the",
            "    airport",
            "| detained upon",
            "| arrival",
            "-" * 20,
        ]
        assert str(text.render()).splitlines()[1] == "  \u2022 held for most of a day at the airport"


async def test_only_the_lines_shown_are_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrapping gives the height; drawing a line into segments waits until it is on screen."""
    drawn: list[str] = []
    original = part_text.Visual.to_strips

    def counted(widget: Any, visual: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(widget, PartText):
            drawn.append(str(visual))
        return original(widget, visual, *args, **kwargs)

    monkeypatch.setattr(part_text.Visual, "to_strips", counted)

    class Scrolled(App[None]):
        CSS = "Screen { overflow-y: auto; } PartText { width: 20; }"

        def compose(self) -> ComposeResult:
            yield PartText(id="text")

    app = Scrolled()
    async with app.run_test(size=(40, 10)) as pilot:
        text = app.query_one(PartText)
        text.show([Part(number, Content(f"fact {number}: {LONG}")) for number in range(30)])
        await pilot.pause()
        assert text.virtual_size.height == 30 * 4  # all wrapped: the height is known
        assert len(drawn) <= 12  # a screenful drawn, not 120 lines


def test_the_fast_wrap_breaks_lines_as_textual_does() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from game.engine.loader import catalog

    def same(content: Content, width: int) -> None:
        ours, textual = part_text.wrap(content, width), content.wrap(width)
        assert [line.plain.rstrip() for line in ours] == [line.plain.rstrip() for line in textual], (content, width)
        assert [line.markup.rstrip() for line in ours] == [line.markup.rstrip() for line in textual]

    texts = []
    for entry in catalog.shipped():
        scenario = entry.result.scenario
        assert scenario is not None
        texts += [fact.text for fact in scenario.facts.values()] + [fact.note for fact in scenario.facts.values()]
    for text in texts:
        for width in (20, 45, 76):
            same(Content.assemble((text[:15], "bold"), text[15:]), width)

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="ab  .\u201c\u00e9\u4e00-", max_size=80), st.integers(min_value=1, max_value=30))
    def random_text(text: str, width: int) -> None:
        same(Content(text), width)

    random_text()
