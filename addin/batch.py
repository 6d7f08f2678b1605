"""``rolefit batch``: check every plan in a folder tree and write a portfolio workbook.

A shell: finding files, worker processes, progress and the files written. Each plan goes
through :func:`addin.api.check_to_workbook`, the same job as ``rolefit check``; the
portfolio's sheets come from :mod:`addin.portfolio`.

Output folder (default ``FOLDER/rolefit-reports``) mirrors the plans' folders::

    rolefit-reports/rolefit-portfolio.xlsx       one row per plan, links to the reports
    rolefit-reports/north/acme.rolefit.xlsx      the report of FOLDER/north/acme.xlsx
    rolefit-reports/.rolefit/north/acme.rolefit.xlsx.json
                                                 its summary and the plan's size and time,
                                                 so a rerun skips plans that did not change
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

from . import __version__
from .i18n import say
from .model import Profiles, RolefitError
from .portfolio import (
    LANG,
    PORTFOLIO_FILE,
    Failure,
    PlanSummary,
    PortfolioInfo,
    build_portfolio,
    summarise,
    summary_from_json,
    summary_to_json,
)

DEFAULT_PATTERNS: tuple[str, ...] = ("*.xlsx", "*.xlsm", "*.csv")
DEFAULT_OUTDIR = "rolefit-reports"
INDEX_DIR = ".rolefit"
REPORT_SUFFIX = ".rolefit.xlsx"
INDEX_SCHEMA = "rolefit/batch-index-v1"

#: A worker's answer: ("checked", summary as JSON data) or ("failed", one-line reason).
_Result = tuple[str, dict[str, Any] | str]
_Results = Generator[tuple[int, _Result], None, None]


@dataclass(frozen=True)
class PlanJob:
    """One plan to check and where its report and summary go."""

    plan: Path
    #: The plan's path under the batch folder, ``/``-separated (shown to the user).
    rel: str
    report: Path
    #: The report's path under the output folder, ``/``-separated (the portfolio links it).
    report_rel: str
    index: Path


@dataclass
class Outcome:
    """What happened to one plan: a summary, or the one-line reason it failed."""

    job: PlanJob
    status: str  # "checked", "up_to_date", "failed"
    summary: PlanSummary | None = None
    error: str = ""


@dataclass
class BatchResult:
    """What a batch run did: counts, the files that failed, and where it wrote."""

    total: int = 0
    checked: int = 0
    up_to_date: int = 0
    failures: list[Failure] = field(default_factory=list)
    portfolio: Path | None = None
    outdir: Path | None = None
    #: The language of the portfolio and of :meth:`summary_lines`.
    lang: str = LANG

    def summary_lines(self) -> list[str]:
        """How many plans were checked, unchanged or failed; where the output went."""
        from .summary import batch_lines

        return batch_lines(self.lang, total=self.total, checked=self.checked,
                           up_to_date=self.up_to_date, failed=len(self.failures),
                           reports=self.outdir, portfolio=self.portfolio)


# ---------------------------------------------------------------- finding plans


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    path = PurePosixPath(rel.lower())
    return any(path.match(p.lower()) for p in patterns)


def _is_own_output(name: str) -> bool:
    low = name.lower()
    return low.endswith(REPORT_SUFFIX) or low == PORTFOLIO_FILE


def discover(folder: Path, outdir: Path, patterns: Sequence[str] = DEFAULT_PATTERNS,
             on_error: Callable[[str, str], None] | None = None) -> list[PlanJob]:
    """Every plan under ``folder`` (sorted), skipping lock files, hidden folders and output.

    ``on_error(rel, message)`` hears about sub-folders that cannot be read.
    """
    folder_abs = folder.resolve()
    out_abs = outdir.resolve()
    jobs: list[PlanJob] = []

    def walk_error(exc: OSError) -> None:
        if on_error is not None and exc.filename:
            rel = Path(exc.filename).resolve().relative_to(folder_abs).as_posix()
            on_error(rel + "/", f"cannot read this folder ({exc.strerror})")

    for root, dirs, files in os.walk(folder_abs, onerror=walk_error):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs
                         if not d.startswith(".") and (here / d).resolve() != out_abs)
        rel_dir = here.relative_to(folder_abs)
        names = []
        for name in sorted(files):
            # ~$ files are Excel's locks on an open workbook; dot files are hidden
            if name.startswith(("~$", ".")) or _is_own_output(name):
                continue
            if _matches((rel_dir / name).as_posix(), patterns):
                names.append(name)
        stems: dict[str, int] = {}
        for name in names:
            stems[Path(name).stem.lower()] = stems.get(Path(name).stem.lower(), 0) + 1
        for name in names:
            # plan.xlsx and plan.csv side by side must not share a report
            base = Path(name).stem if stems[Path(name).stem.lower()] == 1 else name
            report_rel = (rel_dir / f"{base}{REPORT_SUFFIX}").as_posix()
            jobs.append(PlanJob(
                plan=here / name,
                rel=(rel_dir / name).as_posix(),
                report=out_abs / report_rel,
                report_rel=report_rel,
                index=out_abs / INDEX_DIR / f"{report_rel}.json",
            ))
    return jobs


# ---------------------------------------------------------------- incremental runs


def _fingerprint(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def stored_summary(job: PlanJob, profiles_version: str) -> PlanSummary | None:
    """The summary kept from an earlier run, if the plan, report and profiles are unchanged.

    A new rolefit version checks every plan again: its matcher may answer differently.
    """
    try:
        data = json.loads(job.index.read_text(encoding="utf-8"))
        if (data.get("schema") != INDEX_SCHEMA
                or data.get("plan") != _fingerprint(job.plan)
                or data.get("profiles_version") != profiles_version
                or data.get("rolefit") != __version__
                or job.report.stat().st_mtime_ns < data["plan"]["mtime_ns"]):
            return None
        summary = summary_from_json(data["summary"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if summary.file != job.rel or summary.report != job.report_rel:
        return None
    return summary


# ---------------------------------------------------------------- the per-plan job

_worker: dict[str, Any] = {}


def _init_worker(ignore_sigint: bool = True) -> None:
    """Load the profiles and the matcher once per worker process."""
    from .matcher import default_matcher
    from .profiles import load_profiles

    if ignore_sigint:
        # Ctrl-C is the main process's to handle: it lets running plans finish their writes
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker["profiles"] = load_profiles()
    _worker["matcher"] = default_matcher()


def _check_one(job: PlanJob) -> _Result:
    """Check one plan, write its report and summary; never raises for a bad plan."""
    from . import api
    from .files import write_atomic

    profiles: Profiles = _worker["profiles"]
    try:
        before = _fingerprint(job.plan)
        report = api.check_to_workbook(job.plan, job.report, profiles=profiles,
                                       matcher=_worker["matcher"], make_folder=True)
        summary = summary_to_json(summarise(report, job.rel, job.report_rel))
        index = {"schema": INDEX_SCHEMA, "plan": before, "profiles_version": profiles.version,
                 "rolefit": __version__, "summary": summary}
        job.index.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(job.index, json.dumps(index, ensure_ascii=False).encode("utf-8"))
        return "checked", summary
    except RolefitError as exc:
        return "failed", _named_as_in_folder(str(exc), job)
    except MemoryError:
        return "failed", f"{job.rel}: too large to check in the memory available"
    except Exception as exc:  # one odd file must never stop the batch
        return "failed", f"{job.rel}: could not be checked ({type(exc).__name__}: {exc})"


def _named_as_in_folder(message: str, job: PlanJob) -> str:
    """An error line that starts with the plan, named by its path inside the batch folder."""
    # readers name the file as it was opened, the layout by its bare name: show one form
    for given in (str(job.plan), job.plan.name):
        if message.startswith(given + ":"):
            return job.rel + message[len(given):]
    return message


# ---------------------------------------------------------------- progress


class Progress:
    """A one-line bar on a terminal; plain lines every few percent in a log file."""

    def __init__(self, total: int, stream: TextIO, tty: bool | None = None,
                 lang: str = LANG) -> None:
        self.total = total
        self.lang = lang
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.start = time.monotonic()
        self.done = 0
        self.failed = 0
        self._last_draw = 0.0
        self._last_line = -1
        self._step = max(1, total // 20)
        self._closed = False

    def update(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if self.tty:
            if now - self._last_draw >= 0.1 or self.done == self.total:
                self._last_draw = now
                self.stream.write("\r" + self._bar(now) + "\x1b[K")
                self.stream.flush()
        elif self.done // self._step != self._last_line or self.done == self.total:
            self._last_line = self.done // self._step
            self.stream.write(self._text(now) + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.tty and self.done and not self._closed:
            self.stream.write("\n")
            self.stream.flush()
        self._closed = True

    def _text(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        lang = self.lang
        text = say(lang, "batch.progress", done=self.done, total=self.total,
                   share=f"{self.done / max(self.total, 1):.0%}")
        if self.failed:
            text += say(lang, "batch.progress_failed", failed=self.failed)
        text += say(lang, "batch.progress_rate", rate=f"{rate:.1f}")
        if self.done < self.total and rate > 0:
            text += say(lang, "batch.progress_left",
                        left=_duration(lang, (self.total - self.done) / rate))
        return text

    def _bar(self, now: float) -> str:
        width = 24
        filled = int(width * self.done / max(self.total, 1))
        return f"[{'#' * filled}{'.' * (width - filled)}] {self._text(now)}"


def _duration(lang: str, seconds: float) -> str:
    s = int(seconds + 0.5)
    if s < 60:
        return say(lang, "batch.seconds", s=s)
    if s < 3600:
        return say(lang, "batch.minutes", m=s // 60, s=s % 60)
    return say(lang, "batch.hours", h=s // 3600, m=s % 3600 // 60)


# ---------------------------------------------------------------- the run


class _JsonLines:
    """JSON lines written as plans finish, into a temporary file renamed at the end."""

    def __init__(self, target: str | None) -> None:
        self.target = target
        self._fh: TextIO | None = None
        self._tmp: Path | None = None
        if target is None:
            return
        if target == "-":
            self._fh = sys.stdout
            return
        import tempfile

        path = Path(target)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                       dir=path.parent if str(path.parent) else ".")
        except OSError as exc:
            raise RolefitError(f"{path}: cannot write here ({exc.strerror})") from None
        self._tmp = Path(tmp)
        self._fh = os.fdopen(fd, "w", encoding="utf-8")

    def write(self, outcome: Outcome) -> None:
        if self._fh is None:
            return
        record: dict[str, Any] = {"path": outcome.job.rel, "status": outcome.status}
        if outcome.summary is not None:
            record["report"] = outcome.job.report_rel
            record["summary"] = summary_to_json(outcome.summary)
        if outcome.error:
            record["error"] = outcome.error
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is None or self._tmp is None or self.target is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self._tmp, self.target)


def run_batch(folder: Path, *, outdir: Path | None = None, jobs: int | None = None,
              patterns: Sequence[str] = DEFAULT_PATTERNS, json_target: str | None = None,
              force: bool = False, progress: TextIO | None = None,
              checked_on: date | None = None, lang: str = LANG) -> BatchResult:
    """Check every plan under ``folder`` and write their reports and the portfolio.

    ``lang`` is the portfolio's language; each plan's report speaks its plan's language.

    Raises :class:`RolefitError` when the folder or output folder cannot be used; a bad
    plan is recorded in the result (and the portfolio's Failed sheet) instead.
    """
    from .profiles import load_profiles

    if not folder.exists():
        raise RolefitError(f"{folder}: folder not found")
    if not folder.is_dir():
        raise RolefitError(f"{folder}: not a folder; to check one plan use 'rolefit check'")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise RolefitError(f"{folder}: permission denied; cannot read the folder")
    outdir = outdir if outdir is not None else folder / DEFAULT_OUTDIR
    result = BatchResult(outdir=outdir, lang=lang)
    folder_failures: list[Failure] = []
    plans = discover(folder, outdir, patterns,
                     on_error=lambda rel, msg: folder_failures.append(Failure(rel, msg)))
    if not plans and not folder_failures:
        raise RolefitError(f"{folder}: no plan files found (looked for "
                           f"{', '.join(patterns)} in it and its sub-folders)")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RolefitError(f"{outdir}: cannot create the output folder ({exc.strerror})") from None
    if not os.access(outdir, os.W_OK):
        raise RolefitError(f"{outdir}: permission denied; cannot write reports here")
    result.total = len(plans)
    profiles = load_profiles()
    summaries: dict[int, PlanSummary] = {}
    failures: dict[int, Failure] = {}
    todo: list[int] = []
    out = _JsonLines(json_target)
    bar = Progress(len(plans), progress or sys.stderr, lang=lang)
    results: _Results | None = None
    try:
        for i, job in enumerate(plans):
            kept = None if force else stored_summary(job, profiles.version)
            if kept is None:
                todo.append(i)
                continue
            summaries[i] = kept
            result.up_to_date += 1
            out.write(Outcome(job, "up_to_date", kept))
            bar.update(False)

        results = _run_jobs([plans[i] for i in todo], todo, jobs)
        for i, (status, value) in results:
            job = plans[i]
            if status == "checked" and isinstance(value, dict):
                summaries[i] = summary_from_json(value)
                result.checked += 1
                out.write(Outcome(job, "checked", summaries[i]))
            else:
                failures[i] = Failure(job.rel, str(value))
                out.write(Outcome(job, "failed", error=str(value)))
            bar.update(status != "checked")
    except KeyboardInterrupt:
        bar.close()
        print("rolefit: " + say(lang, "batch.stopped", done=bar.done, total=len(plans)),
              file=progress or sys.stderr)
        raise
    finally:
        if results is not None:
            results.close()  # stops the workers (letting running plans finish) before going on
        bar.close()
        out.close()

    result.failures = folder_failures + [failures[i] for i in sorted(failures)]
    info = PortfolioInfo(folder=str(folder.resolve()), checked_on=checked_on or date.today(),
                         profiles_version=profiles.version,
                         reports=str(outdir))
    book = build_portfolio((summaries[i] for i in sorted(summaries)), result.failures,
                           profiles, info, lang=lang)
    from .xlsx_writer import write_report

    result.portfolio = outdir / PORTFOLIO_FILE
    write_report(book, result.portfolio)
    return result


def _run_jobs(jobs: Sequence[PlanJob], ids: Sequence[int],
              workers: int | None) -> _Results:
    """Run the per-plan job, in worker processes when there are several; yields as done."""
    if not jobs:
        return
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    # loaded here too: forked workers then start with the matcher ready, at no cost
    _init_worker(ignore_sigint=False)
    if workers == 1:
        for i, job in zip(ids, jobs, strict=True):
            yield i, _check_one(job)
        return
    queue = iter(zip(ids, jobs, strict=True))
    window = workers * 4  # a few plans queued per worker; not the whole folder at once
    while True:
        pool = cf.ProcessPoolExecutor(max_workers=workers, initializer=_init_worker)
        pending: dict[cf.Future[_Result], tuple[int, PlanJob]] = {}
        suspects: list[tuple[int, PlanJob]] = []
        try:
            while not suspects:
                for i, job in queue:
                    pending[pool.submit(_check_one, job)] = (i, job)
                    if len(pending) >= window:
                        break
                if not pending:
                    return
                done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for fut in done:
                    i, job = pending.pop(fut)
                    try:
                        result = fut.result()
                    except cf.process.BrokenProcessPool:
                        suspects.append((i, job))
                        continue
                    except Exception as exc:
                        result = ("failed", f"{job.plan}: could not be checked "
                                            f"({type(exc).__name__}: {exc})")
                    yield i, result
            suspects.extend(pending.values())
        finally:
            # on Ctrl-C: drop queued plans, let running ones finish writing their reports
            pool.shutdown(wait=True, cancel_futures=True)
        # a worker died (out of memory, or a crash inside a reader library): the plans it
        # may have held are tried one by one, so only the one that kills a worker fails
        for i, job in sorted(suspects, key=lambda s: s[0]):
            yield i, _isolated(job)


def _isolated(job: PlanJob) -> _Result:
    """The per-plan job in a worker of its own; a dying worker fails only this plan."""
    with cf.ProcessPoolExecutor(max_workers=1, initializer=_init_worker) as pool:
        try:
            return pool.submit(_check_one, job).result()
        except cf.process.BrokenProcessPool:
            return ("failed", f"{job.plan}: checking this file stopped its process (too large "
                              f"for the memory available, or a damaged file); it was skipped")
