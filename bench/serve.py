"""Benchmark: 30 students opening the game at once against one `longarm serve`.

Starts `longarm serve` on a free loopback port, then opens 30 browser-protocol connections at
the same moment (the websocket textual-serve's page opens; each starts its own game process) and
times, for each, how long until the title screen arrives. Reports the first and the last, and
the total memory (resident set) of the server and all its game processes once everyone is in.
Targets on this machine: all 30 see the title within 15 s; total memory under 2 GB. As a baseline
from the same run it times one connection alone first.

    python bench/serve.py [--clients 30]

Loopback only: every connection goes to 127.0.0.1, and the run ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
TITLE_TARGET_S = 15.0
MEMORY_TARGET_MB = 2048
TITLE_TEXT = b"LONG ARM"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry.name))
            except OSError:
                continue
    total_kb, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total_kb / 1024


async def time_to_title(session: aiohttp.ClientSession, url: str, started: float, hold: asyncio.Event,
                        arrived: list[float]) -> float:
    """Seconds from `started` until this connection shows the title (also appended to `arrived`);
    the connection stays open, its game process running, until `hold` is set."""
    seen = b""
    async with session.ws_connect(f"{url}/ws?width=80&height=24") as websocket:
        while TITLE_TEXT not in seen:
            message = await websocket.receive(timeout=60)
            if message.type == aiohttp.WSMsgType.BINARY:
                seen = seen[-64:] + message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                raise RuntimeError(f"the connection closed before the title: {message.type}")
        elapsed = time.perf_counter() - started
        arrived.append(elapsed)
        await hold.wait()
        return elapsed


async def run(clients: int, url: str, server_pid: int) -> tuple[float, list[float], float]:
    async with aiohttp.ClientSession() as session:
        alone_release = asyncio.Event()
        alone_release.set()
        alone = await time_to_title(session, url, time.perf_counter(), alone_release, [])
        hold = asyncio.Event()
        arrived: list[float] = []
        started = time.perf_counter()
        tasks = [asyncio.create_task(time_to_title(session, url, started, hold, arrived)) for _ in range(clients)]
        while len(arrived) < clients and time.perf_counter() - started < 60:
            if any(task.done() for task in tasks):  # a connection failed: its exception surfaces below
                break
            await asyncio.sleep(0.1)
        # Everyone is in (or out of time): measure memory while all the sessions are still open.
        await asyncio.sleep(0.5)
        memory = tree_rss_mb(server_pid)
        hold.set()
        times = sorted(await asyncio.gather(*tasks))
    return alone, times, memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=30)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="longarm-serve-bench-") as temp:
        env = {**os.environ, "PYTHONPATH": str(REPO), "LONGARM_DATA_DIR": str(Path(temp) / "data"),
               "LONGARM_CACHE_DIR": str(Path(temp) / "cache")}
        server = subprocess.Popen([sys.executable, "-m", "game", "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("longarm serve did not start")
                    time.sleep(0.2)
            alone, times, memory = asyncio.run(run(args.clients, f"http://127.0.0.1:{port}", server.pid))
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"one student alone: title after {alone:.2f} s (baseline)")
    print(f"{args.clients} students at once: first title after {times[0]:.2f} s, last after {times[-1]:.2f} s "
          f"({times[-1] / alone:.1f}x the one alone); target: all within {TITLE_TARGET_S:g} s")
    print(f"memory of the server and its {args.clients} game processes: {memory:,.0f} MB "
          f"({memory / args.clients:.0f} MB a student); target under {MEMORY_TARGET_MB:,} MB")
    met = times[-1] <= TITLE_TARGET_S and memory < MEMORY_TARGET_MB
    print("all targets met" if met else "a target was MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
