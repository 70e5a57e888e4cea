"""The class at a glance: recorded games summed up for the teacher's report, in any format.

`summarise(games, scenario_for)` reads the games once and returns a `ClassReport` of frozen
values: who played and finished, and for each scenario the endings by tone, every scene's choices
with the share of students who took each, the facts found and missed, the time taken and the
written answers. Titles and texts come from the scenario when `scenario_for` can load it; ids are
shown otherwise (and facts nobody found cannot be listed then).

A student is a name (any case), or the anonymous id of a student who gave none. Shares count
students: a student who passed a scene more than once (replays, loops) counts for each choice
they took there, so a scene's shares can add up to more than 100%.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from game.classroom.records import GameRecord, iso, utc_now
from game.engine.runtime.model import ID_PATTERN, TONES, Scenario
from game.engine.runtime.text import outline



@dataclass(frozen=True, slots=True)
class Durations:
    """Time from start to ending of the finished games, in seconds (None when there are none)."""

    count: int
    median: float | None
    shortest: float | None
    longest: float | None


@dataclass(frozen=True, slots=True)
class StudentLine:
    name: str
    class_codes: tuple[str, ...]
    games: int
    finished: int  # games that reached an ending
    endings: tuple[str, ...]  # the endings' titles, in the order reached


@dataclass(frozen=True, slots=True)
class EndingLine:
    ending_id: str
    title: str
    tone: str
    games: int


@dataclass(frozen=True, slots=True)
class ToneGroup:
    tone: str
    games: int
    endings: tuple[EndingLine, ...]


@dataclass(frozen=True, slots=True)
class ChoiceLine:
    choice_id: str
    text: str
    students: int
    share: float  # of the students who made a choice in this scene, 0 to 1


@dataclass(frozen=True, slots=True)
class SceneLine:
    scene_id: str
    title: str
    students: int  # who made a choice here
    choices: tuple[ChoiceLine, ...]  # the scene's own order; choices nobody took too, when known


@dataclass(frozen=True, slots=True)
class FactLine:
    fact_id: str
    text: str
    students: int  # students who found it in a finished game


@dataclass(frozen=True, slots=True)
class AnswerLine:
    student: str
    ending: str  # the ending's title
    text: str


@dataclass(frozen=True, slots=True)
class QuestionLine:
    question: str
    answers: tuple[AnswerLine, ...]


@dataclass(frozen=True, slots=True)
class ScenarioReport:
    scenario_id: str
    title: str
    loaded: bool  # the scenario file was found and loaded: titles and texts are the author's
    games: int
    finished_games: int
    students: int
    finished_students: int  # students with at least one finished game
    durations: Durations
    tones: tuple[ToneGroup, ...]  # hopeful, mixed, bitter
    scenes: tuple[SceneLine, ...]
    facts_found: tuple[FactLine, ...]  # most found first
    facts_missed: tuple[FactLine, ...]  # found by nobody (only known when loaded)
    questions: tuple[QuestionLine, ...]


@dataclass(frozen=True, slots=True)
class ClassReport:
    generated_at: str
    class_code: str | None  # the filter asked for, if any
    scenario_id: str | None
    games: tuple[GameRecord, ...]
    students: tuple[StudentLine, ...]
    scenarios: tuple[ScenarioReport, ...]
    durations: Durations
    ending_titles: dict[tuple[str, str], str]  # (scenario id, ending id) -> title

    @property
    def finished_students(self) -> int:
        return sum(1 for student in self.students if student.finished)

    def ending_title(self, game: GameRecord) -> str:
        if game.ending_id is None:
            return ""
        return self.ending_titles.get((game.scenario_id, game.ending_id), game.ending_id)


ScenarioSource = Callable[[str], Scenario | None]


def load_for_report(scenario_id: str) -> Scenario | None:
    """The scenario a results file names, when it is a shipped one that loads; None otherwise."""
    from game.engine.loader.catalog import resolve
    from game.engine.loader.load import load_scenario

    if not ID_PATTERN.match(scenario_id):
        return None
    path = resolve(scenario_id)
    return load_scenario(path).scenario if path is not None else None


def summarise(games: Iterable[GameRecord], scenario_for: ScenarioSource = load_for_report, *,
              class_code: str | None = None, scenario_id: str | None = None) -> ClassReport:
    all_games = tuple(games)
    by_scenario: dict[str, list[GameRecord]] = {}
    for game in all_games:
        by_scenario.setdefault(game.scenario_id, []).append(game)
    scenarios = {sid: scenario_for(sid) for sid in by_scenario}
    titles = {(sid, ending.id): ending.title for sid, scenario in scenarios.items() if scenario
              for ending in scenario.endings.values()}
    for game in all_games:
        if game.ending_id is not None:
            titles.setdefault((game.scenario_id, game.ending_id), game.ending_id)
    reports = tuple(_scenario_report(sid, group, scenarios[sid], titles) for sid, group in by_scenario.items())
    return ClassReport(
        generated_at=iso(utc_now()), class_code=class_code, scenario_id=scenario_id, games=all_games,
        students=_students(all_games, titles), scenarios=tuple(sorted(reports, key=lambda r: r.title.casefold())),
        durations=durations(all_games), ending_titles=titles)


def durations(games: Iterable[GameRecord]) -> Durations:
    times = sorted(seconds for game in games if (seconds := game.seconds) is not None)
    if not times:
        return Durations(0, None, None, None)
    return Durations(len(times), statistics.median(times), times[0], times[-1])


def _students(games: tuple[GameRecord, ...], titles: dict[tuple[str, str], str]) -> tuple[StudentLine, ...]:
    grouped: dict[str, list[GameRecord]] = {}
    for game in games:
        grouped.setdefault(game.student_key, []).append(game)
    lines = []
    for played in grouped.values():
        codes = tuple(dict.fromkeys(game.class_code for game in played if game.class_code))
        endings = tuple(titles[(game.scenario_id, game.ending_id)] for game in played if game.ending_id is not None)
        lines.append(StudentLine(played[0].student, codes, len(played), len(endings), endings))
    return tuple(sorted(lines, key=lambda line: line.name.casefold()))


def _scenario_report(scenario_id: str, games: list[GameRecord], scenario: Scenario | None,
                     titles: dict[tuple[str, str], str]) -> ScenarioReport:
    finished = [game for game in games if game.finished]
    found, missed = _facts(finished, scenario)
    return ScenarioReport(
        scenario_id=scenario_id,
        title=scenario.title if scenario else (games[0].scenario_title or scenario_id),
        loaded=scenario is not None, games=len(games), finished_games=len(finished),
        students=len({game.student_key for game in games}),
        finished_students=len({game.student_key for game in finished}),
        durations=durations(games), tones=_tones(scenario_id, finished, scenario, titles),
        scenes=_scenes(games, scenario), facts_found=found, facts_missed=missed,
        questions=_questions(scenario_id, games, scenario, titles))


def _tones(scenario_id: str, finished: list[GameRecord], scenario: Scenario | None,
           titles: dict[tuple[str, str], str]) -> tuple[ToneGroup, ...]:
    counts: dict[str, int] = {}
    tone_of: dict[str, str] = {}
    if scenario is not None:
        for ending in scenario.endings.values():
            counts[ending.id] = 0
            tone_of[ending.id] = ending.tone
    for game in finished:
        assert game.ending_id is not None
        counts[game.ending_id] = counts.get(game.ending_id, 0) + 1
        tone_of.setdefault(game.ending_id, game.ending_tone or "unknown")
    tones = list(TONES) + sorted({tone for tone in tone_of.values() if tone not in TONES})
    groups = []
    for tone in tones:
        endings = tuple(EndingLine(eid, titles.get((scenario_id, eid), eid), tone, count)
                        for eid, count in counts.items() if tone_of[eid] == tone)
        if endings or tone in TONES:
            groups.append(ToneGroup(tone, sum(e.games for e in endings), endings))
    return tuple(groups)


def _scenes(games: list[GameRecord], scenario: Scenario | None) -> tuple[SceneLine, ...]:
    takers: dict[str, dict[str, set[str]]] = {}  # scene -> choice -> students
    first_seen: dict[str, int] = {}
    for game in games:
        for choice in game.choices:
            takers.setdefault(choice.scene_id, {}).setdefault(choice.choice_id, set()).add(game.student_key)
            first_seen[choice.scene_id] = min(first_seen.get(choice.scene_id, choice.step), choice.step)
    known_scenes = list(scenario.scenes) if scenario else []
    order = [sid for sid in known_scenes if sid in takers]
    order += sorted((sid for sid in takers if sid not in order), key=lambda sid: (first_seen[sid], sid))
    lines = []
    for scene_id in order:
        chosen = takers[scene_id]
        students = len(set().union(*chosen.values()))
        scene = scenario.scenes.get(scene_id) if scenario else None
        texts = {choice.id: outline(choice.text, scenario.texts.get(choice.text))  # type: ignore[union-attr]
                 for choice in scene.choices} if scene else {}
        choice_ids = list(texts) + sorted(cid for cid in chosen if cid not in texts)
        lines.append(SceneLine(scene_id, scene.title if scene else scene_id, students, tuple(
            ChoiceLine(cid, texts.get(cid, cid), len(chosen.get(cid, ())), len(chosen.get(cid, ())) / students)
            for cid in choice_ids)))
    return tuple(lines)


def _facts(finished: list[GameRecord], scenario: Scenario | None) -> tuple[tuple[FactLine, ...], tuple[FactLine, ...]]:
    finders: dict[str, set[str]] = {}
    for game in finished:
        for fact in game.facts_found:
            finders.setdefault(fact, set()).add(game.student_key)
    facts = scenario.facts if scenario else {}
    order = list(facts) + sorted(fid for fid in finders if fid not in facts)
    lines = [FactLine(fid, facts[fid].text if fid in facts else fid, len(finders.get(fid, ()))) for fid in order]
    found = tuple(sorted((line for line in lines if line.students), key=lambda line: -line.students))
    return found, tuple(line for line in lines if not line.students)


def _questions(scenario_id: str, games: list[GameRecord], scenario: Scenario | None,
               titles: dict[tuple[str, str], str]) -> tuple[QuestionLine, ...]:
    answers: dict[str, list[AnswerLine]] = {}
    if scenario is not None:  # the author's order: ending by ending
        for ending in scenario.endings.values():
            for question in ending.debrief.questions:
                answers.setdefault(question, [])
    for game in games:
        for answer in game.answers:
            if answer.answer.strip():
                title = titles.get((scenario_id, game.ending_id or ""), game.ending_id or "")
                answers.setdefault(answer.question, []).append(AnswerLine(game.student, title, answer.answer))
    return tuple(QuestionLine(question, tuple(lines)) for question, lines in answers.items() if lines)
