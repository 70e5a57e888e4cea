"""The teacher's pages: the live board, ending the session, and the class report.

`/teacher` asks for the teacher code (printed in the server's terminal; compared in constant time
and limited per address like the class code). The board is drawn on the server, so it works
without JavaScript (its Refresh link reloads it); with JavaScript, `/static/teacher.js` follows
`/teacher/events`, a stream of server-sent events, each the whole board as JSON, and draws it as
text. The board is read from the results store (every node's students; the stream reads it every
`POLL_SECONDS` and sends it when it changed). The teacher's cookie is signed with the server's
secret (`tokens.teacher_cookie`): every node of the class knows the teacher, after a restart too.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re

from aiohttp import web

from game.classroom.results import StoreError
from game.web.board import POLL_SECONDS
from game.web.classroom import Classroom
from game.web.door import check_code, field, refusal_page
from game.web.guard import CSP
from game.web.pages import BASE, page, see_other
from game.web.ratelimit import WrongTries
from game.web.tokens import (
    FormPurpose,
    PagePurpose,
    form_token,
    form_token_ok,
    page_token,
    teacher_cookie,
    teacher_cookie_ok,
)

TEACHER_COOKIE = "longarm_teacher"
TEACHER: FormPurpose = "teacher"
LOGIN: PagePurpose = "teacher-login"
#: A quiet stream sends a comment this often, so proxies and browsers keep it open.
KEEP_ALIVE_SECONDS = 15.0
#: Changes that come close together are sent as one.
GATHER_SECONDS = 0.25
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def report_csp(html: str) -> str:
    """The page's CSP, plus the hashes of the report's own inline styles (it has no script)."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'"
                      for style in _STYLE.findall(html))
    return f"{CSP}; style-src 'self' {hashes}" if hashes else CSP


class TeacherPages:
    """The routes the teacher uses, on one classroom."""

    def __init__(self, classroom: Classroom, secret: bytes, wrong_tries: WrongTries) -> None:
        self.classroom = classroom
        self.secret = secret
        self.wrong_tries = wrong_tries
        self.closing = asyncio.Event()

    def routes(self) -> list[web.RouteDef]:
        """The teacher's routes, for `make_app`."""
        return [web.get("/teacher", self.board), web.post("/teacher/login", self.login),
                web.get("/teacher/events", self.events), web.post("/teacher/end", self.end),
                web.get("/teacher/report", self.report)]

    async def board(self, request: web.Request) -> web.StreamResponse:
        """The class as it is now, or the login form."""
        if not self._is_teacher(request):
            return self._login_page()
        board = await self.classroom.refresh_board()
        students = board.students
        settings = self.classroom.settings
        return page("teacher.html", title=f"Class {settings.class_code}", class_code=settings.class_code,
                    join_address=settings.public_url, board=board, students=students,
                    playing=sum(1 for p in students if p.playing), finished=sum(1 for p in students if p.finished),
                    token=form_token(self.secret, TEACHER, request.cookies.get(TEACHER_COOKIE, "")),
                    ended=board.ended)

    async def login(self, request: web.Request) -> web.StreamResponse:
        """Check the teacher code (rate-limited per address) and give the teacher a cookie."""
        _, refused = await check_code(request, self.wrong_tries, self.secret, LOGIN,
                                      self.classroom.settings.teacher_code, "the teacher code")
        if refused is not None:
            return refusal_page(self._login_page(refused.message), refused)
        cookie = teacher_cookie(self.secret, self.classroom.settings.class_code)
        response = see_other("/teacher")
        response.set_cookie(TEACHER_COOKIE, cookie, path=BASE.get() + "/teacher", httponly=True, samesite="Strict",
                            secure=self.classroom.settings.secure)
        raise response

    async def events(self, request: web.Request) -> web.StreamResponse:
        """The board as server-sent events: all of it at once, then again after each change."""
        if not self._is_teacher(request):
            raise web.HTTPForbidden()
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store",
                                               "X-Accel-Buffering": "no"})
        await response.prepare(request)
        board = self.classroom.board
        seen = -1
        quiet_since = asyncio.get_running_loop().time()
        try:
            while not self.closing.is_set():
                await self._refresh()
                if board.version != seen:
                    seen = board.version
                    data = json.dumps(board.as_json(), ensure_ascii=True, separators=(",", ":"))
                    await response.write(f"event: board\ndata: {data}\n\n".encode("ascii"))
                    quiet_since = asyncio.get_running_loop().time()
                    await asyncio.sleep(GATHER_SECONDS)
                elif not await board.changed(seen, POLL_SECONDS):
                    if asyncio.get_running_loop().time() - quiet_since >= KEEP_ALIVE_SECONDS:
                        await response.write(b": still here\n\n")
                        quiet_since = asyncio.get_running_loop().time()
        except (ConnectionResetError, ConnectionError):
            pass  # the teacher closed the page
        return response

    async def _refresh(self) -> None:
        """Read the class from the store; a store that cannot be read leaves the board as it was
        (its health line says why)."""
        try:
            await self.classroom.refresh_board()
        except StoreError:
            pass

    async def end(self, request: web.Request) -> web.StreamResponse:
        """End the session for everyone: no more joining or choosing."""
        if not self._is_teacher(request):
            raise web.HTTPForbidden()
        form = await request.post()
        if not form_token_ok(self.secret, TEACHER, request.cookies.get(TEACHER_COOKIE, ""), field(form, "token")):
            raise web.HTTPForbidden()
        if field(form, "confirm") == "yes":
            await self.classroom.end()
        raise see_other("/teacher")

    async def report(self, request: web.Request) -> web.StreamResponse:
        """The class report of this class code, as it is in the results file now."""
        if not self._is_teacher(request):
            raise see_other("/teacher")
        try:
            html = await self.classroom.reader.report(self.classroom.settings.class_code, self.classroom.scenarios)
        except StoreError as error:
            return page("error.html", status=503, title="The report cannot be made now",
                        message=f"The results file could not be read: {error}", back="/teacher",
                        back_text="Back to the teacher's page")
        return web.Response(text=html, content_type="text/html", charset="utf-8",
                            headers={"Content-Security-Policy": report_csp(html), "Cache-Control": "no-store"})

    def _is_teacher(self, request: web.Request) -> bool:
        cookie = request.cookies.get(TEACHER_COOKIE)
        return bool(cookie) and teacher_cookie_ok(self.secret, self.classroom.settings.class_code, cookie or "")

    def _login_page(self, error: str = "", status: int = 200) -> web.Response:
        return page("teacher_login.html", status=status, title="Teacher's page", error=error,
                    token=page_token(self.secret, LOGIN))
