"""`longarm graph`: Mermaid and DOT story maps with the right shapes, and SVG through Graphviz."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from game.cli import main
from shared import BASE_SCENARIO

WriteScenario = Callable[..., Path]

#: BASE_SCENARIO with a scene no choice leads to (validate warns LA061; the map greys it).
WITH_ATTIC = BASE_SCENARIO.replace("endings:\n", "  attic:\n    title: The attic\n    basis: invented\n"
                                   "    text: Dust.\n    choices:\n      - {text: Go down, id: down, goto: quiet}\n"
                                   "endings:\n")


def graph(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["graph", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_mermaid_shapes_endings_by_tone_and_marks_edges(write_scenario: WriteScenario,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = graph(capsys, str(write_scenario(WITH_ATTIC)), "--format", "mermaid")
    assert status == 0
    lines = out.splitlines()
    assert "flowchart TD" in lines
    # Node ids follow file order: scenes p0..p2, then endings p3 (refused), p4 (quiet).
    assert '  p0("The newsroom")' in lines
    assert '  p3[\\"Turned away (bitter ending)"/]:::bitter' in lines
    assert '  p4{{"A quiet night (mixed ending)"}}:::mixed' in lines
    assert '  r0>"role: journalist"]:::role' in lines and "  r0 --> p0" in lines
    # A choice with a condition is dotted and carries the condition, escaped for Mermaid.
    assert '  p0 -.->|"fly [if safety #gt;= 2 and not has_footage]"| p1' in lines
    assert '  p0 -.->|"activist-only [if role == #quot;activist#quot;]"| p1' in lines
    assert '  p0 -->|"stay"| p4' in lines
    # A random choice: one thick edge per outcome, with its chance.
    assert '  p1 ==>|"gate 3/4"| p3' in lines and '  p1 ==>|"gate 1/4"| p4' in lines
    assert '  p2("The attic (unreachable)")' in lines
    assert "  class p2 unreachable" in lines
    assert any(line.startswith("  classDef bitter fill:#f8d7da") for line in lines)


def test_dot_shapes_endings_by_tone_and_marks_edges(write_scenario: WriteScenario,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = graph(capsys, str(write_scenario(WITH_ATTIC)), "--format", "dot")
    assert status == 0
    lines = out.splitlines()
    assert 'digraph "test-story" {' in lines and lines[-1] == "}"
    refused = next(line for line in lines if line.startswith('  "refused" ['))
    assert "shape=octagon" in refused and "peripheries=2" in refused and 'fillcolor="#f8d7da"' in refused
    assert 'label="Turned away\\n(bitter ending)"' in refused
    quiet = next(line for line in lines if line.startswith('  "quiet" ['))
    assert "shape=hexagon" in quiet and 'fillcolor="#fff1c9"' in quiet
    assert '  "newsroom" [label="The newsroom", shape=box, style=rounded];' in lines
    assert '  "newsroom" -> "airport" [label="fly [if safety >= 2 and not has_footage]", style=dashed];' in lines
    assert '  "newsroom" -> "airport" [label="activist-only [if role == \\"activist\\"]", style=dashed];' in lines
    assert '  "newsroom" -> "quiet" [label="stay"];' in lines
    assert '  "airport" -> "refused" [label="gate 3/4", arrowhead=diamond];' in lines
    attic = next(line for line in lines if line.startswith('  "attic" ['))
    assert 'style="rounded,dashed,filled"' in attic and "(unreachable)" in attic
    assert '  "role:journalist" -> "newsroom";' in lines


def test_out_writes_a_file(write_scenario: WriteScenario, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = project / "map.mmd"
    status, out, err = graph(capsys, str(write_scenario()), "--out", str(target))
    assert status == 0 and out == "" and f"wrote {target}" in err
    assert target.read_text(encoding="utf-8").splitlines()[3] == "flowchart TD"


@pytest.mark.skipif(shutil.which("dot") is None,
                    reason="Graphviz's `dot` is not on PATH here; install graphviz to test --format svg")
def test_svg_is_drawn_by_graphviz(write_scenario: WriteScenario, project: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = project / "map.svg"
    status, _, _ = graph(capsys, str(write_scenario(WITH_ATTIC)), "--format", "svg", "--out", str(target))
    assert status == 0
    svg = target.read_text(encoding="utf-8")
    assert "<svg" in svg and "Turned away" in svg and "(unreachable)" in svg


def test_svg_without_graphviz_says_what_to_do(write_scenario: WriteScenario, project: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = write_scenario()
    monkeypatch.setenv("PATH", str(project))  # a folder with no `dot` in it
    status, out, err = graph(capsys, str(path), "--format", "svg")
    assert status == 2 and out == ""
    assert "needs Graphviz's `dot` program, which is not on PATH" in err and "--format dot" in err


def test_graph_usage_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = graph(capsys, str(project / "scenarios" / "missing.yaml"))
    assert status == 2 and "no scenario" in err
    with pytest.raises(SystemExit) as exited:
        main(["graph", "x", "--format", "png"])
    assert exited.value.code == 2
    capsys.readouterr()
