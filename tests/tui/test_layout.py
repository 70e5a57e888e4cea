"""The scene at the sizes players use (80x24, the README's; 60x20, the smallest supported), on
the shipped stories: when a scene opens its title is on screen and every open choice is in view
without scrolling, and when the text goes on below, the screen says so (issue 14, item 1)."""

from __future__ import annotations

import random

import pytest
from textual.pilot import Pilot

from game.tui.app import LongArmApp
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.scene import ChoicePane, SceneColumn, SceneScreen
from game.tui.widgets.choice_list import MORE_ABOVE, ChoiceList

SIZES = [(80, 24), (60, 20)]


def screen_text(app: LongArmApp) -> str:
    """What the terminal shows, as text (from the SVG screenshot: one line per row)."""
    import html
    import re

    svg = app.export_screenshot()
    rows: dict[str, list[str]] = {}
    for match in re.finditer(r'<text class="[^"]*" x="[^"]*" y="([^"]*)"[^>]*>([^<]*)</text>', svg):
        rows.setdefault(match.group(1), []).append(html.unescape(match.group(2)).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(rows.items(), key=lambda kv: float(kv[0])))


def squeeze(text: str) -> str:
    """Text without spaces: the screenshot leaves out runs of blank cells between styles."""
    return "".join(text.split())


def assert_scene_fits(app: LongArmApp) -> None:
    """The scene just opened: its title is on screen and every choice can be seen without scrolling."""
    screen = app.screen
    assert isinstance(screen, SceneScreen)
    session = screen.session
    assert session.scene is not None
    text = screen.query_one("#scene-main", SceneColumn)
    assert text.scroll_y == 0 and text.size.height >= 4, "the scene opens at its top, title and basis in view"
    pane = screen.query_one("#choice-pane", ChoicePane)
    choices = screen.query_one(ChoiceList)
    assert pane.max_scroll_y == 0, f"{session.scene.title}: the choices need scrolling at {app.size}"
    assert pane.region.bottom <= app.size.height - 1, "the choices end above the key bar"
    assert choices.region.height == choices.virtual_size.height
    shown = screen_text(app)
    assert session.scene.title in shown, f"the title {session.scene.title!r} is not on screen:\n{shown}"
    more = text.max_scroll_y > 0
    assert choices.more_above is more
    assert (squeeze(MORE_ABOVE) in squeeze(shown)) is more, "the choices' line says when the text goes on out of view"


