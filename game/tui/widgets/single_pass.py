"""One layout pass per update, for the scene's widgets: about 3 ms of every choice.

After Textual lays a screen out, each widget whose size changed stores its new virtual size
through a reactive that asks for *another* layout pass, which then finds nothing to move but
still re-renders. The layout that produced the size has already placed the widget's children,
and scrollbars are updated either way (`_scroll_update`), so for these widgets the second pass
is pure cost. `OneLayoutPass` stores the size without asking, as Textual itself does when it
lays out only the visible part of a scrolled screen (`layout=False`).

It overrides a private Textual method (`Widget._size_updated`, Textual 8.2): a release that
renames it leaves the override unused, which costs speed, not correctness; one that changes
its signature fails the scene tests at once.
"""

from __future__ import annotations

from typing import Any


class OneLayoutPass:
    """Mix in before the Textual widget class: `class SceneText(OneLayoutPass, Static)`."""

    def _size_updated(self, size: Any, virtual_size: Any, container_size: Any, layout: bool = True) -> bool:
        updated: bool = super()._size_updated(size, virtual_size, container_size, layout=False)  # type: ignore[misc]
        return updated
