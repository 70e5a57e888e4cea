"""`longarm lsp` spoken to as an editor does: a subprocess, JSON-RPC over its stdin and stdout.

Each test starts `python -m game lsp`, initializes it with the test's project folder as the
workspace, and opens `scenarios/test-story.yaml` with text that is never saved: the server works
on the editor's text. Every wait has a deadline (see lspclient.py); there are no sleeps.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lspclient import LspClient, ResponseError, apply_edits, at
from shared import BASE_SCENARIO, REPO

ERROR, WARNING = 1, 2


@pytest.fixture
def client(project: Path, tmp_path: Path) -> Iterator[LspClient]:
    lsp = LspClient(project, tmp_path / "lsp-stderr.txt")
    try:
        result = lsp.initialize(project)
        capabilities = result["capabilities"]
        assert capabilities["textDocumentSync"]["change"] == 1  # full text on every change
        assert capabilities["renameProvider"] == {"prepareProvider": True}
        assert capabilities["definitionProvider"] and capabilities["hoverProvider"] and capabilities["referencesProvider"]
        yield lsp
    finally:
        status = lsp.close()
    assert status == 0, (tmp_path / "lsp-stderr.txt").read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def story(project: Path) -> Path:
    """Where the test's scenario lives: it is opened in the editor, not written to disk."""
    return project / "scenarios" / "test-story.yaml"


def span(text: str, needle: str, occurrence: int = 1) -> dict[str, dict[str, int]]:
    start = at(text, needle, occurrence=occurrence)
    return {"start": start, "end": {"line": start["line"], "character": start["character"] + len(needle)}}


def test_a_broken_scenario_gets_the_validators_diagnostics_with_codes_and_ranges(client: LspClient, story: Path) -> None:
    broken = (BASE_SCENARIO.replace("        goto: airport\n        if: safety", "        goto: airprot\n        if: safety")
              .replace("    reveals: [arrests]", "    reveal: [arrests]"))
    uri = client.open(story, broken, version=1)
    found = {d["code"]: d for d in client.diagnostics(uri, version=1)}
    assert set(found) == {"LA020", "LA011"}
    assert found["LA020"]["range"] == span(broken, "airprot")
    assert found["LA020"]["severity"] == ERROR and found["LA020"]["source"] == "longarm"
    assert "there is no scene or ending 'airprot'" in found["LA020"]["message"]
    assert "did you mean 'airport'?" in found["LA020"]["message"]
    assert found["LA011"]["range"] == {"start": at(broken, "reveal:"), "end": at(broken, "reveal:", offset=6)}

    client.change(uri, BASE_SCENARIO, version=2)  # fixed, as typed: nothing saved
    assert client.diagnostics(uri, version=2) == []

    unreachable = BASE_SCENARIO.replace("endings:\n", "  lost:\n    title: Lost\n    basis: invented\n    text: Nobody comes here.\n"
                                                      "    choices:\n      - text: Leave\n        goto: quiet\nendings:\n")
    client.change(uri, unreachable, version=3)
    [warning] = client.diagnostics(uri, version=3)
    assert warning["code"] == "LA061" and warning["severity"] == WARNING
    assert warning["range"] == span(unreachable, "lost")


