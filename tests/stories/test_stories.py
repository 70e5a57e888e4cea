"""The shipped stories: complete, reachable, sourced, and true to the seed article.

These checks hold as the stories change: every ending reachable (an exhaustive search over game
states, conditions and random outcomes included), every seed event cited by a reachable ending's
debrief with a verbatim quote, the per-scenario counts of the stories brief, and a golden
transcript of a plain-mode playthrough to every ending (`LONGARM_UPDATE_GOLDEN=1` rewrites them;
read the diff before committing).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest

from game.engine.search.explore import Exploration, explore
from game.engine.loader.build import normalise_space
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.engine.search.routes import Replayed, replay_path
from game.engine.runtime.saves import SaveData, write_save
from game.plain import transcript
from game.tools.golden import replay_diff
from shared import REPO

SCENARIO_FILES = sorted((REPO / "scenarios").glob("*.yaml"))
IDS = [path.stem for path in SCENARIO_FILES]
GOLDEN = REPO / "tests" / "golden"
SEED_TEXT = normalise_space((REPO / "seeds" / "amnesty-2019-11-08-cambodia.txt").read_text(encoding="utf-8"))

#: Every event of the seed article, and words of the seed's own sentence that a quote citing it has.
SEED_EVENTS = {
    "Kuala Lumpur airport detention": "upon arrival at Kuala Lumpur International Airport",
    "two held in Malaysia since Monday": "detained by the Malaysian authorities since Monday",
    "their release announced": "they would also be released by the Malaysian authorities",
    "12 passports revoked": "revoked the passports of 12",
    "Samut Prakan": "Samut Prakan",
    "Pathum Thani": "Pathum Thani",
    "Jakarta press conference and the ambassador": "ambassador to Indonesia disrupted the event",
    "earlier denial of entry to Thailand": "denied entry to Thailand",
    "airline threats": "threatened airlines with prosecution",
    "Paris check-in refusal": "denied checking in to a flight from Paris to Bangkok",
    "Thai prime minister's statement": "Prayut Chan-o-cha said that Rainsy would not be allowed",
}
GLOSSARY_TERMS = ["CNRP", "ASEAN", "non-refoulement", "UNHCR", "transnational repression", "deportation",
                  "dual citizenship", "in absentia"]


@cache
def scenario(scenario_id: str) -> Scenario:
    result = load_scenario(REPO / "scenarios" / f"{scenario_id}.yaml", use_cache=False)
    assert result.scenario is not None, [p.render() for p in result.problems]
    return result.scenario


@cache
def exploration(scenario_id: str) -> Exploration:
    return explore(scenario(scenario_id))


def words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def test_there_are_at_least_three_stories() -> None:
    assert len(SCENARIO_FILES) >= 3


@pytest.mark.parametrize("scenario_id", IDS)
def test_validates_with_no_warnings(scenario_id: str) -> None:
    assert load_scenario(REPO / "scenarios" / f"{scenario_id}.yaml", use_cache=False).problems == ()


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_ending_is_reachable_and_nothing_is_a_trap(scenario_id: str) -> None:
    found = exploration(scenario_id)
    assert found.ok, (found.unreachable_endings, [t.path for t in found.traps])
    assert found.unreached_scenes == () and found.never_open == ()
    reached = {ending for role in found.roles for ending in role.endings}
    assert reached == set(scenario(scenario_id).endings)


@pytest.mark.parametrize("scenario_id", IDS)
def test_size_and_shape_of_each_story(scenario_id: str) -> None:
    story = scenario(scenario_id)
    assert 10 <= story.minutes <= 20
    assert len(story.scenes) >= 25 and len(story.endings) >= 4
    assert story.content_warnings and story.learning_objectives
    for scene in story.scenes.values():
        assert 2 <= len(scene.choices) <= 4, scene.id
        assert 60 <= words(scene.text) <= 160, (scene.id, words(scene.text))
    for ending in story.endings.values():
        assert 3 <= len(ending.debrief.questions) <= 5, ending.id
        assert ending.debrief.summary and ending.debrief.facts, ending.id
    assert {ending.tone for ending in story.endings.values()} >= {"hopeful", "bitter"}
    assert any(choice.outcomes for scene in story.scenes.values() for choice in scene.choices)
    assert any(choice.condition is not None for scene in story.scenes.values() for choice in scene.choices)


def test_both_roles_are_in_at_least_two_stories() -> None:
    for role in ("journalist", "activist"):
        assert sum(role in scenario(i).roles for i in IDS) >= 2, role


@pytest.mark.parametrize("scenario_id", IDS)
def test_each_role_reaches_several_endings(scenario_id: str) -> None:
    for role in exploration(scenario_id).roles:
        assert len(role.endings) >= 2, role.role


def test_every_seed_event_is_cited_verbatim_by_a_reachable_ending() -> None:
    cited: dict[str, list[str]] = {event: [] for event in SEED_EVENTS}
    for scenario_id in IDS:
        story = scenario(scenario_id)
        reached = {ending for role in exploration(scenario_id).roles for ending in role.endings}
        for ending_id in reached:
            for fact_id in story.endings[ending_id].debrief.facts:
                fact = story.facts[fact_id]
                if not story.sources[fact.source].file.endswith("amnesty-2019-11-08-cambodia.txt"):
                    continue
                quote = normalise_space(fact.quote)
                for event, words_of_seed in SEED_EVENTS.items():
                    if words_of_seed in quote:
                        cited[event].append(f"{scenario_id}/{ending_id}")
    assert [event for event, where in cited.items() if not where] == []


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_quote_from_a_local_source_is_verbatim(scenario_id: str) -> None:
    story = scenario(scenario_id)
    for fact in story.facts.values():
        source = story.sources[fact.source]
        if fact.quote and source.file:
            text = normalise_space(Path(source.file).read_text(encoding="utf-8"))
            assert normalise_space(fact.quote) in text, fact.id


def test_where_sources_disagree_the_stories_say_so() -> None:
    notes = " ".join(fact.note for i in IDS for fact in scenario(i).facts.values())
    assert "yesterday" in notes and "6 November" in notes  # Amnesty's "yesterday", which The Nation's copy made the 7th
    assert "2021" in notes  # the seed copy's heading date, against the statement's 8 November 2019
    assert "19 hours" in notes  # how long Mu Sochua was held: most of a day, or overnight


def test_the_glossaries_explain_the_hard_terms() -> None:
    terms = {term.lower() for i in IDS for term in scenario(i).glossary}
    assert [term for term in GLOSSARY_TERMS if term.lower() not in terms] == []


# ---------------------------------------------------------------------------- golden transcripts


def golden_routes(scenario_id: str) -> dict[str, Replayed]:
    """For each (ending, role) the search reached: a seed and the shortest choices, replayed."""
    routes: dict[str, Replayed] = {}
    for role in exploration(scenario_id).roles:
        for ending_id, steps in role.endings.items():
            replayed = replay_path(scenario(scenario_id), role.role, steps)
            assert isinstance(replayed, Replayed), (ending_id, replayed)
            routes[f"{ending_id}--{role.role}"] = replayed
    return routes


@pytest.mark.parametrize("scenario_id", IDS)
def test_golden_transcripts_to_every_ending(scenario_id: str, tmp_path: Path) -> None:
    story = scenario(scenario_id)
    folder = GOLDEN / scenario_id
    if os.environ.get("LONGARM_UPDATE_GOLDEN"):
        for old in folder.glob("*.json"):
            old.unlink()
        for name, route in golden_routes(scenario_id).items():
            choices = tuple(story_choice_ids(story, route))
            save = SaveData(story.id, route.role, route.seed, choices, story.content_hash, saved_at="")
            write_save(save, folder / f"{name}.json", {"transcript": transcript(story, route.role, route.seed, choices)})
    recordings = sorted(folder.glob("*.json"))
    covered = {path.stem.split("--")[0] for path in recordings}
    assert covered == set(story.endings), "run with LONGARM_UPDATE_GOLDEN=1 to record the missing endings"
    for recording in recordings:
        recorded, now = replay_diff(story, recording)
        assert now == recorded, f"{recording.name} changed: `longarm playtest {scenario_id} --replay {recording}`"
        assert "== Debrief: what really happened ==" in now


def story_choice_ids(story: Scenario, route: Replayed) -> list[str]:
    """The choice ids a replayed route took, from the option numbers it shows."""
    from game.engine.runtime.state import Game

    game = Game(story, route.role, route.seed)
    ids = []
    for number in route.numbers:
        choice_id = [o.choice.id for o in game.options() if o.available][number - 1]
        ids.append(choice_id)
        game.choose(choice_id)
    return ids


# ---------------------------------------------------------------------------- the passport date


def _prose(node: object, key: str = "") -> list[str]:
    """Every string in a scenario file except quotes (a quote of The Nation's copy may carry its date)."""
    if isinstance(node, dict):
        return [text for k, value in node.items() if k != "quote" for text in _prose(value, k)]
    if isinstance(node, list):
        return [text for item in node for text in _prose(item, key)]
    return [node] if isinstance(node, str) else []


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", " ".join(text.split())) if s]


REVOCATION = re.compile(r"passport|revo[ck]|cancell", re.IGNORECASE)
SEVENTH = re.compile(r"\b7 November\b|\bNovember 7\b|\bthe 7th\b|6 or 7 November", re.IGNORECASE)
REPUBLISHED = re.compile(r"Nation|republish|cop(y|ies)|yesterday", re.IGNORECASE)
DISAGREE = re.compile(r"disagree|differ|6 or 7 November", re.IGNORECASE)


def test_no_text_says_amnesty_dated_the_revocation_7_november_or_that_sources_disagree() -> None:
    """Amnesty wrote "yesterday" on 7 November: Wednesday 6 November, like the ministry's letter.

    "Thursday (November 7)" was made by The Nation when it republished the statement. No scenario text
    or teaching note may say that Amnesty dated the revocation 7 November, or that the sources disagree
    on the day; they may say what the republished copy says, naming it.
    """
    import yaml

    texts = [(path.name, text) for path in SCENARIO_FILES
             for text in _prose(yaml.safe_load(path.read_text(encoding="utf-8")))]
    texts.append(("docs/teaching.md", (REPO / "docs" / "teaching.md").read_text(encoding="utf-8")))
    wrong = []
    for where, text in texts:
        for sentence in _sentences(text):
            if not REVOCATION.search(sentence):
                continue
            if "Amnesty" in sentence and SEVENTH.search(sentence) and not REPUBLISHED.search(sentence):
                wrong.append((where, sentence))
            elif DISAGREE.search(sentence) and not re.search(r"cop(y|ies)|republish", sentence, re.IGNORECASE):
                wrong.append((where, sentence))
    assert wrong == []


def test_the_passport_date_check_catches_the_old_wording() -> None:
    """The check above finds the sentences it was written against."""
    old = ["Amnesty says the passports were cancelled on Thursday 7 November, but the letter VOD English saw is dated 6.",
           "Sources differ on small details, such as whether the passports were cancelled on 6 or 7 November.",
           "Amnesty and VOD English give different dates for the passport cancellations; the sources disagree."]
    for sentence in old:
        assert REVOCATION.search(sentence)
        assert (("Amnesty" in sentence and SEVENTH.search(sentence) and not REPUBLISHED.search(sentence))
                or (DISAGREE.search(sentence) and not re.search(r"cop(y|ies)|republish", sentence, re.IGNORECASE)))
