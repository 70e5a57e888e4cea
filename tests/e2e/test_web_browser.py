"""The web edition in a real browser: Debian's Chromium, headless, driven by Playwright, against
`python -m game serve` running as a process of its own on a free loopback port (a temp results
file, a temp data folder), as a class uses it.

Each student (and the teacher) is a fresh browser context: their own cookies. The tests prove: a
student joins, plays a shipped story to its ending (a locked choice shown with its reason, undo),
answers, saves and downloads the debrief, and all of it is in the results file; the teacher, with
the code the banner printed, sees a student arrive, play and answer without reloading, opens the
report and ends the session; the whole game plays by keyboard alone (Tab, Enter, Space) with a
visible focus; the whole game plays with JavaScript off, and so does the teacher's page; a 375x667
phone (and a 320 px screen) never scrolls sideways; axe-core finds no serious or critical
violation on the join, picker, scene, glossary, debrief and teacher pages, light and dark. Every
page loads nothing but the server's own files and logs no error (a script or a style blocked by the
Content-Security-Policy would log one).

Skipped, with the reason, only when Chromium or Playwright for Python is missing; the axe test is
skipped when axe-core is not installed (`.ci/run` installs it and names it in `LONGARM_AXE_JS`; a
`LONGARM_AXE_JS` that names no file fails the test).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.web import Served, serve_class

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: `apt-get install chromium`")
expect = playwright_api.expect
expect.set_options(timeout=10_000)  # the machine may be busy: wait longer for a page to show a change

# The flags this machine's Chromium needs as root, headless, with no network beyond loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPO = Path(__file__).resolve().parents[2]
CLASS_CODE = "HISTORY-9B"
#: Where `.ci/run` puts axe-core (from npm); `LONGARM_AXE_JS` names another copy.
AXE_DEFAULT = REPO / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
#: No shipped story is longer than this many choices.
MOST_CHOICES = 40
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 667}


@dataclass
class Classroom:
    """A running server and its results file."""

    served: Served
    results: Path

    @property
    def base(self) -> str:
        return self.served.base

    @property
    def teacher_code(self) -> str:
        """The teacher code, as the banner in the server's terminal printed it."""
        return self.served.banner_value("Teacher code")

    def games(self) -> list[dict[str, Any]]:
        """Every game in the results file, with its choices and answers (read with sqlite3)."""
        with sqlite3.connect(f"file:{self.results}?mode=ro", uri=True) as connection:
            connection.row_factory = sqlite3.Row
            games = [dict(row) for row in connection.execute("SELECT * FROM games ORDER BY started_at")]
            for game in games:
                game["choices"] = [row[0] for row in connection.execute(
                    "SELECT choice_id FROM choices WHERE game_id = ? ORDER BY step", (game["id"],))]
                game["answers"] = [row[0] for row in connection.execute(
                    "SELECT answer FROM answers WHERE game_id = ? ORDER BY question_index", (game["id"],))]
        return games


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _class_in(folder: Path) -> Iterator[Classroom]:
    with serve_class(folder / "results.sqlite", folder / "data", CLASS_CODE) as served:
        yield Classroom(served, folder / "results.sqlite")


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Classroom]:
    """One class shared by the tests of this module (each test is other students)."""
    yield from _class_in(tmp_path_factory.mktemp("class"))


@pytest.fixture
def own_classroom(tmp_path: Path) -> Iterator[Classroom]:
    """A class of its own, for a test that ends the session."""
    yield from _class_in(tmp_path)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Opens a page in a new browser context (a new student or teacher). At the end, every page
    must have requested nothing but the server's own addresses and logged no error."""
    contexts: list[Any] = []
    problems: list[str] = []

    def open_(classroom: Classroom, refused: tuple[str, ...] = (), **options: Any) -> Any:
        """A page; `refused` lists the paths the test expects a 4xx answer from (a wrong code)."""
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        own = classroom.base + "/"

        def answered(response: Any) -> None:
            if response.status >= 400 and response.url.removeprefix(classroom.base) not in refused:
                problems.append(f"{response.status} from {response.url}")

        page.on("request", lambda request: None if request.url.startswith(own) else problems.append(
            f"a request to {request.url}"))
        page.on("response", answered)
        page.on("pageerror", lambda error: problems.append(f"a script error: {error}"))
        page.on("console", lambda message: problems.append(f"console: {message.text} ({message.location['url']})")
                if message.type == "error" and message.location["url"].removeprefix(classroom.base) not in refused
                else None)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert problems == [], "\n".join(problems)