def test_a_yaml_syntax_error_is_placed_where_the_validator_puts_it(client: LspClient, story: Path) -> None:
    broken = BASE_SCENARIO.replace("title: Test story", "title: Note: this breaks")
    uri = client.open(story, broken)
    [diagnostic] = client.diagnostics(uri)
    assert diagnostic["code"] == "LA003" and diagnostic["range"]["start"]["line"] == at(broken, "title: Note")["line"]
    assert "hint: a value containing ': ' must be quoted" in diagnostic["message"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_ranges_are_in_the_units_the_client_agreed_on(encoding: str, project: Path, story: Path, tmp_path: Path) -> None:
    """An emoji is one character for YAML, but two UTF-16 units or four UTF-8 bytes for a client."""
    lsp = LspClient(project, tmp_path / "lsp-stderr.txt")
    try:
        assert lsp.initialize(project, [encoding])["capabilities"].get("positionEncoding", "utf-16") == encoding
        broken = BASE_SCENARIO.replace("      - text: Stay home", "      - text: Stay home \U0001F3E0 {saftey}")
        uri = lsp.open(story, broken)
        [diagnostic] = lsp.diagnostics(uri)
        assert diagnostic["code"] == "LA040"
        line = broken.split("\n")[diagnostic["range"]["start"]["line"]]
        codec, width = {"utf-16": ("utf-16-le", 2), "utf-8": ("utf-8", 1)}[encoding]
        brace = len(line[:line.index("{saftey}")].encode(codec)) // width
        assert brace != line.index("{saftey}")  # the emoji counts more than one unit
        assert diagnostic["range"]["start"]["character"] in (brace, brace + 1)  # at `{` or at the name
        assert diagnostic["range"]["end"]["character"] == brace + len("{saftey}")
    finally:
        assert lsp.close() == 0


def test_completing_a_goto_offers_the_scene_and_ending_ids(client: LspClient, story: Path) -> None:
    uri = client.open(story, BASE_SCENARIO)
    client.diagnostics(uri)
    result = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                        "position": at(BASE_SCENARIO, "goto: quiet", offset=6)})
    items = result["items"] if isinstance(result, dict) else result
    assert [item["label"] for item in items] == ["newsroom", "airport", "refused", "quiet"]
    assert items[0]["detail"] == "scene: The newsroom" and items[2]["detail"] == "ending: Turned away"
    assert items[0]["textEdit"]["range"] == span(BASE_SCENARIO, "quiet", occurrence=1)


def test_completion_keeps_working_while_the_line_is_half_typed(client: LspClient, story: Path) -> None:
    uri = client.open(story, BASE_SCENARIO, version=1)
    client.diagnostics(uri, version=1)
    typing = BASE_SCENARIO.replace("        goto: quiet\n", "        go\n")  # not valid YAML yet
    client.change(uri, typing, version=2)
    assert client.diagnostics(uri, version=2)[0]["code"] == "LA003"
    result = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                        "position": at(typing, "        go\n", offset=10)})
    items = {item["label"]: item for item in result["items"]}
    assert "goto" in items and items["goto"]["textEdit"]["newText"] == "goto: "
    assert "text" not in items and "id" not in items  # already in this choice
    typing = BASE_SCENARIO.replace("        goto: quiet\n", "        goto: q\n        if:\n")
    client.change(uri, typing, version=3)
    client.diagnostics(uri, version=3)
    result = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                        "position": at(typing, "goto: q\n", offset=7)})
    assert "quiet" in [item["label"] for item in result["items"]]


def test_completion_in_conditions_and_fact_lists(client: LspClient, story: Path) -> None:
    uri = client.open(story, BASE_SCENARIO)
    client.diagnostics(uri)

    def labels(needle: str, offset: int) -> list[str]:
        result = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                            "position": at(BASE_SCENARIO, needle, offset=offset)})
        return [item["label"] for item in result["items"]]

    assert labels("visited(airport)", 8) == ["newsroom", "airport", "refused", "quiet"]
    assert labels("known(arrests)", 6) == ["klia-detention", "arrests"]
    assert labels('role == "activist"', 9) == ["journalist", "activist"]
    condition = labels("if: safety >= 2", 4)
    assert {"safety", "story", "suspicion", "has_footage", "visited", "known", "role", "not"} <= set(condition)
    assert labels("reveals: [arrests]", 10) == ["klia-detention", "arrests"]


def test_go_to_definition_of_a_goto_lands_on_its_scene(client: LspClient, story: Path) -> None:
    uri = client.open(story, BASE_SCENARIO)
    client.diagnostics(uri)
    location = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                          "position": at(BASE_SCENARIO, "goto: airport", offset=8)})
    location = location[0] if isinstance(location, list) else location
    assert location["uri"] == uri
    assert location["range"] == {"start": at(BASE_SCENARIO, "  airport:", offset=2),
                                 "end": at(BASE_SCENARIO, "  airport:", offset=9)}
    fact = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                      "position": at(BASE_SCENARIO, "known(arrests)", offset=7)})
    fact = fact[0] if isinstance(fact, list) else fact
    assert fact["range"]["start"] == at(BASE_SCENARIO, "  arrests:", offset=2)


