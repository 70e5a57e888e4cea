"""`longarm serve`: the page loads nothing from outside, a class code is required off loopback,
and a browser connection starts a game that first asks for the class code."""

from __future__ import annotations

import asyncio
import io
import os
import re
import subprocess
import sys
import time

import pytest

from game.classroom.serve import check_options, is_loopback
from shared import REPO, free_port

aiohttp = pytest.importorskip("aiohttp")


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
