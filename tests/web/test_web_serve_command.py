"""`longarm serve` refuses, with one line and exit 2, whatever it cannot serve safely: a short code,
an open host with no public address, a results file it cannot write, a port in use."""

from __future__ import annotations

import io
import logging
import os
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.web.options import WebSettings, settings_from
from game.web.serve import OneLine, run_serve


def refused(tmp_path: Path, *args: str, results: Path | None = None) -> str:
    """Run `longarm serve` with these arguments; it must refuse with one line. Returns the line."""
    out, err = io.StringIO(), io.StringIO()
    parsed = ["serve", "--results", str(results or tmp_path / "results.sqlite"), *args]
    from game.cli import build_parser

    arguments = build_parser().parse_args(parsed)
    status = run_serve(arguments.scenario, arguments.host, arguments.port, arguments.public_url, arguments.class_code,
                       arguments.teacher_code, arguments.results, out, err)
    assert status == 2 and out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("longarm serve: "), lines
    assert "Traceback" not in err.getvalue()
    return lines[0]


def test_a_class_code_under_six_characters_is_refused(tmp_path: Path) -> None:
    assert "at least 6 characters" in refused(tmp_path, "--class", "ABCDE")
    assert not (tmp_path / "results.sqlite").exists()
    assert "a teacher code needs at least 6" in refused(tmp_path, "--teacher-code", "abc")
    assert "must differ" in refused(tmp_path, "--class", "HISTORY-9B", "--teacher-code", "history-9b")


def test_listening_on_every_network_needs_the_public_address(tmp_path: Path) -> None:
    assert "--public-url" in refused(tmp_path, "--host", "0.0.0.0")
    assert "has a path" in refused(tmp_path, "--host", "0.0.0.0", "--public-url", "http://10.0.0.2:8000/play")
    assert "not an http" in refused(tmp_path, "--public-url", "ftp://10.0.0.2")


def test_the_servers_own_origins_are_its_addresses_only() -> None:
    settings = settings_from("0.0.0.0", 8000, "http://192.168.1.20:8000", None, None, Path("r.sqlite"), None)
    assert isinstance(settings, WebSettings)
    assert settings.origins == {"http://192.168.1.20:8000", "http://127.0.0.1:8000", "http://localhost:8000",
                                "http://[::1]:8000"}
    assert settings.public_url == "http://192.168.1.20:8000/" and len(settings.class_code) == 9
    assert settings.class_code_made and settings.teacher_code_made and settings.class_code != settings.teacher_code
    secure = settings_from("127.0.0.1", 8000, "https://class.example.org", "HISTORY-9B", None, Path("r"), None)
    assert isinstance(secure, WebSettings) and secure.secure and "https://class.example.org" in secure.origins


def test_a_results_file_that_cannot_be_used_is_refused_and_left_alone(tmp_path: Path) -> None:
    assert "is a folder" in refused(tmp_path, results=tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n", encoding="utf-8")
    assert "not a Long Arm results file" in refused(tmp_path, results=notes)
    assert notes.read_text(encoding="utf-8") == "not a database\n"
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
    assert "another program" in refused(tmp_path, results=other)
    assert "cannot use" in refused(tmp_path, results=notes / "results.sqlite")  # under a file: cannot be made


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_a_read_only_results_file_is_refused(tmp_path: Path) -> None:
    results = tmp_path / "results.sqlite"
    with sqlite3.connect(results):
        pass
    results.chmod(0o400)
    assert "cannot be written" in refused(tmp_path, results=results)


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = refused(tmp_path, "--port", str(port), "--class", "HISTORY-9B")
    assert f"port {port} is already in use" in line


def test_an_unknown_story_is_refused(tmp_path: Path) -> None:
    assert "no scenario 'no-such-story'" in refused(tmp_path, "no-such-story")


def test_a_new_results_file_is_made_readable_by_its_owner_only(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        refused(tmp_path, "--port", str(taken.getsockname()[1]))  # the store is made before the port is tried
    assert oct((tmp_path / "results.sqlite").stat().st_mode & 0o777) == "0o600"


def test_serve_is_a_command_with_the_options_the_teaching_guide_uses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--help"])
    assert stopped.value.code == 0
    flat = " ".join(capsys.readouterr().out.split())
    for option in ("--host", "--port", "--public-url", "--class CODE", "--teacher-code", "--results", "SCENARIO"):
        assert option in flat


def test_a_fault_is_logged_as_one_line_without_a_traceback() -> None:
    try:
        raise ValueError("bad\nrequest\n  with lines")
    except ValueError:
        record = logging.LogRecord("aiohttp.server", logging.ERROR, __file__, 1, "Error handling request from %s",
                                   ("127.0.0.1",), sys.exc_info())
    line = OneLine().format(record)
    assert line == "longarm serve: Error handling request from 127.0.0.1 (ValueError: bad request with lines)"
    long = logging.LogRecord("game", logging.ERROR, __file__, 1, "x" * 1000, (), None)
    assert len(OneLine().format(long)) == len("longarm serve: ") + OneLine.LIMIT
