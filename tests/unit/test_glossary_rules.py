"""The guide's glossary section says how a term is matched; this is that, checked on the app's own linker."""

from __future__ import annotations

from game.tui.authored import link_glossary_terms
from shared import REPO

TERMS = {"CNRP": "", "CNRP leader": "", "Transnational repression": "", "ASEAN": ""}


def links(text: str) -> list[str]:
    linked = link_glossary_terms(text, TERMS)
    return [part.split("]")[0] for part in linked.split("[")[1:]]


def test_the_guide_states_these_rules() -> None:
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = guide[guide.index("## The glossary"):guide.index("## What `validate` checks")]
    for rule in ("with the same capitals", "whole word or phrase", "one\nspace between them on one line",
                 "Longer terms are matched first", "first mention of each\nterm"):
        assert rule.replace("\n", " ") in " ".join(section.split()), rule


def test_terms_match_as_written_whole_and_on_one_line() -> None:
    assert links("Transnational repression is old.") == ["Transnational repression"]
    assert links("It is transnational repression.") == []  # other capitals: no match
    assert links("Transnational\nrepression") == [] and links("Transnational  repression") == []
    assert links("The CNRPs and ex-CNRP and CNRP-era") == []  # inside or joined to a longer word
    assert links("The CNRP leader met the CNRP.") == ["CNRP leader", "CNRP"]  # the longer term first
    assert links("ASEAN, then ASEAN again") == ["ASEAN"]  # the first mention only
