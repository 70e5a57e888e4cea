"""The key bar: Textual's `Footer`, rebuilt only when the keys it shows really change.

Textual's Footer rebuilds all its key widgets whenever bindings *may* have changed, which
happens on every choice (the choice list's highlight moves). Each rebuild cost CPU on every key
press, and in Textual 8.2 the old key widgets stayed in memory (their data bindings keep them),
so a long game grew by megabytes. Comparing what would be shown avoids both.

The keys are remembered as shown only when the Footer really redraws them: it skips the redraw
while the app is blurred (a browser tab in the background, an author in their editor during
`--watch`), and the redraw asked for when focus returns must then go through.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyBar(Footer):
    """The keys of the current screen, along the bottom."""

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def _signature(self, screen: Screen) -> tuple[tuple[str, str, bool], ...]:  # type: ignore[type-arg]
        return tuple((binding.key, binding.description, enabled)
                     for (_, binding, enabled, _) in screen.active_bindings.values() if binding.show)

    def bindings_changed(self, screen: Screen) -> None:  # type: ignore[type-arg]
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = self._signature(screen)
            if shown == self._shown:
                return
            self._shown = shown  # the Footer redraws these now (it does while the app has focus)
        super().bindings_changed(screen)