async def play_checking(app: LongArmApp, pilot: Pilot[None], rng: random.Random, limit: int = 40) -> int:
    """Play a random game to its end, checking every scene; returns the number of scenes checked."""
    checked = 0
    while isinstance(app.screen, SceneScreen) and checked < limit:
        assert_scene_fits(app)
        checked += 1
        open_count = len(app.screen.query_one(ChoiceList).open_ids())
        step = app.session.step if app.session else 0
        await pilot.press(str(rng.randint(1, open_count)))
        for _ in range(50):  # the next scene (or the debrief) is drawn
            await pilot.pause()
            if app.session is not None and (app.session.step != step) and app.screen.is_current:
                break
        await pilot.pause()
    assert isinstance(app.screen, DebriefScreen), "a random game reaches an ending"
    return checked


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("scenario", ["arrival-hall", "the-way-home", "under-watch"])
async def test_every_scene_of_random_games_fits(scenario: str, size: tuple[int, int],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    for role in ("journalist", "activist"):
        for seed in (1, 2):
            app = LongArmApp(scenario, role, seed)
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                assert await play_checking(app, pilot, random.Random(seed)) >= 3


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_the_scenes_the_issue_names(size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """"Two counters along" once ended at `Choose:` with no choice in view."""
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    app = LongArmApp("the-way-home", "journalist", 1)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert_scene_fits(app)  # the first scene opened scrolled past its title
        for _ in range(4):
            await pilot.press("1")
            await pilot.pause()
        assert app.session is not None and app.session.scene is not None
        assert app.session.scene.title == "Two counters along"
        assert_scene_fits(app)


async def test_page_down_reads_on_and_the_hint_goes_when_all_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    app = LongArmApp("the-way-home", "journalist", 1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = app.screen.query_one("#scene-main", SceneColumn)
        choices = app.screen.query_one(ChoiceList)
        assert text.max_scroll_y > 0 and choices.more_above
        for _ in range(10):
            await pilot.press("pagedown")
            await pilot.pause()
            if text.scroll_y == text.max_scroll_y:
                break
        assert text.scroll_y == text.max_scroll_y
        await pilot.pause()
        assert not choices.more_above and squeeze(MORE_ABOVE) not in squeeze(screen_text(app))
        assert choices.has_focus  # paging never took the keys away from the choices
        await pilot.press("pageup")
        await pilot.pause()
        assert text.scroll_y < text.max_scroll_y and choices.more_above


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_the_title_screen_shows_continue_and_every_scenario(size: tuple[int, int]) -> None:
    from textual.widgets import OptionList

    from game.cli import app_observers
    from game.tui.screens.title import TitleScreen

    app = LongArmApp("under-watch", "activist", 3, observers=app_observers(None, None, None, watching=True))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("1")  # an autosave to continue
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        shown = squeeze(screen_text(app))
        listed = app.screen.query_one("#scenarios", OptionList)
        assert listed.region.bottom < size[1] - 1 and listed.option_count == 4
        assert squeeze("Continue your last game") in shown
        assert squeeze("Under Watch, as Cambodian migrant worker, at") in shown  # which game, where, when
        for title in ("Arrival Hall", "The Way Home", "Under Watch"):
            assert squeeze(f"{title} 15 min") in shown, shown
        assert squeeze("Content note") in shown
        await pilot.press("down")  # the summary of the scenario under the cursor
        await pilot.pause()
        assert squeeze("Kuala Lumpur International Airport") in squeeze(screen_text(app))


async def test_the_debrief_is_a_third_shorter_than_its_markdown_at_80x24() -> None:
    """Issue 14, item 4: about 9 PageDowns at 80x24. Each fact keeps its quote and note; blank
    lines inside facts and the repeated citations went."""
    from game.engine.loader import catalog
    from game.engine.runtime.debrief import debrief_markdown
    from game.session.play import PlaySession
    from game.tui.widgets.debrief_text import DebriefText
    from game.tui.widgets.prose import Prose
    from textual.app import App, ComposeResult

    found = catalog.find("arrival-hall")
    assert isinstance(found, catalog.Found)
    session = PlaySession.new(found.scenario, "journalist", 1)
    while not session.over:
        session.choose(next(option.choice.id for option in session.options() if option.available))
    view = session.debrief()

    class Both(App[None]):
        CSS = "Screen { layout: horizontal; } DebriefText, Prose { width: 77; }"

        def compose(self) -> ComposeResult:
            yield DebriefText(view)
            yield Prose(debrief_markdown(view))

    app = Both()
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        compact, markdown = app.query_one(DebriefText).size.height, app.query_one(Prose).size.height
        print(f"debrief lines at 77 columns: {compact} (was {markdown})")
        assert compact <= 0.67 * markdown, (compact, markdown)
        text = app.query_one(DebriefText).content.plain
        for entry in view.facts:
            assert entry.fact.text in text and (not entry.fact.quote or entry.fact.quote in text)


@pytest.mark.parametrize("keys", [["f1"], ["enter", "enter", "g"]], ids=["help", "glossary"])
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_esc_closes_is_on_screen_in_help_and_glossary(keys: list[str], size: tuple[int, int]) -> None:
    app = LongArmApp()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        assert squeeze("Esc closes") in squeeze(screen_text(app))


async def test_a_long_choice_wraps_under_its_own_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14, item 9: wrapped lines of a choice and of a locked reason start under the text."""
    from game.engine.runtime.model import Choice
    from game.engine.runtime.state import Option

    long = "Walk up to the immigration desk and ask, politely but clearly, where she is being held tonight"
    options = [Option(Choice("a", long, "x"), long, True),
               Option(Choice("b", "Leave", "x"), "Leave", False, "You promised your editor you would stay until the end")]
    app = LongArmApp("the-way-home", "journalist", 1)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        choices.show_options(options, 0)
        await pilot.pause()
        lines = [choices.render_line(y).text for y in range(choices.size.height)]
        first, count = choices.line_span(choices._names[0])
        assert count >= 2 and lines[first].startswith("\u25b6 1. Walk")
        assert all(line.startswith(" " * 5) and line[5] != " " for line in lines[first + 1:first + count])
        start, count = choices.line_span(choices._names[1])
        assert count >= 2 and all(line.startswith(" " * 5) and line[5] != " " for line in lines[start:start + count])
