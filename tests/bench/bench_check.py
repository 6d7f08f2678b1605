"""Benchmark `rolefit check`: a 500-duty plan against a bare openpyxl load + write, and
the cold start on a 20-duty plan (what one ribbon click costs).

Run: .venv/bin/python tests/bench/bench_check.py
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

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


def timed(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp, "plan500.xlsx"), Path(tmp, "plan20.xlsx")
        make_plan(big, 500)
        make_plan(small, 20)
        out = str(Path(tmp, "r.xlsx"))
        check = timed([py, "-m", "addin", "check", str(big), "-o", out], 5)
        here = str(Path(__file__).parent)
        base = timed([py, "-c", f"import sys; sys.path.insert(0, {here!r}); "
                      "from bench_check import baseline; from pathlib import Path; "
                      f"baseline(Path({str(big)!r}), Path({out!r}))"], 5)
        cold = timed([py, "-m", "addin", "check", str(small), "-o", out], 7)
        bare = timed([py, "-c", "pass"], 7)
        print(f"check, 500-duty plan:           {check * 1000:7.0f} ms (median of 5)")
        print(f"openpyxl load + write, same:    {base * 1000:7.0f} ms")
        print(f"ratio (target <= 1.5):          {check / base:7.2f}")
        print(f"cold start, 20-duty plan:       {cold * 1000:7.0f} ms (target < 1000)")
        print(f"  of which bare interpreter:    {bare * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
