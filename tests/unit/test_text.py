"""`{name}` interpolation: stats and flags only, never evaluated."""

from __future__ import annotations

from game.engine.runtime.expressions import Names
from game.engine.runtime.language import LanguageError
from game.engine.runtime.text import render
from game.engine.runtime.text_parser import compile_text


def check_placeholders(text: str, stats: set[str], flags: set[str]) -> list[LanguageError]:
    """Every mistake the loader finds in `text`, for a scenario with these stats and flags."""
    return compile_text(text, Names(stats, flags, (), (), ()))[1]


def test_render_fills_stats_and_flags() -> None:
    text = "Safety {safety}; footage {has_footage}; {{literal}}"
    assert render(text, {"safety": 2}, {"has_footage"}, {"has_footage"}) == "Safety 2; footage yes; {literal}"


def test_attribute_access_is_an_error_and_never_evaluated() -> None:
    errors = check_placeholders("{safety.__class__} and {safety}", {"safety"}, set())
    assert [e.code for e in errors] == ["LA040"]
    assert errors[0].offset == 0
    # Even unvalidated text is filled only by look-up: the placeholder is left as written.
    assert render("{safety.__class__}", {"safety": 1}, set(), set()) == "{safety.__class__}"


def test_unmatched_braces_and_unknown_names() -> None:
    errors = check_placeholders("a } b {saftey}", {"safety"}, set())
    assert [e.words("the text")[0] for e in errors] == ["in the text: unmatched '}'",
                                                        "in the text: '{saftey}' is not a stat or flag"]
    assert [e.code for e in errors] == ["LA041", "LA040"]
    assert "did you mean {safety}?" in errors[1].words("the text")[1]
