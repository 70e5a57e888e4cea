"""A workaround for a memory leak in the Textual version we pin, applied once when the app is imported.

Textual 8.2's `StylesCache.get_inner_outer` is an `lru_cache` on an *instance* method, so the cache
keys hold up to 1,024 `StylesCache` objects alive, each with every strip its widget last rendered.
Every widget owns one, so widgets that come and go (a new scene screen, its choices, the journal)
stay in memory long after they are removed: about 35 MB over a 200-choice game, most of the app's
growth. Reported upstream as https://github.com/Textualize/textual/issues/6665.

The replacement caches on the two colours alone, which is all the result depends on. It is applied
only while the method still has the buggy shape (an `lru_cache` wrapper), so a Textual release that
fixes the bug is left as it is.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    # Same result as Textual's method: the widget's own background over its parent's, and the parent's.
    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> tuple[Style, Style]:
    return _inner_outer(base_background, background)


def needs_fix() -> bool:
    """True while Textual's `get_inner_outer` is still cached per instance (the leaking shape)."""
    return hasattr(StylesCache.__dict__.get("get_inner_outer"), "cache_clear")


def apply() -> None:
    """Replace the leaking method, once; does nothing when Textual no longer has the bug."""
    if needs_fix():
        StylesCache.get_inner_outer.cache_clear()  # free what it already holds
        setattr(StylesCache, "get_inner_outer", _get_inner_outer)  # noqa: B010 - a method of a class we do not own
