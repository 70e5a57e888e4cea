"""Diagnostics are declared once: the registry is the only place a code is written, every call site
gives exactly the values its templates need, and docs/diagnostics.md is generated from it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from game.engine.diagnostics import ALL, BY_CODE, D, Diagnostic, visible
from game.engine.diagnostics_doc import DOC_FILE, render
from shared import REPO

GAME = REPO / "game"
REGISTRY = GAME / "engine" / "diagnostics.py"


def sources() -> list[Path]:
    return [path for path in GAME.rglob("*.py") if path != REGISTRY]


def test_docs_are_generated_from_the_registry() -> None:
    assert DOC_FILE.read_text(encoding="utf-8") == render(), \
        "docs/diagnostics.md is out of date: run python -m game.engine.diagnostics_doc"


def test_codes_are_unique_and_well_formed() -> None:
    codes = [d.code for d in ALL]
    assert len(codes) == len(set(codes)) == len(BY_CODE)
    assert all(re.fullmatch(r"LA\d{3}", code) for code in codes)


def test_no_code_is_written_outside_the_registry() -> None:
    for path in sources():
        found = re.findall(r"LA\d{3}", path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(REPO)} writes {found}: name the diagnostic (D.NAME) instead"


def test_every_diagnostic_is_used() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources())
    unused = [name for name, value in vars(D).items()
              if isinstance(value, Diagnostic) and not re.search(rf"\bD\.{name}\b", text)]
    assert unused == []


def _calls_naming_a_diagnostic() -> list[tuple[str, int, str, str, set[str] | None]]:
    """(file, line, callee, diagnostic name, the names given) for every call with a `D.NAME` argument;
    None when the values come from somewhere the test cannot read."""
    found = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            named = [arg.attr for arg in node.args
                     if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id == "D"]
            if not named:
                continue
            given: set[str] | None = set()
            for keyword in node.keywords:
                if keyword.arg is None:
                    given = None  # **values
                elif given is not None:
                    given.add(keyword.arg)
            dicts = [arg for arg in node.args if isinstance(arg, ast.Dict)]
            for literal in dicts:
                if given is not None:
                    if any(not isinstance(key, ast.Constant) for key in literal.keys):
                        given = None
                    else:
                        given |= {str(key.value) for key in literal.keys if isinstance(key, ast.Constant)}
            others = [arg for arg in node.args[2:] if isinstance(arg, ast.Name)]
            if not node.keywords and not dicts and others:
                given = None  # the values are a variable
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            found.append((str(path.relative_to(REPO)), node.lineno, callee, named[0], given))
    return found


def test_every_call_site_fills_exactly_the_templates_fields() -> None:
    calls = _calls_naming_a_diagnostic()
    assert len(calls) > 60
    for file, line, callee, name, given in calls:
        if given is None:
            continue
        needed = set(getattr(D, name).fields)
        if callee == "LanguageError":
            needed.discard("where")  # filled in by the loader, which knows where the expression is
        assert given == needed, f"{file}:{line}: D.{name} needs {sorted(needed)}, is given {sorted(given)}"


@pytest.mark.parametrize("diagnostic", ALL, ids=lambda d: d.code)
def test_each_diagnostic_is_documented(diagnostic: Diagnostic) -> None:
    assert diagnostic.title and diagnostic.doc and diagnostic.message
    assert diagnostic.words({name: "x" for name in diagnostic.fields})[0]


def test_values_are_shown_with_hidden_characters_escaped_and_long_ones_cut() -> None:
    message, _ = D.UNKNOWN_REFERENCE.words({"kind": "scene", "name": "airport\u200b", "suggestion": ""})
    assert message == "there is no scene 'airport<U+200B>'"
    assert visible("plain text") == "plain text"
    long_message, _ = D.NOT_TEXT.words({"what": "x" * 10_000, "found": "a list"})
    assert len(long_message) < 600


def test_the_guide_lists_the_engines_limits_and_their_codes() -> None:
    from game.engine import limits

    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    table = guide[guide.index("### Limits"):guide.index("## Authoring tools")]
    rows = [  # (what the row is about, the limit as the guide writes it, the diagnostic)
        ("file's size", f"{limits.MAX_FILE_BYTES // 1_048_576} MB", D.FILE_TOO_LARGE),
        ("nest", f"{limits.MAX_YAML_DEPTH} levels", D.YAML_TOO_DEEP),
        ("length", f"{limits.MAX_EXPRESSION_CHARS:,} characters", D.EXPRESSION_TOO_LONG),
        ("parentheses", f"{limits.MAX_EXPRESSION_DEPTH} deep", D.EXPRESSION_TOO_DEEP),
        ("whole number", f"{limits.MAX_NUMBER:,}", D.NUMBER_TOO_LARGE),
        ("choices in one scene", f"| {limits.MAX_CHOICES_PER_SCENE} |", D.TOO_MANY_CHOICES),
        ("outcomes of one", f"| {limits.MAX_OUTCOMES_PER_CHOICE} |", D.TOO_MANY_OUTCOMES),
        ("problems reported", f"{limits.MAX_PROBLEMS}, then", D.TOO_MANY_PROBLEMS),
        ("`{if ...}` nested", f"{limits.MAX_TEXT_DEPTH} deep", D.TEXT_TOO_DEEP),
        ("shared files", f"| {limits.MAX_INCLUDES} |", D.TOO_MANY_INCLUDES),
    ]
    for about, value, diagnostic in rows:
        row = next((line for line in table.splitlines() if about in line), "")
        assert value in row and diagnostic.code in row, f"the guide's limits row on {about!r}: {row!r}"
    limit_codes = {d.code for d in ALL if d.section == "limits"} - {D.TOO_MANY_PROBLEMS.code}
    assert limit_codes <= {code for code in re.findall(r"LA\d{3}", table)}
    assert f"{limits.MOVES_PER_STATE} moves a state" in guide
