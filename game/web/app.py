"""The web edition's application: the routes of students and teacher, the guards, the static files.

`make_app` builds it on a `Classroom`; `game.web.serve` runs it (and tests run it in aiohttp's
test server). The routes are the only pages: anything else is a 404 page (a websocket path too).
"""

from __future__ import annotations

from aiohttp import web

from game.web.classroom import Classroom
from game.web.guard import add_security_headers, error_pages, origin_guard
from game.web.pages import StaticFile, static_files
from game.web.ratelimit import WrongTries
from game.web.student_routes import StudentPages
from game.web.teacher_routes import TeacherPages

TEACHER_PAGES = web.AppKey("teacher_pages", TeacherPages)


def _sent(found: StaticFile) -> web.Response:
    return web.Response(body=found.body, content_type=found.content_type, charset="utf-8",
                        headers={"Cache-Control": "no-cache"})


async def static(request: web.Request) -> web.StreamResponse:
    """One of the fixed static files; any other name is a 404 page."""
    found = static_files().get(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound()
    return _sent(found)


async def favicon(request: web.Request) -> web.StreamResponse:
    """The icon, where a browser looks for it on a page that names none (the class report)."""
    return _sent(static_files()["icon.svg"])


def make_app(classroom: Classroom, secret: bytes) -> web.Application:
    """The application for one class session.

    Args:
        classroom: the class: its settings, students, games, writer and board.
        secret: the server's secret (from the results file): it signs cookies' form tokens.

    Returns:
        The aiohttp application, ready to run.
    """
    settings = classroom.settings
    app = web.Application(client_max_size=settings.max_request_bytes,
                          middlewares=[error_pages, origin_guard(settings.origins)])
    app.on_response_prepare.append(add_security_headers)
    students = StudentPages(classroom, secret, WrongTries(settings.wrong_tries, settings.wrong_window))
    teacher = TeacherPages(classroom, secret, WrongTries(settings.wrong_tries, settings.wrong_window))
    app[TEACHER_PAGES] = teacher
    app.add_routes(students.routes() + teacher.routes() + [web.get("/static/{name}", static),
                                                              web.get("/favicon.ico", favicon)])
    app.on_shutdown.append(_close_streams)
    return app


async def _close_streams(app: web.Application) -> None:
    """Let the teacher's live streams end, so stopping the server does not wait for them."""
    teacher = app[TEACHER_PAGES]
    teacher.closing.set()
    teacher.classroom.board.wake()
