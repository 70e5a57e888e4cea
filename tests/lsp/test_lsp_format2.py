"""The language server on format 2: text variants, visits(), arithmetic, outcome conditions, shared files.

In process (the index, completion, rename) and through a real JSON-RPC client (go to a fact
defined in a shared file, a shared file's problem shown on its `include` line, completion after
`{if` in a `|` block).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from game.lsp import completion, navigation
from game.lsp.diagnostics import problems_for
from game.lsp.index import build_index, split_lines
from game.lsp.positions import Positions
from lspclient import LspClient, apply_edits, at
from shared import REACTIVE_SCENARIO, REPO

CODE_POINTS = PositionCodec(types.PositionEncodingKind.Utf32)


def labels_at(text: str, marker: str = "§") -> list[str]:
    lines = text.split("\n")
    line = next(i for i, row in enumerate(lines) if marker in row)
    column = lines[line].index(marker)
    lines[line] = lines[line].replace(marker, "")
    items = completion.complete(build_index(REACTIVE_SCENARIO), Positions("\n".join(lines), CODE_POINTS), line, column)
    return [item.label for item in items]


def test_references_inside_text_variants_conditions_and_effects_are_indexed() -> None:
    index = build_index(REACTIVE_SCENARIO)
    assert index is not None and index.unplaced == []
    lines = split_lines(REACTIVE_SCENARIO)
    for reference in index.references:
        assert lines[reference.span.line][reference.span.start:reference.span.end] == reference.id
    hall = [(r.where, lines[r.span.line].strip()[:30]) for r in index.references_to("place", "hall")]
    assert ("visits", "The hall is quiet. {if visits(") in hall  # in a `|` block
    assert ("visits", '- text: "Ask the guard {if vis') in hall  # in a quoted one-line text
    assert ("visits", "if: trust >= 2 and visits(hall") in hall
    uses = {r.where for r in index.references_to("name", "trust")}
    assert uses == {"role stats", "condition", "do", "text"}  # a role's stats, an outcome's `if`, `reach = reach + trust * 2`, `{if trust == 0: ...}`
    assert [r.where for r in index.references_to("name", "reach")].count("text") == 4  # placeholders and variants


def test_renaming_a_scene_named_in_text_variants_edits_them_and_stays_valid(tmp_path: Path, project: Path) -> None:
    index = build_index(REACTIVE_SCENARIO)
    assert index is not None
    positions = Positions(REACTIVE_SCENARIO, CODE_POINTS)
    span = index.definitions["place"]["hall"].span
    edit = navigation.rename(index, positions, "file:///x", span.line, span.start, "arrivals")
    assert edit.changes is not None
    edits = [{"range": {"start": {"line": e.range.start.line, "character": e.range.start.character},
                        "end": {"line": e.range.end.line, "character": e.range.end.character}},
              "newText": e.new_text} for e in edit.changes["file:///x"]]
    renamed = apply_edits(REACTIVE_SCENARIO, edits)
    assert "hall" not in re.sub(r"The hall|the hall|arrival hall", "", renamed)
    assert renamed.count("visits(arrivals)") == REACTIVE_SCENARIO.count("visits(hall)")
    assert problems_for(renamed, project / "scenarios" / "night-watch.yaml") == ()


def test_a_rename_refuses_when_an_id_is_named_where_it_cannot_be_edited() -> None:
    line = '    text: "A door, a guard{if reach > 5: , and a phone held up for you}."'
    escaped = REACTIVE_SCENARIO.replace(line, '    text: "A door{if visits(h\\u0061ll) > 2: , again}."')
    index = build_index(escaped)
    assert index is not None and index.unplaced == [("place", "hall", escaped.split("\n").index(line.replace(
        "A door, a guard{if reach > 5: , and a phone held up for you}.", 'A door{if visits(h\\u0061ll) > 2: , again}.')))]
    span = index.definitions["place"]["hall"].span
    with pytest.raises(navigation.RenameRefused, match="cannot be edited in place"):
        navigation.rename(index, Positions(escaped, CODE_POINTS), "file:///x", span.line, span.start, "arrivals")
    folded = REACTIVE_SCENARIO.replace(line, "    text: >\n      A door{if visits(hall) > 2: , again}\n      and a guard.")
    assert build_index(folded).unplaced == []  # type: ignore[union-attr]  # a folded block is placed by its words


def test_completion_knows_the_new_syntax() -> None:
    # After `{if` in a `|` block, and in a quoted one-line text: a condition.
    block = labels_at(REACTIVE_SCENARIO.replace("      {if exposure >= 2:", "      {if §"))
    assert {"trust", "exposure", "photographed", "visits", "visited", "known", "role", "not"} <= set(block)
    assert labels_at(REACTIVE_SCENARIO.replace("{if visits(hall) > 1: again}", "{if visits(§")) == \
        ["hall", "corridor", "caught", "home"]
    assert "reach" in labels_at(REACTIVE_SCENARIO.replace('text: "You are home{if reach', 'text: "You are home{if re§'))
    assert labels_at(REACTIVE_SCENARIO.replace("Film the door ({reach}", "Film the door ({re§")) == \
        ["safety", "trust", "exposure", "reach", "photographed", "if"]
    # An effect's amount, a weight and an outcome's `if`.
    assert labels_at(REACTIVE_SCENARIO.replace("do: [reach = reach + trust * 2", "do: [reach = reach + §")) == \
        ["safety", "trust", "exposure", "reach"]
    assert labels_at(REACTIVE_SCENARIO.replace('{weight: "exposure + 1"', "{weight: §")) == \
        ["safety", "trust", "exposure", "reach"]
    assert "visits" in labels_at(REACTIVE_SCENARIO.replace("if: trust >= 2, goto: home", "if: §, goto: home"))
    # Keys: a choice's once and fallback, an outcome's if.
    assert {"once", "fallback"} <= set(labels_at(REACTIVE_SCENARIO.replace("        id: corridor\n",
                                                                           "        id: corridor\n        §\n")))


def test_a_shared_file_gets_its_own_keys() -> None:
    shared = (REPO / "scenarios" / "shared" / "cambodia-2019.yaml").read_text(encoding="utf-8")
    without = shared[:shared.index("\nglossary:")] + "\n"
    lines = without.split("\n")
    items = completion.complete(build_index(without), Positions(without, CODE_POINTS), len(lines) - 1, 0)
    assert [item.label for item in items] == ["glossary"]  # not a scenario's keys: no scenes, no roles


# ---------------------------------------------------------------------------- through the protocol


@pytest.fixture
def client(project: Path, tmp_path: Path) -> Iterator[LspClient]:
    lsp = LspClient(project, tmp_path / "lsp-stderr.txt")
    try:
        lsp.initialize(project)
        yield lsp
    finally:
        status = lsp.close()
    assert status == 0, (tmp_path / "lsp-stderr.txt").read_text(encoding="utf-8", errors="replace")


SHIPPED = (REPO / "scenarios" / "arrival-hall.yaml").read_text(encoding="utf-8")


def test_go_to_a_fact_defined_in_the_shared_file_and_hover_on_it(client: LspClient, project: Path) -> None:
    uri = client.open(project / "scenarios" / "arrival-hall.yaml", SHIPPED)
    assert client.diagnostics(uri) == []
    where = at(SHIPPED, "gov-malaysia-base]")
    location = client.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": where})
    location = location[0] if isinstance(location, list) else location
    shared = project / "scenarios" / "shared" / "cambodia-2019.yaml"
    assert location["uri"] == shared.resolve().as_uri()
    shared_text = shared.read_text(encoding="utf-8")
    assert location["range"]["start"] == at(shared_text, "  gov-malaysia-base:", offset=2)
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": where})
    assert "Mahathir Mohamad" in hover["contents"]["value"] and "> We don't want them" in hover["contents"]["value"]


def test_a_problem_in_the_shared_file_is_shown_on_the_include_line(client: LspClient, project: Path) -> None:
    shared = project / "scenarios" / "shared" / "cambodia-2019.yaml"
    text = shared.read_text(encoding="utf-8")
    shared.write_text(text.replace("refuse to collude in Cambodia’s", "refuse to help in Cambodia’s"), encoding="utf-8")
    uri = client.open(project / "scenarios" / "arrival-hall.yaml", SHIPPED)
    [found] = client.diagnostics(uri)
    assert found["code"] == "LA052"
    assert found["range"]["start"] == at(SHIPPED, "shared/cambodia-2019.yaml")
    line = text.split("\n").index(next(l for l in text.split("\n") if "refuse to collude" in l)) + 1
    assert found["message"].startswith(f"{shared}:{line}:") and "not found verbatim" in found["message"]


def test_completing_a_condition_in_a_text_block(client: LspClient, project: Path) -> None:
    text = REACTIVE_SCENARIO.replace("      {if exposure >= 2:", "      {if ex")
    uri = client.open(project / "scenarios" / "night-watch.yaml", REACTIVE_SCENARIO)
    client.diagnostics(uri)
    client.change(uri, text, version=2)
    client.diagnostics(uri, version=2)
    result = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                        "position": at(text, "{if ex", offset=6)})
    items = result["items"] if isinstance(result, dict) else result
    assert "exposure" in [item["label"] for item in items]
