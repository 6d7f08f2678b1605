"""Benchmark `rolefit batch` on a generated folder of plans.

Prints: plans per second and peak memory (the batch process and its workers together)
with --jobs 1 and --jobs 2, the speed-up from the second worker, the batch's time against
merely opening every file (openpyxl for workbooks, csv for CSV), and where the time of one
plan goes (read, check, lay out, render). With python-calamine installed it also times
reading the workbooks with it.

Run: .venv/bin/python tests/bench/bench_batch.py [--count 1000] [--keep DIR] [--repeat 3]
Linux only (memory is sampled from /proc).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from gen_plans import generate_folder  # noqa: E402


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        p = int(entry)
        children.setdefault(int(fields[1]), []).append(p)
        rss[p] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, ()))
    return total


def run_batch(folder: Path, out: Path, jobs: int) -> tuple[float, float, int, int]:
    """Wall time, CPU time and peak memory of the process tree, exit code of one batch run."""
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, "-m", "addin", "batch", str(folder), "-o", str(out),
           "--jobs", str(jobs), "--force"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    if proc.returncode not in (0, 1):
        print(err, file=sys.stderr)
    return elapsed, cpu, peak, proc.returncode


def open_all(paths: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds to open every file and read its values, and nothing else."""
    import openpyxl

    start, cpu = time.perf_counter(), time.process_time()
    for p in paths:
        if p.suffix == ".csv":
            with p.open(encoding="utf-8-sig", newline="") as fh:
                for _ in csv.reader(fh):
                    pass
            continue
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()
    return time.perf_counter() - start, time.process_time() - cpu


def calamine_all(paths: list[Path]) -> float | None:
    """Seconds to read every workbook's values with python-calamine, if it is installed."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    start = time.perf_counter()
    for p in paths:
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def phases(paths: list[Path]) -> dict[str, float]:
    """Seconds spent in each step of the per-plan job, over ``paths``, in this process."""
    from addin import api
    from addin.matcher import default_matcher
    from addin.profiles import load_profiles
    from addin.xlsx_writer import render

    profiles, matcher = load_profiles(), default_matcher()
    spent = dict.fromkeys(("read", "check (layout, match, analyse)", "report model",
                           "render (XlsxWriter)"), 0.0)
    for p in paths:
        t0 = time.perf_counter()
        data = api.read_plan_file(p)
        t1 = time.perf_counter()
        report = api.check_workbook(data, profiles=profiles, matcher=matcher)
        t2 = time.perf_counter()
        book = api.report_book(report, profiles=profiles, plan_file=p.name)
        t3 = time.perf_counter()
        render(book)
        t4 = time.perf_counter()
        for k, dt in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            spent[k] += dt
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each batch this many times and keep the fastest")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="rolefit-bench-"))
    folder = base / "plans"
    try:
        if not folder.exists():
            t = time.perf_counter()
            generate_folder(folder, args.count, seed=7)
            print(f"generated {args.count} plans in {time.perf_counter() - t:.1f}s "
                  f"({sum(p.stat().st_size for p in folder.rglob('*')) / 1e6:.1f} MB)")
        paths = sorted(p for p in folder.rglob("*") if p.is_file())
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
              f"(other work on the machine slows every figure below)")
        n = len(paths)
        sample = paths[:: max(1, n // 100)]
        spent = phases(sample)
        total = sum(spent.values())
        print(f"one plan, in-process, mean of {len(sample)}: " + ", ".join(
            f"{k} {v / len(sample) * 1000:.0f} ms ({v / total:.0%})" for k, v in spent.items()))

        opened, opened_cpu = open_all(paths)
        print(f"open every file (openpyxl read-only; csv module for CSV): {opened:.1f}s, "
              f"CPU {opened_cpu:.1f}s ({n / opened:.0f} files/s)")
        cal = calamine_all([p for p in paths if p.suffix != ".csv"])
        if cal is not None:
            xl, _ = open_all([p for p in paths if p.suffix != ".csv"])
            print(f"read every workbook: openpyxl {xl:.1f}s, python-calamine {cal:.1f}s "
                  f"({xl / cal:.1f}x faster)")

        times = {}
        for jobs in (1, 2):
            out = base / f"out-{jobs}"
            runs = []
            for _ in range(args.repeat):  # best of N: other work on the machine only adds time
                shutil.rmtree(out, ignore_errors=True)
                runs.append(run_batch(folder, out, jobs))
            elapsed, cpu, peak, code = min(runs)
            times[jobs] = elapsed
            print(f"batch --jobs {jobs}: {elapsed:.1f}s, {n / elapsed:.1f} plans/s, "
                  f"CPU {cpu:.1f}s ({cpu / n * 1000:.0f} ms/plan), "
                  f"peak memory {peak / 2**20:.0f} MiB (all processes), exit {code}")
            if jobs == 1:
                print(f"  batch / opening every file: {elapsed / opened:.1f}x wall, "
                      f"{cpu / opened_cpu:.1f}x CPU (target <= 2x)")
        print(f"load average after the runs: {os.getloadavg()[0]:.1f}")
        print(f"speed-up from 2 workers: {times[1] / times[2]:.2f}x (target >= 1.7x)")
        print(f"batch --jobs 2 / opening every file (one process): {times[2] / opened:.1f}x")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
