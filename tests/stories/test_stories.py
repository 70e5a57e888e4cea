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


# ---------------------------------------------------------------------------- issue 11: every side heard

#: A government statement's fact id names the state that spoke: gov-cambodia-passports, gov-malaysia-base.
GOVERNMENT_FACT = re.compile(r"^gov-(cambodia|malaysia|thailand|indonesia)(-[a-z0-9-]+)?$")
HOST_STATES = {"malaysia", "thailand", "indonesia"}


def government_states(story: Scenario, ending_id: str) -> set[str]:
    """The states whose statements an ending's debrief quotes (from the facts' ids)."""
    states = set()
    for fact_id in story.endings[ending_id].debrief.governments:
        match = GOVERNMENT_FACT.match(fact_id)
        assert match, f"{ending_id}: {fact_id} is listed under governments but is not named gov-<state>-..."
        states.add(match.group(1))
    return states


def government_statement_problems(story: Scenario) -> list[str]:
    problems = []
    for ending_id, ending in story.endings.items():
        if not ending.debrief.governments:
            problems.append(f"{ending_id}: no government statement")
            continue
        for fact_id in ending.debrief.governments:
            fact = story.facts[fact_id]
            source = story.sources[fact.source]
            if not fact.quote.strip():
                problems.append(f"{ending_id}: {fact_id} quotes nothing")
            if not (source.url or source.file):
                problems.append(f"{ending_id}: {fact_id} cites {source.id}, which has no address")
        states = government_states(story, ending_id)
        if "cambodia" not in states:
            problems.append(f"{ending_id}: Cambodia's stated reason is not quoted")
        if not states & HOST_STATES:
            problems.append(f"{ending_id}: no host state (Malaysia, Thailand, Indonesia) is quoted")
    return problems


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_debrief_quotes_what_the_governments_said(scenario_id: str) -> None:
    """Every ending quotes Cambodia's stated reason and a host state's, each a verbatim quote with an addressed source."""
    assert government_statement_problems(scenario(scenario_id)) == []


def test_the_government_statement_check_catches_a_silent_debrief() -> None:
    """The check above fails on an ending with no government statement, or with only Cambodia's."""
    from dataclasses import replace

    story = scenario("arrival-hall")
    ending = story.endings["ending-released"]
    silent = replace(ending, debrief=replace(ending.debrief, governments=()))
    one_sided = replace(ending, debrief=replace(ending.debrief, governments=("gov-cambodia-warrant",)))
    for broken in (silent, one_sided):
        broken_story = replace(story, endings={**story.endings, "ending-released": broken})
        assert any(p.startswith("ending-released:") for p in government_statement_problems(broken_story))


#: Named law a stated reason can be weighed against, and how a debrief's facts teach it.
LAW = {
    "ICCPR": lambda fact, source: "Civil and Political Rights" in source.title,
    "Article 12": lambda fact, source: "Civil and Political Rights" in source.title,
    "ASEAN Charter": lambda fact, source: "Association of Southeast Asian Nations" in source.title,
    "Convention against Torture": lambda fact, source: "Convention against Torture" in source.title,
    "non-refoulement": lambda fact, source: "non-refoulement" in fact.text + fact.quote,
}
STATE_NAMES = {"cambodia": "Cambodia", "malaysia": "Malaysia", "thailand": "Thailand", "indonesia": "Indonesia"}


def weighing_questions(story: Scenario, ending_id: str) -> list[str]:
    """Questions that ask students to weigh a government's stated reason against a law the debrief teaches.

    Such a question says "weigh", names a state whose statement the debrief quotes, and names a law
    (the ICCPR or its Article 12, the ASEAN Charter, the Convention against Torture, non-refoulement)
    that one of the debrief's facts sets out, so the student has the text to weigh it against.
    """
    debrief = story.endings[ending_id].debrief
    states = [STATE_NAMES[s] for s in government_states(story, ending_id)]
    taught = {term for term, teaches in LAW.items()
              for fact_id in debrief.facts
              if teaches(story.facts[fact_id], story.sources[story.facts[fact_id].source])}
    return [q for q in debrief.questions
            if re.search(r"\bweigh", q, re.IGNORECASE)
            and any(state in q for state in states)
            and any(term in q for term in taught)]


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_ending_asks_to_weigh_a_stated_reason_against_the_law(scenario_id: str) -> None:
    story = scenario(scenario_id)
    assert [e for e in story.endings if not weighing_questions(story, e)] == []


def test_the_weighing_check_catches_a_debrief_without_one() -> None:
    """The old arrival-hall question on Malaysia ("judges Malaysia in 2019 by Thailand in 2024") weighed nothing."""
    from dataclasses import replace

    story = scenario("arrival-hall")
    ending = story.endings["ending-released"]
    old = ("Why might one government hold someone at an airport because another government asked it to?",
           "Thailand deported Cambodian refugees in 2024. Was Malaysia right to release the three in 2019?")
    broken = replace(ending, debrief=replace(ending.debrief, questions=old))
    assert weighing_questions(replace(story, endings={**story.endings, "ending-released": broken}), "ending-released") == []
    untaught = replace(ending, debrief=replace(ending.debrief, facts=("klia-detention",)))
    assert weighing_questions(replace(story, endings={**story.endings, "ending-released": untaught}), "ending-released") == []


# ---------------------------------------------------------------------------- issue 11: fact and fiction


