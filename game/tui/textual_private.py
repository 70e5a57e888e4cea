"""Every use of Textual's private API in Long Arm, in this one module, each checked by `check()`.

Textual keeps no promise about names that start with an underscore, so a release may rename or
change them. The app uses two, each for a measured reason, and nothing else in the project
touches one (tests included: `StylesCache` is imported from here):

1. `textual._styles_cache.StylesCache.get_inner_outer` is replaced (`apply_styles_cache_fix`):
   Textual 8.2 caches it with `lru_cache` on an *instance* method, so its cache keys keep up to
   1,024 removed widgets' `StylesCache` objects alive, each with every strip its widget last
   drew: about 35 MB over a 200-choice game. Reported upstream as
   https://github.com/Textualize/textual/issues/6665. The replacement caches on the two colours
   alone, which is all the result depends on, and is applied only while the method still has the
   leaking shape (an `lru_cache` wrapper): a Textual that fixes the bug is left as it is.
2. `Widget._size_updated` is overridden by `OneLayoutPass` (the scene's widgets): after a layout,
   each widget whose size changed stores its new virtual size through a reactive that asks for
   *another* layout pass, which finds nothing to move but re-renders the screen: about 3 ms of
   every choice. The override stores the size without asking, as Textual itself does when it
   lays out only the visible part of a scrolled screen (`layout=False`), and then calls the
   widget's public `size_settled()` hook.

`check()` raises `PrivateApiChanged`, naming what moved, when the installed Textual no longer has
one of these with the shape this module expects; `tests/tui/test_textual_private.py` calls it, so
an upgrade that breaks one fails loudly in one place. The upgrade policy is in the README.
"""

from __future__ import annotations

import inspect
from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style
from textual.widget import Widget

__all__ = ["OneLayoutPass", "PrivateApiChanged", "StylesCache", "apply_styles_cache_fix", "check",
           "styles_cache_needs_fix"]

#: The Textual release line these uses were written for and checked against.
CHECKED_WITH = "8.2"


class PrivateApiChanged(RuntimeError):
    """The installed Textual changed a private API this module relies on."""


# ---------------------------------------------------------------------------- 1. the styles cache


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    # Same result as Textual's method: the widget's own background over its parent's, and the parent's.
    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> tuple[Style, Style]:
    return _inner_outer(base_background, background)


def styles_cache_needs_fix() -> bool:
    """True while Textual's `get_inner_outer` is still cached per instance (the leaking shape)."""
    return hasattr(StylesCache.__dict__.get("get_inner_outer"), "cache_clear")


def apply_styles_cache_fix() -> None:
    """Replace the leaking method, once; does nothing when Textual no longer has the bug."""
    if styles_cache_needs_fix():
        StylesCache.get_inner_outer.cache_clear()  # free what it already holds
        setattr(StylesCache, "get_inner_outer", _get_inner_outer)  # noqa: B010 - a method of a class we do not own


# ---------------------------------------------------------------------------- 2. one layout pass


class OneLayoutPass:
    """Mix in before the Textual widget class: `class SceneText(OneLayoutPass, Static)`.

    A widget that wants to know when its size or virtual size has changed (a scroll container
    whose content grew) defines `size_settled()`; it is called after each change, once laid out.
    """

    def _size_updated(self, size: Any, virtual_size: Any, container_size: Any, layout: bool = True) -> bool:
        updated: bool = super()._size_updated(size, virtual_size, container_size, layout=False)  # type: ignore[misc]
        if updated:
            self.size_settled()
        return updated

    def size_settled(self) -> None:
        """Called when the widget's size or virtual size changed in a layout (override to act)."""


# ---------------------------------------------------------------------------- the check


def check() -> None:
    """Raise `PrivateApiChanged` if the installed Textual lacks one of the private APIs above."""
    problems: list[str] = []
    method = StylesCache.__dict__.get("get_inner_outer")
    if method is None and "get_inner_outer" not in dir(StylesCache):
        problems.append("textual._styles_cache.StylesCache.get_inner_outer is gone: see whether the leak "
                        "(textual issue 6665) is fixed, then drop apply_styles_cache_fix")
    elif method is not _get_inner_outer and not styles_cache_needs_fix():
        problems.append("StylesCache.get_inner_outer is no longer an lru_cache: the leak may be fixed; "
                        "test_memory says whether; drop apply_styles_cache_fix if so")
    size_updated = getattr(Widget, "_size_updated", None)
    expected = ["self", "size", "virtual_size", "container_size", "layout"]
    if size_updated is None:
        problems.append("Widget._size_updated is gone: OneLayoutPass no longer saves a layout pass "
                        "(the scenes still work, a little slower); find its successor or drop the mix-in")
    elif list(inspect.signature(size_updated).parameters) != expected:
        problems.append(f"Widget._size_updated{inspect.signature(size_updated)} no longer takes {expected[1:]}: "
                        "update OneLayoutPass")
    if problems:
        raise PrivateApiChanged("Textual's private API changed:\n- " + "\n- ".join(problems))
