"""Author Markdown in the app: the fast path for plain prose agrees with markdown-it, always."""

from __future__ import annotations

import pytest

from game.engine.loader import catalog
from game.tui.authored import link_glossary_terms
from game.tui.widgets.prose import Block, markdown_blocks, simple_blocks


def texts() -> list[str]:
    """Every scene, ending and summary text of the shipped stories, glossary links as in the app."""
    found = []
    for entry in catalog.shipped():
        scenario = entry.result.scenario
        assert scenario is not None
        for place in (*scenario.scenes.values(), *scenario.endings.values()):
            found.append(link_glossary_terms(place.text, scenario.glossary))
        found += [ending.debrief.summary for ending in scenario.endings.values()]
        found += [choice.text for scene in scenario.scenes.values() for choice in scene.choices]
    return found


def same(fast: list[Block], slow: list[Block]) -> bool:
    return [(b.kind, b.content.plain, b.content.markup) for b in fast] == \
        [(b.kind, b.content.plain, b.content.markup) for b in slow]


def test_the_fast_path_agrees_with_markdown_it_on_every_shipped_text() -> None:
    shipped = texts()
    fast = 0
    for text in shipped:
        blocks = simple_blocks(text)
        if blocks is not None:
            fast += 1
            assert same(blocks, markdown_blocks(text)), text
    assert fast > 0.9 * len(shipped)  # the fast path is the common one


@pytest.mark.parametrize("text", [
    "Plain words.", "One *em* and **strong** and [CNRP](glossary:CNRP).", "Line one\nline two.\n\nNext.",
    "*\"Quoted,\"* she says.", "5 * 3 is fifteen.", "a*b*c", "**a** *b*", "*a*, *b*.", "[x](https://e.org/a)",
    "- a list", "1. one", "> quote", "# head", "`code`", "a_b_c", "<b>html</b>", "x  \ny", "Setext\n===",
    "***both***", "[a](b c)", "\\*escaped\\*", "&amp;", "*open only", "close* only", "[unclosed", "tab\there",
    "Para\n    indented continuation", "    code block", "Café [é](glossary:é)", "*a **b** c*", "**a *b* c**",
])
def test_the_fast_path_agrees_or_gives_way(text: str) -> None:
    blocks = simple_blocks(text)
    if blocks is not None:
        assert same(blocks, markdown_blocks(text)), (blocks, markdown_blocks(text))


def test_plain_prose_does_not_import_markdown_it() -> None:
    import subprocess
    import sys

    from shared import REPO

    code = ("import sys; from game.tui.widgets.prose import parse_blocks; "
            "parse_blocks('A *plain* scene with a [term](glossary:term).'); print('markdown_it' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "False"


def test_the_fast_path_agrees_or_gives_way_on_random_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["a", "b", " ", "  ", "\n", "\n\n", "*", "**", "[", "]", "(", ")", "glossary:x", ".",
                              "'", '"', ",", "-", "1", "é", ":", "!", "_", "#", ">", "\t", "http://e.org/"])

    @settings(max_examples=400, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join))
    def check(text: str) -> None:
        blocks = simple_blocks(text)
        if blocks is not None:
            assert same(blocks, markdown_blocks(text)), text

    check()