# ---------------------------------------------------------------------------------------- helpers


def submit(page: Any, selector: str | None = None, key: str | None = None) -> None:
    """Click `selector`, or press `key` (on `selector`, else on the focused element), and wait for
    the page it leads to."""
    with page.expect_navigation():
        if key is None:
            page.click(selector)
        elif selector is None:
            page.keyboard.press(key)
        else:
            page.press(selector, key)


def join(page: Any, classroom: Classroom, name: str = "") -> None:
    """Join the class (the code typed in lower case: case does not matter) and reach the picker."""
    page.goto(classroom.base + "/")
    page.fill("#code", CLASS_CODE.lower())
    page.fill("#name", name)
    submit(page, "#join")
    expect(page.locator("h1")).to_have_text("Pick a story")


def check_locked(page: Any) -> int:
    """Every locked choice on the page is a disabled button described by its reason; how many."""
    locked = page.locator("button[id^='locked-']")
    for index in range(locked.count()):
        button = locked.nth(index)
        expect(button).to_be_disabled()
        reason = page.locator(f"#{button.get_attribute('aria-describedby')}")
        expect(reason).to_contain_text("Locked: ")
    return int(locked.count())


def play_to_ending(page: Any, at_scene: Callable[[Any, int], None] | None = None,
                   choose: Callable[[Any], None] | None = None) -> int:
    """Take the first open choice until the debrief; `at_scene(page, step)` looks at each scene
    first. Returns the number of choices taken."""
    steps = 0
    while page.locator("#choice-1").count():
        assert steps < MOST_CHOICES, "no ending after many choices"
        expect(page.locator("#story-line")).to_contain_text(f"choice {steps + 1}")
        if at_scene is not None:
            at_scene(page, steps)
        if choose is not None:
            choose(page)
        else:
            submit(page, "#choice-1")
        steps += 1
    expect(page.locator("#ending-title")).to_be_visible()
    expect(page.locator("#story-line")).to_contain_text("the end")
    return steps


