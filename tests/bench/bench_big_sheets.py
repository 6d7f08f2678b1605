"""Benchmark: reading huge or odd-shaped sheets costs time and memory for the used cells only.

Run: ``.venv/bin/python tests/bench/bench_big_sheets.py``. Each case is read in its own
process (so peak memory is that read's alone) and one line of figures is printed per case:
seconds, peak RSS, rows and cells kept. Files are written to a temporary folder.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter

PLAN = [("Executive", "Title", "Duty"),
        ("Lan Pham", "Chief Technology Officer", "Own the product technology roadmap"),
        (None, None, "Lead the software engineering teams"),
        ("Omar Haque", "Chief Information Officer", "Run the internal IT systems")]


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _plan_rows() -> Iterator[str]:
    for r, row in enumerate(PLAN, start=1):
        cells = "".join(f'<c r="{_col(c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
                        for c, v in enumerate(row, start=1) if v)
        yield f'<row r="{r}">{cells}</row>'


def million_styled_rows() -> Iterator[str]:
    """The plan, then a million rows each holding one formatted but empty cell."""
    yield from _plan_rows()
    for r in range(len(PLAN) + 1, 1_048_577):
        yield f'<row r="{r}"><c r="A{r}" s="1"/></row>'


def full_width_row() -> Iterator[str]:
    """The plan, then one row with all 16,384 columns formatted and a value at XFD."""
    yield from _plan_rows()
    r = len(PLAN) + 1
    cells = "".join(f'<c r="{_col(c)}{r}" s="1"/>' for c in range(1, 16384))
    yield f'<row r="{r}">{cells}<c r="XFD{r}" t="inlineStr"><is><t>far</t></is></c></row>'


def bogus_dimension() -> Iterator[str]:
    yield from _plan_rows()


def dense_plan() -> Iterator[str]:
    """A long real plan: 100,000 duty rows, three text cells each."""
    yield from _plan_rows()
    for r in range(len(PLAN) + 1, len(PLAN) + 100_001):
        yield (f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Exec {r % 40}</t></is></c>'
               f'<c r="B{r}" t="inlineStr"><is><t>CTO</t></is></c>'
               f'<c r="C{r}" t="inlineStr"><is><t>Duty number {r} of the plan</t></is></c>'
               f"</row>")


CASES = {
    "million_styled_rows": (million_styled_rows, "A1:A1048576"),
    "full_width_row": (full_width_row, "A1:XFD5"),
    "bogus_dimension": (bogus_dimension, "A1:XFD1048576"),
    "dense_plan_100k_rows": (dense_plan, "A1:C100004"),
}


def build(path: Path, rows: Iterator[str], dimension: str) -> None:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet("Plan").write(0, 0, "x", wb.add_format({"bold": True}))
    wb.close()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info))
                continue
            with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
                fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                         b'2006/main">' + f'<dimension ref="{dimension}"/>'.encode()
                         + b"<sheetData>")
                chunk: list[str] = []
                for row in rows:
                    chunk.append(row)
                    if len(chunk) == 10_000:
                        fh.write("".join(chunk).encode())
                        chunk.clear()
                fh.write("".join(chunk).encode() + b"</sheetData></worksheet>")


CHILD = r"""
import json, sys, time
from pathlib import Path
start = time.perf_counter()
mode, path = sys.argv[1], Path(sys.argv[2])
if mode == "rolefit":
    from addin.xlsx_reader import read_workbook
    sheet = read_workbook(path).sheets[0]
    rows, cells = len(sheet.rows), sum(len(r) for r in sheet.rows)
else:  # openpyxl's own read-only rows, as a plain reader would use them (capped)
    import openpyxl
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = cells = 0
    for row in ws.iter_rows(values_only=True):
        rows += 1
        cells += len(row)
        if time.perf_counter() - start > float(sys.argv[3]):
            break
peak = 0
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        peak = int(line.split()[1]) // 1024
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": peak, "rows": rows,
                  "cells": cells}))
"""


def measure(mode: str, path: Path, cap: float = 20.0) -> dict[str, float]:
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(cap)],
                         capture_output=True, text=True, cwd=root, check=True)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':24} {'reader':9} {'file MB':>8} {'seconds':>8} {'peak MB':>8} "
              f"{'rows':>9} {'cells kept':>11}")
        for name, (rows, dimension) in CASES.items():
            path = Path(tmp) / f"{name}.xlsx"
            t = time.perf_counter()
            build(path, rows(), dimension)
            built = time.perf_counter() - t
            size = path.stat().st_size / 1024**2
            for mode in ("rolefit", "openpyxl"):
                r = measure(mode, path)
                capped = " (stopped at 20 s)" if mode == "openpyxl" and r["seconds"] > 20 else ""
                print(f"{name:24} {mode:9} {size:8.1f} {r['seconds']:8.2f} {r['peak_mb']:8.0f} "
                      f"{r['rows']:9,.0f} {r['cells']:11,.0f}{capped}")
            print(f"{'':24} (file built in {built:.1f} s)")


if __name__ == "__main__":
    main()
