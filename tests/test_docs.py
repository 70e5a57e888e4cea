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
    from game.engine.load import load_scenario

    whole = [(name, block) for name, block in yaml_blocks() if block.lstrip("# \n").startswith(("format: 1", "yaml-language"))]
    assert whole, "the authoring guide shows at least one whole scenario"
    for number, (name, block) in enumerate(whole):
        path = project / "scenarios" / f"example-{number}.yaml"
        path.write_text(block, encoding="utf-8")
        result = load_scenario(path, use_cache=False)
        assert result.problems == (), (name, [p.render() for p in result.problems])
