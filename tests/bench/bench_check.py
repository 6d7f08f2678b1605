"""Benchmark `rolefit check`: a 500-duty plan against a bare openpyxl load + write, and
the cold start on a 20-duty plan (what one ribbon click costs).

The package is byte-compiled first, as ``pip install`` does: with PYTHONDONTWRITEBYTECODE
set (as in some shells and CI), every run would otherwise recompile rolefit's own modules
and time the compiler rather than the command.

Run: .venv/bin/python tests/bench/bench_check.py
"""

from __future__ import annotations

import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

import addin

PACKAGE = Path(addin.__file__).resolve().parent

DUTIES = [
    "Define the technology roadmap for the customer app",
    "Run the service desk for office staff",
    "Keep the data centre and network running",
    "Hire and coach software engineers",
    "Approve the quarterly marketing budget",
    "Quản lý hạ tầng máy chủ và mạng nội bộ",
    "Xây dựng kiến trúc nền tảng sản phẩm",
    "কর্মীদের আইটি প্রশিক্ষণ নিশ্চিত করা",
    "নতুন প্রযুক্তি গবেষণা ও উন্নয়ন",
    "Negotiate the office lease",
]
PEOPLE = [("An", "CTO"), ("Binh", "CIO"), ("Chi", "COO"), ("Dao", "CFO"), ("Eve", "VP Engineering")]


def make_plan(path: Path, n: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Leadership plan"])
    ws.append([])
    ws.append(["Executive", "Title", "Duty"])
    for i in range(n):
        name, title = PEOPLE[i % len(PEOPLE)]
        ws.append([name, title, f"{rnd.choice(DUTIES)} ({i})"])
    wb.save(path)


def baseline(path: Path, out: Path) -> None:
    """Merely load the plan with openpyxl and write a workbook of as many rows."""
    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    for row in rows:
        ws.append(list(row))
    wb.save(out)


REPEAT = 15


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # run from the folder holding the plans: from a checkout's root, `python -m addin` would
    # load the checkout's modules (never byte-compiled there) instead of the installed ones
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed(cmds: list[list[str]], repeat: int) -> list[tuple[float, float, float]]:
    """Median wall, median CPU and best wall seconds of each command, run in turns so load
    hits all alike (the best run is the one least disturbed by other work on the machine)."""
    runs: list[list[tuple[float, float]]] = [[] for _ in cmds]
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            runs[i].append(run_once(cmd))
    return [(statistics.median(w for w, _ in r), statistics.median(c for _, c in r),
             min(w for w, _ in r)) for r in runs]


def precompile() -> None:
    """Write the package's .pyc files, as installing it does (read even when not written)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PACKAGE)], check=True)


def main() -> None:
    py = sys.executable
    precompile()
    print(f"byte-compiled {PACKAGE} first (python -m compileall), as pip install does")
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp, "plan500.xlsx"), Path(tmp, "plan20.xlsx")
        make_plan(big, 500)
        make_plan(small, 20)
        out = str(Path(tmp, "r.xlsx"))
        here = str(Path(__file__).parent)
        base_cmd = [py, "-c", f"import sys; sys.path.insert(0, {here!r}); "
                    "from bench_check import baseline; from pathlib import Path; "
                    f"baseline(Path({str(big)!r}), Path({out!r}))"]
        # one warm-up run each: the profiles and message caches are written once per user
        for cmd in ([py, "-m", "addin", "check", str(big), "-o", out], base_cmd):
            run_once(cmd)
        (check, check_cpu, check_best), (base, base_cpu, base_best) = timed(
            [[py, "-m", "addin", "check", str(big), "-o", out], base_cmd], REPEAT)
        (cold, cold_cpu, _), (bare, _, _) = timed(
            [[py, "-m", "addin", "check", str(small), "-o", out], [py, "-c", "pass"]], REPEAT)
        print(f"medians of {REPEAT} runs, taken in turns; CPU = user + system time of the "
              f"process; best = the fastest run")
        ms = 1000
        print(f"check, 500-duty plan:           {check * ms:7.0f} ms  "
              f"(CPU {check_cpu * ms:.0f} ms, best {check_best * ms:.0f} ms)")
        print(f"openpyxl load + write, same:    {base * ms:7.0f} ms  (CPU {base_cpu * ms:.0f} ms, "
              f"best {base_best * ms:.0f} ms)")
        print(f"ratio (target <= 1.5):          {check / base:7.2f}  "
              f"(CPU {check_cpu / base_cpu:.2f}, best runs {check_best / base_best:.2f})")
        print(f"cold start, 20-duty plan:       {cold * ms:7.0f} ms  (CPU {cold_cpu * ms:.0f} ms; "
              f"target < 1000)")
        print(f"  of which bare interpreter:    {bare * ms:7.0f} ms")

if __name__ == "__main__":
    main()