@pytest.mark.parametrize("scenario_id", IDS)
def test_the_basis_of_each_scene_matches_its_lists(scenario_id: str) -> None:
    """A scene "as reported" adds nothing invented (an invented detail makes it composite); an invented one shows nothing real."""
    story = scenario(scenario_id)
    assert [s.id for s in story.scenes.values() if s.basis == "reported" and s.invented] == []
    assert [s.id for s in story.scenes.values() if s.basis == "invented" and s.real] == []


#: What a story shows, found in its text, and the words its content warnings must then use.
CONTENT = {
    "forced return": re.compile(r"deport|sent back|send (her|him|them|you) back|sent to Phnom Penh|flight to Phnom Penh",
                                re.IGNORECASE),
    "online harassment": re.compile(r"traitor|red circle|red line across|circled people|shared in a group", re.IGNORECASE),
    "abduction": re.compile(r"abduct|forcibly disappeared|enforced disappearance(?! Act)", re.IGNORECASE),
}


def story_text(story: Scenario) -> str:
    """Everything a player can read: scenes, choices, endings, debriefs and the facts they cite."""
    parts = [s.text for s in story.scenes.values()] + [c.text for s in story.scenes.values() for c in s.choices]
    for ending in story.endings.values():
        parts += [ending.text, ending.debrief.summary, *ending.debrief.questions]
    parts += [f"{f.text} {f.quote} {f.note}" for f in story.facts.values()]
    return "\n".join(parts)


def missing_warnings(story: Scenario) -> list[str]:
    warnings = " ".join(story.content_warnings).lower()
    return [name for name, found in CONTENT.items() if found.search(story_text(story)) and name not in warnings]


@pytest.mark.parametrize("scenario_id", IDS)
def test_content_warnings_name_what_the_story_shows(scenario_id: str) -> None:
    assert missing_warnings(scenario(scenario_id)) == []


def test_the_content_warning_check_catches_a_missing_warning() -> None:
    from dataclasses import replace

    story = scenario("arrival-hall")
    assert missing_warnings(replace(story, content_warnings=("detention", "surveillance"))) == [
        "forced return", "online harassment"]


# ---------------------------------------------------------------------------- issue 11: the seed's points


#: The seed's points each reachable debrief must be able to teach: words a cited quote has, and what
#: its summary or a question must then talk about.
SEED_POINTS = {
    "a government co-opting its neighbours (warrants and deportation requests sent to other states)": (
        ("issued warrants for the arrest of CNRP leaders to fellow Asean states",
         "sent a request to all ASEAN member states to arrest and deport"),
        re.compile(r"warrant|asked (every|its|other) .*(government|neighbour|state)|request", re.IGNORECASE)),
    "dual citizenship": (("dual Cambodia-US citizen",), re.compile(r"US passport|dual|US citizenship", re.IGNORECASE)),
    "the \"coup\" framing": (("a coup d’état",), re.compile(r"\bcoup\b", re.IGNORECASE)),
    "airlines as enforcers": (("threatened airlines with prosecution", "the companies can be prosecuted"),
                              re.compile(r"airline", re.IGNORECASE)),
}


def teaching_endings(point: str) -> list[str]:
    quotes, talk = SEED_POINTS[point]
    found = []
    for scenario_id in IDS:
        story = scenario(scenario_id)
        reached = {ending for role in exploration(scenario_id).roles for ending in role.endings}
        for ending_id in sorted(reached):
            debrief = story.endings[ending_id].debrief
            cited = " ".join(normalise_space(story.facts[f].quote) for f in debrief.facts + debrief.governments)
            if any(q in cited for q in quotes) and any(talk.search(t) for t in (debrief.summary, *debrief.questions)):
                found.append(f"{scenario_id}/{ending_id}")
    return found


@pytest.mark.parametrize("point", list(SEED_POINTS))
def test_the_seeds_central_points_are_taught_by_a_reachable_debrief(point: str) -> None:
    assert teaching_endings(point), point


# ---------------------------------------------------------------------------- issue 11: every choice answered


def hidden_names(story: Scenario) -> set[str]:
    return {s.id for s in story.stats.values() if s.hidden}


@pytest.mark.parametrize("scenario_id", IDS)
def test_a_chance_that_changes_what_the_player_sees_lands_somewhere_that_says_so(scenario_id: str) -> None:
    """Outcomes of one random choice that lead to the same place may differ only in hidden state,
    or in what the text of that place tells apart.

    Otherwise the result of the draw (argued and won, or argued and lost) would show only as a number
    in the side panel: each visible result is narrated, by a scene of its own or by a variant
    (`{if ...}`) of the scene it lands in that reads what differs.
    """
    from game.engine.runtime.text import template_reads

    story = scenario(scenario_id)
    hidden = hidden_names(story)
    silent = []
    for scene in story.scenes.values():
        for choice in scene.choices:
            by_target: dict[str, set[tuple]] = {}
            for outcome in choice.outcomes:
                visible = tuple(sorted((e.name, e.op, e.value) for e in outcome.effects if e.name not in hidden))
                by_target.setdefault(outcome.goto, set()).add(visible)
            for target, seen in by_target.items():
                names = {name for effects in seen for name, _, _ in effects}
                differing = {name for name in names  # what this name gets differs from outcome to outcome
                             if len({tuple(e for e in effects if e[0] == name) for effects in seen}) > 1}
                place = story.scenes.get(target) or story.endings[target]
                template = story.texts.get(place.text)
                told = {name for _, name in template_reads(template)[0]} if template is not None else set()
                if len(seen) > 1 and not differing <= told:
                    silent.append(f"{scene.id}/{choice.id} -> {target}")
    assert silent == []
