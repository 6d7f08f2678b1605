"""Time layout reading on large plans (sheet values -> Plan) and print the figures.

Run: .venv/bin/python tests/bench/bench_layout.py
"""

from __future__ import annotations

import time

from addin.layout import read_plan
from addin.model import CellValue, SheetData, WorkbookData
from addin.profiles import load_profiles


def long_sheet(n: int) -> SheetData:
    rows: list[tuple[CellValue, ...]] = [("Leadership plan",), ("Executive", "Title", "Duty")]
    for i in range(n):
        who = (f"Person {i // 20}", "CTO" if i % 40 < 20 else "CIO") if i % 20 == 0 else (None,
                                                                                         None)
        rows.append((*who, f"• Duty {i} part one\n• Duty {i} part two; part three"))
    merged = tuple((3 + i, 1, 3 + i + 19, 1) for i in range(0, n, 20))
    return SheetData("Long", tuple(rows), merged=merged)


def raci_sheet(activities: int, people: int) -> SheetData:
    codes = ["R", "A", "C", "I", "A/R", "", "-", "c /i"]
    rows: list[tuple[CellValue, ...]] = [
        ("Activity", *(f"Role {j}" for j in range(people)))]
    for i in range(activities):
        rows.append((f"Activity {i}", *(codes[(i + j) % len(codes)] for j in range(people))))
    return SheetData("RACI", tuple(rows))


def main() -> None:
    profiles = load_profiles()
    for label, sheet in (("long list, 500 rows (1,500 duties)", long_sheet(500)),
                         ("long list, 20,000 rows (60,000 duties)", long_sheet(20_000)),
                         ("RACI matrix, 5,000 activities x 30 people", raci_sheet(5_000, 30))):
        start = time.perf_counter()
        plan = read_plan(WorkbookData("bench.xlsx", (sheet,)), profiles)
        took = time.perf_counter() - start
        print(f"{label}: {took:.2f} s, {len(plan.duties)} duties, "
              f"{len(plan.executives)} executives")


if __name__ == "__main__":
    main()
