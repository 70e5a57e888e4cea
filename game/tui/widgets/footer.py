"""The key bar: the keys of the current screen along the bottom, as one line of text.

Textual's `Footer` is a widget per key, all rebuilt whenever the bindings *may* have changed: on
every choice (the choice list's highlight moves) and on every new screen, where building them
was about half of Textual's own cost of switching screens. It also skipped rebuilding while the
app was blurred, and a key bar that remembered what it showed then kept showing nothing once
focus came back (issue 12). This bar is one widget drawing one `Content`: it is redrawn when the
keys it shows change, whether or not the app has focus, and a click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class ShownKey:
    key: str  # the key as Textual names it ("question_mark"), pressed when clicked
    label: str  # as a player reads it ("?")
    description: str
    enabled: bool


class KeyBar(Widget):
    """The current screen's keys; the command palette's key at the right."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $footer-foreground;
    }
    """
    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__()
        self.auto_links = False  # the keys are clickable, and drawn as keys, not as links
        self.keys: tuple[ShownKey, ...] = ()
        self.palette: ShownKey | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:  # type: ignore[type-arg]
        if not self.is_attached or screen is not self.screen:
            return
        keys: dict[str, ShownKey] = {}  # one key per action, the first bound, as Textual's footer shows
        palette = None
        get_label = self.app.get_key_display
        for _, binding, enabled, _ in screen.active_bindings.values():
            if binding.key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = ShownKey(binding.key, get_label(binding), binding.description, enabled)
            elif binding.show and binding.action not in keys:
                keys[binding.action] = ShownKey(binding.key, get_label(binding), binding.description, enabled)
        shown = tuple(keys.values())
        if (shown, palette) != (self.keys, self.palette):
            self.keys, self.palette = shown, palette
            self.refresh()

    @staticmethod
    def _key(key: ShownKey) -> Content:
        click = f"@click=app.simulate_key({key.key!r})"
        dim = "" if key.enabled else " dim"
        if not key.description:
            return Content.styled(f" {key.label} ", f"bold $footer-key-foreground{dim} {click}")
        return Content.assemble((f" {key.label} ", f"bold $footer-key-foreground{dim} {click}"),
                                (key.description, f"$footer-description-foreground{dim} {click}"), " ")

    def render(self) -> Content:
        left = Content("").join([self._key(key) for key in self.keys])
        if self.palette is None:
            return left
        right = Content.assemble(("\u258f", "$foreground 20%"), self._key(self.palette))
        if left.cell_length + right.cell_length > self.size.width:  # short of room: the palette's key alone
            right = Content.assemble(("\u258f", "$foreground 20%"),
                                     self._key(ShownKey(self.palette.key, self.palette.label, "", True)))
        room = self.size.width - right.cell_length
        if left.cell_length > room:
            left = left.truncate(max(0, room))
        return Content.assemble(left, " " * (room - left.cell_length), right)
