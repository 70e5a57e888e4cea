"""Key names as players read them: "?", "F1", "Esc", "Ctrl+Z", "PgDn", not Textual's own names.

The key bar (through `LongArmApp.get_key_display`) and the help screen both use `key_label`, so
a key is written the same way everywhere.
"""

from __future__ import annotations

NAMES = {
    "question_mark": "?", "escape": "Esc", "enter": "Enter", "tab": "Tab", "space": "Space",
    "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End", "up": "\u2191", "down": "\u2193",
    "left": "\u2190", "right": "\u2192", "backspace": "Backspace", "delete": "Del",
}
MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "meta": "Meta"}


def key_label(key: str) -> str:
    """One key as a player reads it: `ctrl+z` is "Ctrl+Z", `question_mark` "?", `f1` "F1"."""
    *modifiers, name = key.strip().split("+")
    if name in NAMES:
        shown = NAMES[name]
    elif len(name) >= 2 and name[0] == "f" and name[1:].isdigit():
        shown = name.upper()
    elif len(name) == 1 and modifiers:
        shown = name.upper()  # Ctrl+Z, as menus write it
    else:
        shown = name
    return "+".join([*(MODIFIERS.get(m, m.title()) for m in modifiers), shown])


def keys_label(keys: str) -> str:
    """A binding's keys ("question_mark,f1") as words: "? or F1"."""
    return " or ".join(key_label(key) for key in keys.split(",") if key.strip())