def eventually(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Poll `condition` until it holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        time.sleep(0.05)


def game_of(classroom: Classroom, **match: Any) -> dict[str, Any]:
    """The one game in the results file whose columns have these values."""
    found = [game for game in classroom.games() if all(game[key] == value for key, value in match.items())]
    assert len(found) == 1, f"{len(found)} games match {match}"
    return found[0]


def download(page: Any, press: Callable[[], None]) -> tuple[str, str]:
    """The file a button downloads: its suggested name and its text."""
    with page.expect_download() as info:
        press()
    got = info.value
    return got.suggested_filename, Path(got.path()).read_text(encoding="utf-8")


def teacher_login(page: Any, classroom: Classroom) -> None:
    page.goto(classroom.base + "/teacher")
    page.fill("#teacher-code", classroom.teacher_code)
    submit(page, "#login")
    expect(page.locator("#health")).to_have_text("Results file: ok: every write is saved")


def focused_id(page: Any) -> str:
    return str(page.evaluate("document.activeElement ? document.activeElement.id : ''"))


def tab_to(page: Any, element_id: str, most: int = 250) -> None:
    """Press Tab until the element with this id has the focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if focused_id(page) == element_id:
            return
    raise AssertionError(f"#{element_id} never took the focus after {most} Tabs")


def focus_is_visible(page: Any) -> bool:
    """The focused element is drawn with an outline (the :focus-visible style)."""
    style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); "
                          "return [s.outlineStyle, s.outlineWidth]; })()")
    return bool(style[0] != "none" and style[1] not in ("0px", ""))


# ---------------------------------------------------------------------------------------- tests


def test_a_student_joins_plays_to_an_ending_answers_and_downloads_the_debrief(
        classroom: Classroom, open_page: Callable[..., Any]) -> None:
    page = open_page(classroom)
    join(page, classroom, "Ana")
    submit(page, "#start-arrival-hall-journalist")
    first = page.locator("#scene-title").inner_text()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#undo")).to_have_count(0)  # nothing to undo yet

    submit(page, "#choice-1")  # a choice, then undo it: back where we were, at choice 1
    expect(page.locator("#story-line")).to_contain_text("choice 2")
    submit(page, "#undo")
    expect(page.locator("#scene-title")).to_have_text(first)
    expect(page.locator("#story-line")).to_contain_text("choice 1")

    locked: list[int] = []
    steps = play_to_ending(page, lambda page, step: locked.append(check_locked(page)))
    assert sum(locked) >= 1  # this path passes a locked choice ("Locked: No editor will pay ...")
    ending = page.locator("#ending-title").inner_text()
    questions = page.locator("textarea[id^='answer-']").count()
    assert questions >= 2

    page.fill("#answer-1", "Because they were asked. <b>not bold</b>")
    submit(page, "#save-answers")
    expect(page.locator("main")).to_contain_text("Your answers are saved.")
    expect(page.locator("#answer-1")).to_have_value("Because they were asked. <b>not bold</b>")
    page.fill("#answer-2", "A second answer.")
    name, text = download(page, lambda: page.click("#export"))
    assert name.startswith("longarm-arrival-hall-") and name.endswith(".md")
    assert f"# Arrival Hall: {ending}" in text
    assert "> Because they were asked. <b>not bold</b>" in text and "> A second answer." in text

    game = game_of(classroom, player="Ana")  # the file has it all: every choice, the ending, the answers
    assert len(game["choices"]) == steps and game["ending_id"] and game["class_code"] == CLASS_CODE
    eventually(lambda: game_of(classroom, player="Ana")["answers"][:2] == [
        "Because they were asked. <b>not bold</b>", "A second answer."])

    submit(page, "#again-same")  # play again: a new game, at its first choice
    expect(page.locator("#story-line")).to_contain_text("Freelance journalist · choice 1")


def test_the_teacher_sees_a_student_arrive_play_and_answer_live_opens_the_report_and_ends_the_session(
        own_classroom: Classroom, open_page: Callable[..., Any]) -> None:
    classroom = own_classroom
    teacher = open_page(classroom)
    teacher_login(teacher, classroom)
    expect(teacher.locator("#live")).to_be_visible()  # the live stream is connected
    expect(teacher.locator("#counts")).to_have_text("0 joined, 0 playing, 0 reached an ending.")
    teacher.evaluate("window.sameDocument = true")  # gone if the page reloads

    student = open_page(classroom)
    join(student, classroom, "Dara")
    rows = teacher.locator("#student-rows")
    expect(rows).to_contain_text("Dara")
    expect(rows).to_contain_text("picking a story")
    submit(student, "#start-arrival-hall-journalist")
    expect(rows).to_contain_text("Arrival Hall (Freelance journalist)")
    play_to_ending(student)
    ending = student.locator("#ending-title").inner_text()
    expect(rows).to_contain_text(ending)
    expect(teacher.locator("#counts")).to_have_text("1 joined, 1 playing, 1 reached an ending.")
    student.fill("#answer-1", "Dara's answer: because they were asked to.")
    submit(student, "#save-answers")
    expect(teacher.locator("#answer-list")).to_contain_text("Dara's answer: because they were asked to.")
    namesake = open_page(classroom)  # another Dara: two students, told apart by their ids
    join(namesake, classroom, "Dara")
    submit(namesake, "#start-arrival-hall-journalist")
    play_to_ending(namesake)
    namesake.fill("#answer-1", "The other Dara's answer.")
    submit(namesake, "#save-answers")
    expect(teacher.locator("#answer-list")).to_contain_text("The other Dara's answer.")
    expect(teacher.locator("#counts")).to_have_text("2 joined, 2 playing, 2 reached an ending.")
    headings = teacher.locator("#answer-list h3").all_inner_texts()
    assert len(headings) == 2 and len(set(headings)) == 2 and all(h.startswith("Dara (student-") for h in headings)
    assert teacher.evaluate("window.sameDocument === true")  # all of it arrived without a reload
    teacher.reload()  # drawn by the server, the same
    assert sorted(teacher.locator("#answer-list h3").all_inner_texts()) == sorted(headings)

    submit(teacher, "#report")
    expect(teacher.locator("body")).to_contain_text("Dara's answer: because they were asked to.")
    expect(teacher.locator("body")).to_contain_text(ending)

    teacher.goto(classroom.base + "/teacher")
    teacher.check("#confirm-end")
    submit(teacher, "#end-session")
    expect(teacher.locator("#ended-note")).to_be_visible()
    student.reload()
    expect(student.locator("#session-ended")).to_be_visible()
    expect(student.locator("#again-same")).to_be_disabled()
    expect(student.locator("#save-answers")).to_be_enabled()  # answers can still be saved
    newcomer = open_page(classroom)
    newcomer.goto(classroom.base + "/")
    expect(newcomer.locator("main")).to_contain_text("This class session has ended.")
    expect(newcomer.locator("#join")).to_have_count(0)


def test_the_whole_game_plays_by_keyboard_alone_with_the_focus_always_visible(
        classroom: Classroom, open_page: Callable[..., Any]) -> None:
    page = open_page(classroom)
    page.goto(classroom.base + "/")
    page.keyboard.press("Tab")  # first: the skip link, shown when focused
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0 and focus_is_visible(page)
    tab_to(page, "code")
    page.keyboard.type(CLASS_CODE)
    tab_to(page, "name")
    page.keyboard.type("Kim")
    tab_to(page, "join")
    assert focus_is_visible(page)
    submit(page, key="Enter")
    tab_to(page, "start-arrival-hall-activist")
    submit(page, key=" ")
    expect(page.locator("#story-line")).to_contain_text("Cambodian supporter in Malaysia · choice 1")

    tab_to(page, "choice-1")
    submit(page, key="Enter")
    tab_to(page, "undo")
    submit(page, key=" ")
    expect(page.locator("#story-line")).to_contain_text("choice 1")

    def by_keys(page: Any) -> None:
        tab_to(page, "choice-1")
        assert focus_is_visible(page)
        submit(page, key="Enter")

    play_to_ending(page, choose=by_keys)
    tab_to(page, "answer-1")
    assert focus_is_visible(page)
    page.keyboard.type("Typed with the keyboard.")
    tab_to(page, "save-answers")
    submit(page, key=" ")
    expect(page.locator("main")).to_contain_text("Your answers are saved.")
    expect(page.locator("#answer-1")).to_have_value("Typed with the keyboard.")
    tab_to(page, "export")
    _, text = download(page, lambda: page.keyboard.press("Enter"))
    assert "> Typed with the keyboard." in text
    tab_to(page, "again-same")
    submit(page, key="Enter")
    expect(page.locator("#story-line")).to_contain_text("choice 1")


def test_with_javascript_off_the_whole_game_plays_and_the_teacher_page_works(
        classroom: Classroom, open_page: Callable[..., Any]) -> None:
    page = open_page(classroom, java_script_enabled=False)
    join(page, classroom)  # no name: anonymous
    submit(page, "#start-the-way-home-activist")
    submit(page, "#choice-1")
    submit(page, "#undo")
    expect(page.locator("#story-line")).to_contain_text("choice 1")

    submit(page, "#nav-glossary")  # the glossary's search is a plain GET form
    expect(page.locator("h1")).to_have_text("Glossary")
    page.fill("#glossary-search", "CNRP")
    submit(page, "#glossary-search", key="Enter")
    expect(page.locator("#glossary dt")).to_contain_text(["CNRP"])
    submit(page, "text=Back to the story")

    play_to_ending(page)
    page.fill("#answer-1", "Written with no JavaScript.")
    submit(page, "#save-answers")
    expect(page.locator("main")).to_contain_text("Your answers are saved.")
    name, text = download(page, lambda: page.click("#export"))
    assert name.startswith("longarm-the-way-home-") and "> Written with no JavaScript." in text
    game = game_of(classroom, scenario_id="the-way-home", role="activist", player=None)
    eventually(lambda: game_of(classroom, id=game["id"])["answers"][:1] == ["Written with no JavaScript."])

    teacher = open_page(classroom, java_script_enabled=False)
    teacher_login(teacher, classroom)
    expect(teacher.locator("#live")).to_be_hidden()  # no live stream: the Refresh link instead
    row = teacher.locator("#student-rows tr", has_text=game["anonymous_id"])
    expect(row).to_contain_text("The Way Home")
    expect(row).to_contain_text(page.locator("#ending-title").inner_text())
    expect(teacher.locator("#answer-list")).to_contain_text("Written with no JavaScript.")
    submit(teacher, "#refresh")
    expect(teacher.locator("#counts")).to_contain_text("joined")


def tour(open_page: Callable[..., Any], classroom: Classroom, look: Callable[[Any, str], None], story: str,
         scenes: Callable[[Any, int], bool] = lambda page, step: True, **options: Any) -> list[str]:
    """Every kind of page of a class, with `look(page, where)` at each: the join page, a refused
    join, the picker, the scenes of `story` (those `scenes(page, step)` picks), the debrief, the
    glossary, the teacher's login and the teacher's page. Returns where it looked."""
    seen: list[str] = []

    def at(page: Any, where: str) -> None:
        look(page, where)
        seen.append(where)

    page = open_page(classroom, refused=("/join",), **options)
    page.goto(classroom.base + "/")
    at(page, "the join page")
    page.fill("#code", "WRONG-CODE")
    submit(page, "#join")
    expect(page.locator("#join-error")).to_be_visible()
    at(page, "a refused join")
    join(page, classroom, "A name long enough to wrap on a small phone screen")
    at(page, "the story picker")
    submit(page, f"#start-{story}")
    play_to_ending(page, lambda page, step: at(page, f"scene {step + 1}") if scenes(page, step) else None)
    answer = "An answer long enough to wrap, " * 10
    page.fill("#answer-1", answer)
    submit(page, "#save-answers")
    expect(page.locator("main")).to_contain_text("Your answers are saved.")
    at(page, "the debrief")
    submit(page, "#nav-glossary")
    at(page, "the glossary")
    teacher = open_page(classroom, **options)
    teacher.goto(classroom.base + "/teacher")
    at(teacher, "the teacher's login")
    teacher_login(teacher, classroom)
    expect(teacher.locator("#answer-list")).to_contain_text(answer.strip())
    at(teacher, "the teacher's page")
    return seen


def open_every_details(page: Any) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def test_a_phone_never_scrolls_sideways(classroom: Classroom, open_page: Callable[..., Any]) -> None:
    def fits(page: Any, where: str) -> None:
        open_every_details(page)
        for width in (PHONE["width"], 320):
            page.set_viewport_size({"width": width, "height": PHONE["height"]})
            wide, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
            assert wide <= inner, f"{where} at {width} px is {wide} px wide"
        page.set_viewport_size(PHONE)

    seen = tour(open_page, classroom, fits, "under-watch-journalist", viewport=PHONE)
    assert len(seen) >= 15


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return {
    checked: result.passes.length,
    serious: result.violations
      .filter(v => v.impact === "serious" || v.impact === "critical")
      .map(v => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`),
  };
}"""


def axe_script() -> Path:
    named = os.environ.get("LONGARM_AXE_JS")
    if named:
        assert Path(named).is_file(), f"LONGARM_AXE_JS names {named}, which is not a file"
        return Path(named)
    if not AXE_DEFAULT.is_file():
        pytest.skip("axe-core is not installed: `npm install --prefix .ci/node --no-save axe-core@4` "
                    "(or name axe.min.js in LONGARM_AXE_JS)")
    return AXE_DEFAULT


def test_axe_finds_no_serious_or_critical_violation_in_light_and_dark(
        classroom: Classroom, open_page: Callable[..., Any]) -> None:
    axe = axe_script()
    found: list[str] = []
    checked: list[str] = []

    def audit(page: Any, where: str) -> None:
        open_every_details(page)
        if not page.evaluate("typeof window.axe === 'object'"):
            page.add_script_tag(path=str(axe))  # the page's CSP would block it: bypass_csp
        backgrounds = set()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            backgrounds.add(page.evaluate("getComputedStyle(document.body).backgroundColor"))
            result = page.evaluate(AXE_RUN)
            assert result["checked"] > 0  # axe really ran its rules
            found.extend(f"{where}, {scheme}: {line}" for line in result["serious"])
            checked.append(f"{where}, {scheme}")
        assert len(backgrounds) == 2, f"{where}: the dark scheme changed nothing"

    def first_or_locked(page: Any, step: int) -> bool:
        return step == 0 or bool(page.locator("button[id^='locked-']").count())

    tour(open_page, classroom, audit, "arrival-hall-journalist", first_or_locked, bypass_csp=True)
    assert len(checked) == 2 * 10  # eight pages and two scenes (the first, the locked choice), light and dark
    assert found == [], "\n".join(found)
