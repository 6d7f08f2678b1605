"""Benchmark of `rolefit serve`: 50 concurrent clients on loopback posting a 300-duty plan.

First prints where one request's CPU time goes, measured in this process on the same
plan (reading and checking, report layout, JSON report, sheets for the add-in, encoding
the answer). Then prints throughput, p50/p99 latency and errors, then the server's memory
(RSS of all its processes) every 500 requests over 5,000 requests, to show it stays flat.
Run: .venv/bin/python tests/bench/bench_service.py [--workers 2] [--requests 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from addin.demo import example_plan

ROOT = Path(__file__).resolve().parents[2]


def plan_body(duties: int = 300) -> dict[str, Any]:
    """The example company's executives holding ``duties`` duty rows (long layout)."""
    plan = example_plan()
    people = plan["executives"]
    rows: list[list[Any]] = [[plan["title"], "", "", ""], ["", "", "", ""], list(plan["header"])]
    lines = [(p, d) for p in people for d in p["duties"]]
    for i in range(duties):
        person, duty = lines[i % len(lines)]
        first = i % len(lines) == 0 or lines[(i - 1) % len(lines)][0] is not person
        who = [person["name"], person["title"], person["reports_to"]] if first else ["", "", ""]
        rows.append([*who, f"{duty} (area {i // len(lines) + 1})"])
    return {"workbook": {"name": "bench-plan.xlsx",
                         "sheets": [{"name": "Leadership plan", "values": rows}]}}


def cpu_breakdown(body: dict[str, Any], repeat: int = 30) -> None:
    """Median CPU time of each step of answering ``body``, as the service's worker does it."""
    from addin import api
    from addin.report_json import report_to_json
    from addin.service import WorkbookIn, to_workbook
    from addin.summary import summary_lines
    from addin.web_sheets import book_to_json

    workbook = to_workbook(WorkbookIn(**body["workbook"]))
    steps: dict[str, list[float]] = {}

    def one() -> None:
        marks = [time.process_time()]
        report = api.check_workbook(workbook)
        marks.append(time.process_time())
        book = api.report_book(report, plan_file=workbook.name)
        marks.append(time.process_time())
        data = {"report": report_to_json(report), "summary": summary_lines(report)}
        marks.append(time.process_time())
        data["sheets"] = book_to_json(book)
        marks.append(time.process_time())
        # as the service's JSONResponse encodes it
        json.dumps(data, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
        marks.append(time.process_time())
        api.forget_words()
        marks.append(time.process_time())
        names = ("read + check", "report layout", "JSON report", "add-in sheets", "encode",
                 "forget words")
        for name, a, b in zip(names, marks[:-1], marks[1:], strict=True):
            steps.setdefault(name, []).append(b - a)

    for _ in range(3):  # warm up, then keep the loaded profiles out of collections
        one()
    gc.collect()
    gc.freeze()
    steps.clear()
    for _ in range(repeat):
        one()
    gc.unfreeze()
    total = sum(statistics.median(v) for v in steps.values())
    print(f"CPU per request, in-process (median of {repeat}): {total * 1000:.1f} ms")
    for name, values in steps.items():
        print(f"  {name:<14} {statistics.median(values) * 1000:6.1f} ms")


def _tree(pid: int) -> list[int]:
    """A process and its children (the uvicorn workers)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(int(c) for c in children)]


def cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by a process and its children."""
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (the uvicorn workers), in kB."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


async def run(url: str, body: dict[str, Any], requests: int, clients: int,
              pid: int) -> None:
    latencies: list[float] = []
    errors = 0
    done = 0
    memory: list[tuple[int, int]] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def worker() -> None:
            nonlocal errors, done
            while True:
                try:
                    queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                start = time.perf_counter()
                try:
                    r = await client.post(f"{url}/api/v1/report", json=body)
                    ok = r.status_code == 200 and len(r.json()["report"]["duties"]) == 300
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - start)
                errors += not ok
                done += 1
                if done % 500 == 0:
                    memory.append((done, rss_kb(pid)))

        start = time.perf_counter()
        used = cpu_s(pid)
        await asyncio.gather(*(worker() for _ in range(clients)))
        used = cpu_s(pid) - used
        elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    print(f"requests: {requests}  clients: {clients}  errors: {errors}")
    print(f"throughput: {requests / elapsed:.1f} req/s  ({elapsed:.1f} s)")
    print(f"latency p50: {q[49] * 1000:.0f} ms  p99: {q[98] * 1000:.0f} ms  "
          f"max: {max(latencies) * 1000:.0f} ms")
    print(f"server CPU per request (all its processes, HTTP and JSON parsing included): "
          f"{used / requests * 1000:.1f} ms; the clients share the same cores")
    print("server RSS (all processes) after n requests:")
    for n, kb in memory:
        print(f"  {n:>6}: {kb / 1024:.1f} MB")
    if len(memory) >= 2:
        print(f"RSS growth from {memory[0][0]} to {memory[-1][0]} requests: "
              f"{(memory[-1][1] - memory[0][1]) / 1024:+.1f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--clients", type=int, default=50)
    args = ap.parse_args()
    cpu_breakdown(plan_body())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "ROLEFIT_TOKEN"}
    server = subprocess.Popen([sys.executable, "-m", "addin", "serve", "--port", str(port),
                               "--workers", str(args.workers), "--public-url", url],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        body = plan_body()
        for _ in range(args.workers * 3):  # warm up: profiles and matcher load once per worker
            httpx.post(f"{url}/api/v1/report", json=body, timeout=60)
        t = time.perf_counter()
        httpx.post(f"{url}/api/v1/report", json=body, timeout=60).raise_for_status()
        print(f"one request alone: {(time.perf_counter() - t) * 1000:.0f} ms "
              f"(workers: {args.workers}, cores: {os.cpu_count()})")
        asyncio.run(run(url, body, args.requests, args.clients, server.pid))
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