def test_hover_on_a_fact_shows_its_text_quote_and_source(client: LspClient, story: Path) -> None:
    uri = client.open(story, BASE_SCENARIO)
    client.diagnostics(uri)
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": at(BASE_SCENARIO, "reveals: [klia-detention]", offset=12)})
    shown = hover["contents"]["value"]
    assert hover["contents"]["kind"] == "markdown"
    assert "Mu Sochua was held for most of a day" in shown
    assert "> detained for most of the day by the Malaysian authorities" in shown
    assert "Cambodia: Stop pressuring regional neighbours to harass opposition figures" in shown
    assert "Amnesty International" in shown and "2019-11-08" in shown
    assert "Other reports say she was held overnight" in shown
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": at(BASE_SCENARIO, "known(arrests)", offset=8)})
    assert "https://www.hrw.org/news/2019/11/07/cambodia-let-opposition-leaders-return" in hover["contents"]["value"]


def test_renaming_a_scene_edits_every_use_and_the_result_validates(client: LspClient, story: Path) -> None:
    from game.lsp.diagnostics import problems_for

    text = BASE_SCENARIO.replace("      - text: Stay home\n",
                                 "      - text: Walk there\n        id: airport\n        goto: airport\n"
                                 "      - text: Stay home\n")
    uri = client.open(story, text)
    assert client.diagnostics(uri) == []
    position = at(text, "goto: airport", offset=6)
    prepared = client.request("textDocument/prepareRename", {"textDocument": {"uri": uri}, "position": position})
    assert prepared["placeholder"] == "airport"
    edit = client.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": position,
                                                  "newName": "arrival-hall"})
    edits = edit["changes"][uri]
    assert all(e["newText"] == "arrival-hall" for e in edits)
    lines = text.split("\n")
    changed = [lines[e["range"]["start"]["line"]].strip() for e in edits]
    assert changed == ["goto: airport", "goto: airport", "id: airport", "goto: airport", "airport:",
                       "if: visited(airport) and known(arrests)"]
    renamed = apply_edits(text, edits)
    assert "visited(arrival-hall)" in renamed and "  arrival-hall:\n" in renamed
    assert problems_for(renamed, story) == ()
    client.change(uri, renamed, version=2)
    assert client.diagnostics(uri, version=2) == []


def test_rename_refuses_a_bad_or_taken_name_and_what_is_not_a_scene(client: LspClient, story: Path) -> None:
    uri = client.open(story, BASE_SCENARIO)
    client.diagnostics(uri)
    position = at(BASE_SCENARIO, "  airport:", offset=3)
    for bad, reason in (("Arrival Hall", "is not a valid id"), ("quiet", "already a scene or ending 'quiet'")):
        with pytest.raises(ResponseError) as refused:
            client.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": position, "newName": bad})
        assert reason in refused.value.message and refused.value.code == -32803
    with pytest.raises(ResponseError) as refused:
        client.request("textDocument/prepareRename", {"textDocument": {"uri": uri},
                                                      "position": at(BASE_SCENARIO, "known(arrests)", offset=7)})
    assert "only scene and ending ids" in refused.value.message


def test_yaml_that_is_not_a_scenario_is_left_alone(client: LspClient, project: Path) -> None:
    workflow = project / ".github" / "workflows" / "ci.yml"
    uri = client.open(workflow, "name: CI\non: push\njobs: {}\n")
    assert client.diagnostics(uri) == []
    result = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 0}})
    assert result is None


def test_without_pygls_the_command_says_how_to_install_it() -> None:
    code = "import sys; sys.modules['pygls'] = None\nfrom game.cli import main\nraise SystemExit(main(['lsp']))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert "needs the pygls package" in result.stderr and "pip install 'pygls>=2,<3'" in result.stderr
    assert "pip install -e '.[lsp]'" in result.stderr
