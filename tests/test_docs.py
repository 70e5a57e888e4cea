"""The docs describe what is really there: every diagnostic code the engine emits is documented."""

from __future__ import annotations

import re

from shared import REPO


def test_every_diagnostic_code_is_documented_and_no_other() -> None:
    used = set()
    for path in (REPO / "game").rglob("*.py"):
        used |= set(re.findall(r'"(LA\d{3})"', path.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^### (LA\d{3})", (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8"),
                                flags=re.MULTILINE))
    assert used == documented


def yaml_blocks() -> list[tuple[str, str]]:
    blocks = []
    for doc in sorted((REPO / "docs").glob("*.md")) + [REPO / "README.md"]:
        for block in re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.DOTALL):
            blocks.append((doc.name, block))
    return blocks


def test_every_whole_scenario_in_the_docs_validates_cleanly(project) -> None:  # type: ignore[no-untyped-def]
    from game.engine.loader.load import load_scenario

    whole = [(name, block) for name, block in yaml_blocks() if block.lstrip("# \n").startswith(("format: 1", "yaml-language"))]
    assert whole, "the authoring guide shows at least one whole scenario"
    for number, (name, block) in enumerate(whole):
        path = project / "scenarios" / f"example-{number}.yaml"
        path.write_text(block, encoding="utf-8")
        result = load_scenario(path, use_cache=False)
        assert result.problems == (), (name, [p.render() for p in result.problems])


def insert_fragment(text: str, where: str, fragment: str) -> str:
    """Put a fragment's lines just after the line of `where` (keys joined by dots, as nested)."""
    lines = text.split("\n")
    position = -1
    for depth, key in enumerate(where.split(".")):
        position = next(i for i in range(position + 1, len(lines))
                        if lines[i] == "  " * depth + f"{key}:" or lines[i].startswith("  " * depth + f"{key}: "))
    body = [line for line in fragment.split("\n") if not line.startswith("# in ")]
    return "\n".join(lines[:position + 1] + body + lines[position + 1:])


def test_the_tutorial_steps_build_a_valid_scenario(project) -> None:  # type: ignore[no-untyped-def]
    from game.engine.loader.load import load_scenario
    from game.tools.scaffold import template

    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    fragments = [block for block in re.findall(r"```yaml\n(.*?)```", guide, flags=re.DOTALL)
                 if block.startswith("# in ")]
    assert len(fragments) >= 3, "the tutorial adds a choice, a scene and a fact"
    path = project / "scenarios" / "night-bus.yaml"
    text = template("night-bus", path)
    for fragment in fragments:
        where = fragment.split("\n", 1)[0].removeprefix("# in ").rstrip(":")
        text = insert_fragment(text, where, fragment.rstrip("\n"))
        path.write_text(text, encoding="utf-8")
        result = load_scenario(path, use_cache=False)
        assert result.problems == () or all(p.code == "LA061" for p in result.problems), \
            (where, [p.render() for p in result.problems])
    final = load_scenario(path, use_cache=False)
    assert final.problems == () and final.scenario is not None
    assert "barrier" in final.scenario.scenes and "two-held" in final.scenario.facts


def test_every_excerpt_of_a_shipped_story_is_in_it_word_for_word() -> None:
    excerpts = [block for _, block in yaml_blocks() if block.startswith("# from scenarios/")]
    assert excerpts, "the authoring guide shows the knowledge check as written in a shipped story"
    for block in excerpts:
        first, body = block.split("\n", 1)
        shipped = (REPO / first.removeprefix("# from ")).read_text(encoding="utf-8")
        assert body in shipped, first


def test_every_yaml_example_in_the_docs_is_checked() -> None:
    """Each block is a whole scenario (validated above), a tutorial step (built above) or an excerpt
    of a shipped story (found in it above: the shipped stories are validated by their own tests)."""
    for name, block in yaml_blocks():
        assert block.startswith(("# in ", "# yaml-language-server", "format: 1", "# from scenarios/")), (name, block[:60])
