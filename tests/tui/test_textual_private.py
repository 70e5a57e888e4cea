"""Textual's private API, used in one module only, still has the shape that module expects.

When this fails after a Textual upgrade, read the message: it names what moved and what to do.
The README's upgrade policy says the rest."""

from __future__ import annotations

import ast

from game.tui import textual_private

from shared import REPO


def test_the_private_textual_api_we_use_is_still_there() -> None:
    textual_private.check()


def test_no_other_module_touches_a_private_textual_name() -> None:
    """`textual._x` modules and `_x` names imported from Textual appear in textual_private.py only."""
    offenders = []
    for path in sorted([*(REPO / "game").rglob("*.py"), *(REPO / "tests").rglob("*.py"), *(REPO / "bench").rglob("*.py")]):
        if path.name == "textual_private.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textual"):
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names if alias.name.startswith("textual")]
            if any(part.startswith("_") for name in names for part in name.split(".")):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not offenders, offenders


def test_the_check_fails_loudly_when_a_private_name_is_gone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from textual.widget import Widget

    monkeypatch.delattr(Widget, "_size_updated")
    try:
        textual_private.check()
    except textual_private.PrivateApiChanged as error:
        assert "Widget._size_updated is gone" in str(error)
    else:
        raise AssertionError("check() passed with Widget._size_updated removed")
