"""`longarm serve`: the page loads nothing from outside, a class code is required off loopback,
and a browser connection starts a game that first asks for the class code."""

from __future__ import annotations

import asyncio
import io
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.classroom.serve import check_options, is_loopback
from shared import REPO

aiohttp = pytest.importorskip("aiohttp")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path, scenarios_dir: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "LONGARM_DATA_DIR": str(tmp_path / "data"),
           "LONGARM_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "game", "serve", "--port", str(port), "--class", "TEST-9B",
                                "--results", str(tmp_path / "results.sqlite")],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_class_code_rules() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20") and not is_loopback("teacher.local")
    err = io.StringIO()
    assert check_options("127.0.0.1", None, err)
    assert not check_options("0.0.0.0", None, err) and "--class CODE" in err.getvalue()
    assert check_options("0.0.0.0", "HISTORY-9B", err)
    assert not check_options("127.0.0.1", "no spaces allowed", err)


def test_serving_beyond_loopback_without_a_code_is_refused() -> None:
    result = subprocess.run([sys.executable, "-m", "game", "serve", "--host", "0.0.0.0", "--port", str(free_port())],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=30)
    assert result.returncode == 2 and "--class CODE" in result.stderr


async def test_the_page_loads_nothing_from_outside_and_a_session_asks_for_the_code(server: str) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(server + "/") as response:
            page = await response.text()
        assert response.status == 200
        loaded = re.findall(r'(?:src|href)="([^"]+)"', page) + re.findall(r'url\("([^"]+)"\)', page)
        assert loaded and all(address.startswith(server) for address in loaded), loaded
        assert "googleapis" not in page
        async with session.get(server + "/static/fonts/RobotoMono-VariableFont_wght.ttf") as font:
            assert font.status == 200
        received = b""
        async with session.ws_connect(server + "/ws?width=80&height=24") as websocket:
            deadline = time.monotonic() + 30
            while b"Join your class" not in received and time.monotonic() < deadline:
                try:
                    message = await websocket.receive(timeout=5)
                except asyncio.TimeoutError:
                    continue
                if message.type == aiohttp.WSMsgType.BINARY:
                    received += message.data
                elif message.type == aiohttp.WSMsgType.TEXT:
                    received += message.data.encode()
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
        assert b"Join your class" in received
