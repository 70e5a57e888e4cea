"""The students' pages: join, pick a story, play a scene, the debrief with its answers and export,
and, when the teacher turned it on, the knowledge check before and after play and what changed.

Every page is server-rendered and works without JavaScript. A student is named only by their
cookie (`longarm_student`, HttpOnly, SameSite=Strict); no address holds a game id, so there is
no other student's game to reach by changing an address. Every form carries the student's form
token, and every change is a POST answered by a 303 redirect to `/play` (post-redirect-get):
reloading or going back never sends a choice again, and a choice carries the step it was made
at, so a form sent twice is taken once.

Nothing is created before the class code is right: a wrong or missing code makes no student, no
row and no session, and an address that sends too many wrong codes must wait (429).

Any node may answer any of these requests: the student, their game and the class's end are read
from the results store when this node does not hold them (`game.web.classroom`), and what a POST
leaves to say goes to the next page in a cookie (`game.web.notices`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from game.engine.runtime.state import ChoiceError
from game.session.cleaning import MAX_ANSWER_CHARS, MAX_NAME_CHARS
from game.web.classroom import Classroom, Student
from game.web.door import check_code, field, refusal_page
from game.web.notices import LISTENER, carried
from game.web.pages import BASE, page, see_other
from game.web.ratelimit import WrongTries
from game.web.tokens import FormPurpose, PagePurpose, form_token, form_token_ok, page_token
from game.web.check_views import change_page, check_page, option_of
from game.web.views import debrief_page, export_filename, export_markdown, scene_view

STUDENT_COOKIE = "longarm_student"
#: A student's cookie lasts a school day, so a closed browser or a restarted device carries on.
COOKIE_SECONDS = 12 * 3600
STUDENT: FormPurpose = "student"
JOIN: PagePurpose = "join"


def _step(form: Mapping[str, object]) -> int:
    """The step a form was made at; -1 (never current) when it is missing or not a number."""
    text = field(form, "step")
    return int(text) if text.isdigit() and len(text) < 7 else -1


class StudentPages:
    """The routes a student uses, on one classroom."""

    def __init__(self, classroom: Classroom, secret: bytes, wrong_tries: WrongTries) -> None:
        self.classroom = classroom
        self.secret = secret
        self.wrong_tries = wrong_tries

    def routes(self) -> list[web.RouteDef]:
        """The students' routes, for `make_app`."""
        return [
            web.get("/", self.home), web.post("/join", self.join), web.get("/join", self.to_home),
            web.post("/leave", self.leave),
            web.get("/play", self.play), web.get("/play/new", self.pick), web.post("/play/start", self.start),
            web.post("/play/choose", self.choose), web.post("/play/undo", self.undo),
            web.post("/play/answers", self.answers), web.get("/play/debrief.md", self.export),
            web.get("/play/glossary", self.glossary),
            web.get("/play/check", self.check), web.post("/play/check", self.answer_check),
            web.get("/play/change", self.change),
        ]

    # ------------------------------------------------------------------ joining

    async def home(self, request: web.Request) -> web.StreamResponse:
        """The join page; a student who already joined goes on to their game.

        A browser that followed a link from another site (a class page on a learning platform)
        does not send a SameSite=Strict cookie on that first request: it is sent on to `/` once
        more from this server's own page, with the cookie, so a student who joined is not asked
        to join again.
        """
        if await self._student(request) is not None:
            raise see_other("/play")
        if request.headers.get("Sec-Fetch-Site") == "cross-site" and STUDENT_COOKIE not in request.cookies:
            return page("arrive.html", title="Long Arm")
        await self.classroom.ended()
        return self._join_page()

    async def to_home(self, request: web.Request) -> web.StreamResponse:
        """GET /join (a reload of a refused join): the join page."""
        raise see_other("/")

    async def join(self, request: web.Request) -> web.StreamResponse:
        """Check the class code; only then make the student, their row and their cookie."""
        if await self.classroom.ended():
            return self._join_page(status=403)
        form, refused = await check_code(request, self.wrong_tries, self.secret, JOIN,
                                         self.classroom.settings.class_code, "the class code")
        if refused is not None:
            return refusal_page(self._join_page(refused.message), refused)
        student, cookie = self.classroom.join(field(form, "name") or None)
        await self.classroom.settle(student)
        response = see_other("/play")
        response.set_cookie(STUDENT_COOKIE, cookie, max_age=COOKIE_SECONDS, path=BASE.get() + "/", httponly=True,
                            samesite="Strict", secure=self.classroom.settings.secure)
        raise response

    async def leave(self, request: web.Request) -> web.StreamResponse:
        """Forget this browser's student (their games stay recorded): for a shared device."""
        await self._posted(request)
        response = see_other("/")
        response.del_cookie(STUDENT_COOKIE, path=BASE.get() + "/")
        raise response

    # ------------------------------------------------------------------ playing

    async def play(self, request: web.Request) -> web.StreamResponse:
        """Where the student's game is: the story picker, a scene, or the debrief."""
        student = await self._required(request)
        session = await self.classroom.session(student)
        if session is None:
            return await self._pick_page(request, student)
        common = await self._common(request, student)
        if session.check_due() == "before":
            return page("check.html", check=check_page(session, "before"), lang=session.scenario.language, **common)
        if session.over:
            check_state = ("due" if session.check_due() == "after" else
                           "done" if session.check_complete("after") else None)
            return page("debrief.html", page=debrief_page(session), lang=session.scenario.language,
                        max_answer=MAX_ANSWER_CHARS, check_state=check_state,
                        check_items=len(session.check_items), **common)
        return page("scene.html", scene=scene_view(session), lang=session.scenario.language, **common)

    async def pick(self, request: web.Request) -> web.StreamResponse:
        """The story picker, also in the middle of a game (that game stays recorded, unfinished)."""
        return await self._pick_page(request, await self._required(request))

    async def start(self, request: web.Request) -> web.StreamResponse:
        """Start a new game of the story and role picked."""
        student, form = await self._posted(request)
        if await self.classroom.ended():
            return self._ended()
        scenario = self.classroom.scenarios.get(field(form, "scenario"))
        if scenario is None or field(form, "role") not in scenario.roles:
            student.say("Pick one of the stories and roles below.")
            raise see_other("/play/new")
        self.classroom.start(student, scenario, field(form, "role"))
        await self.classroom.settle(student)
        raise see_other("/play")

    async def choose(self, request: web.Request) -> web.StreamResponse:
        """Take a choice, made at the step the page showed (a stale one is not taken)."""
        student, form = await self._posted(request)
        if await self.classroom.ended():
            return self._ended()
        session = await self.classroom.session(student)
        if session is not None:
            try:
                turn = session.choose(field(form, "choice"), at_step=_step(form))
            except ChoiceError:
                student.say("That choice is not open here.")
            else:
                if not turn.taken:
                    student.say("That choice was already made: this is where your story is now.")
                for notice in turn.notices:
                    student.say(str(notice))
            await self.classroom.settle(student)
        raise see_other("/play")

    async def undo(self, request: web.Request) -> web.StreamResponse:
        """Take back the last choice, if the page was showing the current step."""
        student, form = await self._posted(request)
        if await self.classroom.ended():
            return self._ended()
        session = await self.classroom.session(student)
        if session is not None and _step(form) == session.step:
            undone, notices = session.undo()
            if not undone:
                student.say("There is nothing to undo.")
            for notice in notices:
                student.say(str(notice))
            await self.classroom.settle(student)
        raise see_other("/play")

    async def answers(self, request: web.Request) -> web.StreamResponse:
        """Save the answers to the debrief's questions (still allowed once the session has ended)."""
        student, form = await self._posted(request)
        session = await self.classroom.session(student)
        if session is None or not session.over:
            raise see_other("/play")
        for index in range(len(session.debrief().questions)):
            if f"answer-{index}" in form:
                for notice in session.answer(index, field(form, f"answer-{index}")):
                    student.say(str(notice))
        saved = await self.classroom.settle(student)
        if field(form, "then") == "export":
            raise see_other("/play/debrief.md")
        student.say("Your answers are saved." if saved else
                    "Your answers are kept and will be saved as soon as the results file is free.")
        raise see_other("/play#questions-heading")

    async def export(self, request: web.Request) -> web.StreamResponse:
        """The debrief as a Markdown download, with the student's answers."""
        student = await self._required(request)
        session = await self.classroom.session(student)
        if session is None or not session.over:
            raise see_other("/play")
        return web.Response(text=export_markdown(session), content_type="text/markdown", charset="utf-8", headers={
            "Content-Disposition": f'attachment; filename="{export_filename(session)}"',
            "Cache-Control": "no-store"})

    # ------------------------------------------------------------------ the knowledge check

    async def check(self, request: web.Request) -> web.StreamResponse:
        """The check after the debrief, while it is due (the one before play is `/play` itself)."""
        student = await self._required(request)
        session = await self.classroom.session(student)
        if session is None or session.check_due() != "after":
            raise see_other("/play")
        return page("check.html", check=check_page(session, "after"), lang=session.scenario.language,
                    **await self._common(request, student))

    async def answer_check(self, request: web.Request) -> web.StreamResponse:
        """Keep the answers of the check that is due; once complete, on to the story (before) or to
        what changed (after). A form for a check no longer due (sent twice, or from an old page)
        changes nothing."""
        student, form = await self._posted(request)
        session = await self.classroom.session(student)
        phase = field(form, "phase")
        if session is None or phase not in ("before", "after") or session.check_due() != phase:
            raise see_other("/play")
        if phase == "before" and await self.classroom.ended():
            return self._ended()
        log = session.check_log
        # Changed answers first, new ones last: the answer that completes the check closes it.
        items = sorted(session.check_items, key=lambda item: log is None or log.answer(phase, item.id) is None)
        for item in items:
            option = option_of(field(form, f"item-{item.id}"), len(item.options))
            if option == "" or session.check_due() != phase:
                continue
            for notice in session.answer_check(phase, item.id, option if isinstance(option, int) else None):
                student.say(str(notice))
        await self.classroom.settle(student)
        if session.check_due() == phase:
            student.say("Please answer every question: \u201cI don\u2019t know\u201d is an answer too.")
            raise see_other("/play" if phase == "before" else "/play/check")
        raise see_other("/play" if phase == "before" else "/play/change")

    async def change(self, request: web.Request) -> web.StreamResponse:
        """The student's own change, once both checks are complete."""
        student = await self._required(request)
        session = await self.classroom.session(student)
        if session is None or not session.check_complete("after"):
            raise see_other("/play")
        return page("change.html", change=change_page(session), lang=session.scenario.language,
                    **await self._common(request, student))

    async def glossary(self, request: web.Request) -> web.StreamResponse:
        """The glossary of the story being played, searchable without JavaScript."""
        student = await self._required(request)
        session = await self.classroom.session(student)
        scenario = session.scenario if session is not None else None
        if scenario is None and len(self.classroom.scenarios) == 1:
            scenario = next(iter(self.classroom.scenarios.values()))
        if scenario is None:
            student.say("Pick a story first: each has its own glossary.")
            raise see_other("/play/new")
        query = request.query.get("q", "")[:100].strip()
        needle = query.casefold()
        terms = [(term, meaning) for term, meaning in sorted(scenario.glossary.items(), key=lambda kv: kv[0].casefold())
                 if not needle or needle in term.casefold() or needle in meaning.casefold()]
        return page("glossary.html", title="Glossary", scenario_title=scenario.title, query=query, terms=terms,
                    lang=scenario.language, **await self._common(request, student))

    # ------------------------------------------------------------------ inside

    async def _student(self, request: web.Request) -> Student | None:
        student = await self.classroom.student(request.cookies.get(STUDENT_COOKIE))
        if student is not None:
            LISTENER.set(student)  # what is left to say goes to the next page
        return student

    async def _required(self, request: web.Request) -> Student:
        """The student of this request; anyone else is sent to the join page."""
        student = await self._student(request)
        if student is None:
            raise see_other("/")
        return student

    async def _posted(self, request: web.Request) -> tuple[Student, Mapping[str, object]]:
        """The student and their form, when the form carries their token; else a 403 page."""
        student = await self._required(request)
        form = await request.post()
        cookie = request.cookies.get(STUDENT_COOKIE, "")
        if not form_token_ok(self.secret, STUDENT, cookie, field(form, "token")):
            raise web.HTTPForbidden()
        return student, form

    async def _common(self, request: web.Request, student: Student) -> dict[str, Any]:
        """What every page of a joined student needs: their form token, notices (those the last
        POST left, on whichever node, then this node's own), whether the session ended."""
        notices = carried(request, self.secret)
        notices += [notice for notice in student.take_notices() if notice not in notices]
        return {"token": form_token(self.secret, STUDENT, request.cookies.get(STUDENT_COOKIE, "")),
                "notices": notices, "ended": await self.classroom.ended()}

    def _join_page(self, error: str = "", status: int = 200) -> web.Response:
        return page("join.html", status=status, title="Join the class", error=error,
                    token=page_token(self.secret, JOIN), max_name=MAX_NAME_CHARS, ended=self.classroom.board.ended)

    async def _pick_page(self, request: web.Request, student: Student) -> web.Response:
        stories = list(self.classroom.scenarios.values())
        lang = stories[0].language if len({story.language for story in stories}) == 1 else "en"
        return page("pick.html", title="Pick a story", stories=stories, lang=lang,
                    **await self._common(request, student))

    @staticmethod
    def _ended() -> web.Response:
        return page("error.html", status=409, title="The session has ended",
                    message="Your teacher has ended this class session: nothing new can be chosen. "
                            "Everything you chose is saved.", back="/play", back_text="Back to your game",
                    ended=True)
