"""Benchmark the ribbon button's writer: how many calls into Excel a 500-duty plan costs.

Every call into Excel crosses COM (Windows) or AppleScript (macOS), a few milliseconds each,
so the number of calls is what decides the wait. This runs the adapter against the in-memory
stand-in of the tests, counts the calls, and estimates the time at 5 ms and 20 ms per call.

Run: .venv/bin/python tests/bench/bench_excel_ribbon.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_excel_ribbon import Book, report_sheets

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import DUTIES

from addin import excel_ribbon

# the same duty lines as the check benchmark; people named and titled the way plans do
PEOPLE = [("Ana Silva", "CTO"), ("Binh Tran", "CIO"), ("Rahim Khan", "CFO"),
          ("Mai Le", "Head of Data")]


def plan_book(duties: int) -> Book:
    rows: list[list[object]] = [["Leadership plan"], [None],
                                ["Executive", "Title", "Reports to", "Duty"]]
    for i in range(duties):
        name, title = PEOPLE[i * len(PEOPLE) // duties]
        first = i == 0 or PEOPLE[(i - 1) * len(PEOPLE) // duties][0] != name
        rows.append([name if first else None, title if first else None,
                     "CEO" if first else None, DUTIES[i % len(DUTIES)]])
    book = Book("plan.xlsx")
    book.user_sheet("Plan", rows)
    return book


def main() -> None:
    for duties in (50, 500):
        for multi_area, label in ((True, "Windows (multi-area ranges)"),
                                  (False, "macOS (one range per call)")):
            book = plan_book(duties)
            start = time.perf_counter()
            excel_ribbon.run(book, multi_area=multi_area)
            took = time.perf_counter() - start
            calls = sum(book._calls.values())
            sheets = len(report_sheets(book))
            print(f"{duties:4d} duties, {label:28s}: {book._calls['value']} value writes "
                  f"({sheets} sheets), {book._calls['format']} format calls, "
                  f"{book._calls['width']} width calls = {calls} calls; "
                  f"~{calls * 0.005:.1f} s at 5 ms/call, ~{calls * 0.02:.1f} s at 20 ms/call; "
                  f"python side {took:.2f} s")


if __name__ == "__main__":
    main()
