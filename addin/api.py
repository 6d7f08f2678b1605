"""One function per job, for the CLI, batch, the service and the Excel ribbon alike."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .analysis import analyse
from .i18n import catalogue, say
from .layout import read_plan
from .matcher import Matcher, default_matcher
from .model import Plan, Profiles, Report, RolefitError, WorkbookData
from .profiles import load_profiles
from .report_model import ReportBook, build_report_book
from .summary import summary_lines


def check_plan(plan: Plan, *, lang: str | None = None, profiles: Profiles | None = None,
               matcher: Matcher | None = None) -> Report:
    """Match every duty of ``plan`` and analyse the result."""
    profiles = profiles or load_profiles()
    matcher = matcher or default_matcher()
    matches = matcher.match_many([d.text for d in plan.duties])
    if lang is None:
        counts = Counter(m.lang for m in matches)
        lang = counts.most_common(1)[0][0] if counts else "en"
    catalogue(lang)  # an unknown language is refused here, in one line, before any work
    return analyse(plan, matches, profiles, lang)


def check_workbook(workbook: WorkbookData, *, sheet: str | None = None, lang: str | None = None,
                   profiles: Profiles | None = None, matcher: Matcher | None = None) -> Report:
    """Read the plan in ``workbook`` (sheet values from any source) and check it."""
    profiles = profiles or load_profiles()
    plan = read_plan(workbook, profiles, sheet)
    return check_plan(plan, lang=lang, profiles=profiles, matcher=matcher)


def forget_words(matcher: Matcher | None = None) -> None:
    """Empty every cache of words and cell texts met in plans.

    The service calls this after each answer, so it keeps nothing of a plan; the caches
    only save time within one check (and across checks in one command-line run).
    """
    from .layout_cells import forget_headers
    from .layout_raci import parse_raci
    from .text import forget_words as forget_text

    forget_text()
    forget_headers()
    parse_raci.cache_clear()
    (matcher or default_matcher()).forget()


def read_plan_file(path: Path, *, sheet: str | None = None) -> WorkbookData:
    """The sheet values of a plan file (only ``sheet``'s, if named).

    What the file really is decides, not its name: a PDF, a text file, an old .xls, an
    .xlsb or a password-protected workbook renamed .xlsx gets its own one-line error.
    """
    from .csv_reader import CSV_SUFFIXES, read_csv

    if path.suffix.lower() in CSV_SUFFIXES:
        return read_csv(path)
    from .xlsx_reader import read_workbook

    return read_workbook(path, sheet)


def check_file(path: Path, *, sheet: str | None = None, lang: str | None = None,
               profiles: Profiles | None = None, matcher: Matcher | None = None) -> Report:
    """Read and check the plan file at ``path``; the file itself is only read."""
    return check_workbook(read_plan_file(path, sheet=sheet), sheet=sheet, lang=lang,
                          profiles=profiles, matcher=matcher)


def check_to_workbook(plan: Path, out: Path, *, sheet: str | None = None,
                      lang: str | None = None, profiles: Profiles | None = None,
                      matcher: Matcher | None = None, make_folder: bool = False) -> Report:
    """Check the plan file and write its report workbook to ``out`` (atomically).

    The one job behind ``rolefit check`` and each plan of ``rolefit batch``; the plan is
    only read, and the report links back to its cells by a path relative to the report.
    ``make_folder`` creates the report's folder, once the plan has been checked.
    """
    _not_the_plan(out, plan, "report", "-o")
    from .xlsx_writer import write_report

    profiles = profiles or load_profiles()
    report = check_file(plan, sheet=sheet, lang=lang, profiles=profiles, matcher=matcher)
    if make_folder:
        out.parent.mkdir(parents=True, exist_ok=True)
    write_report(report_book(report, plan_file=plan_link(plan, out), profiles=profiles), out)
    return report


def check_into_copy(plan: Path, copy: Path, *, sheet: str | None = None,
                    lang: str | None = None, profiles: Profiles | None = None,
                    matcher: Matcher | None = None) -> Report:
    """Check the plan file and save a copy of it with the report's sheets added.

    The plan is only read. The copy is refused, naming what, when re-saving the plan
    would lose any of its contents (shapes, slicers, Excel 2010+ settings, ...).
    """
    _not_the_plan(copy, plan, "copy", "--into")
    from .xlsx_into import write_into_copy

    profiles = profiles or load_profiles()
    report = check_file(plan, sheet=sheet, lang=lang, profiles=profiles, matcher=matcher)
    # links to the plan's cells point inside the copy: the plan is that workbook
    book = report_book(report, plan_file=plan.name, profiles=profiles)
    write_into_copy(plan, copy, book)
    return report


def plan_link(plan: Path, out: Path) -> str:
    """The plan's path as a report written to ``out`` links to it: relative to its folder."""
    return os.path.relpath(plan.resolve(), out.resolve().parent)


def _not_the_plan(path: Path, plan: Path, what: str, option: str) -> None:
    if same_file(path, plan):
        raise RolefitError(f"{path}: the {what} would overwrite the plan; choose another "
                           f"{option} name")


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links, case-insensitive disks, ...)."""
    try:
        return a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()


def report_book(report: Report, *, checked_on: date | None = None,
                plan_file: str | None = None, profiles: Profiles | None = None) -> ReportBook:
    """The report laid out as sheets, ready for any writer."""
    return build_report_book(report, profiles or load_profiles(),
                             checked_on=checked_on or date.today(), plan_file=plan_file)


# ---------------------------------------------------------------- rolefit check


def default_report_path(plan: Path) -> Path:
    """Where ``rolefit check plan.xlsx`` writes: ``plan.rolefit.xlsx`` beside the plan."""
    return plan.with_name(f"{plan.stem}.rolefit.xlsx")


@dataclass(frozen=True)
class CheckJob:
    """One ``rolefit check``: the plan, how to read it, and every output asked for."""

    plan: Path
    #: The separate report workbook (default: :func:`default_report_path`).
    report: Path | None = None
    #: Instead of a separate report, a copy of the plan with the report sheets added.
    into: Path | None = None
    #: The report as JSON, written to this file.
    json: Path | None = None
    #: The report as one HTML page, written to this file.
    html: Path | None = None
    sheet: str | None = None
    lang: str | None = None

    @property
    def workbook(self) -> Path:
        """The workbook written: the copy, the report asked for, or the default report."""
        return self.into or self.report or default_report_path(self.plan)


@dataclass(frozen=True)
class CheckDone:
    """What :func:`check_to_files` did: the report, the workbook written, lines to show."""

    report: Report
    workbook: Path
    #: The summary of what the report found, then where it was written.
    lines: tuple[str, ...]


def check_outputs(job: CheckJob) -> None:
    """Refuse, before any work, outputs that clash: one that would overwrite the plan, or a
    separate report and a copy with the report inside asked for together."""
    if job.into is not None and job.report is not None:
        raise RolefitError("give either -o (a separate report) or --into (a copy of the "
                           "plan with the report inside), not both")
    for path, what, option in ((job.report, "report", "-o"), (job.into, "copy", "--into"),
                               (job.json, "JSON", "--json"), (job.html, "HTML page", "--html")):
        if path is not None:
            _not_the_plan(path, job.plan, what, option)


def check_to_files(job: CheckJob, *, profiles: Profiles | None = None,
                   matcher: Matcher | None = None) -> CheckDone:
    """The one job behind ``rolefit check``: check the plan, write every output asked for.

    The report workbook (or the copy) comes first, then the HTML page and the JSON; each
    is written atomically and the plan is only read.
    """
    check_outputs(job)
    profiles = profiles or load_profiles()
    if job.into is not None:
        report = check_into_copy(job.plan, job.into, sheet=job.sheet, lang=job.lang,
                                 profiles=profiles, matcher=matcher)
    else:
        report = check_to_workbook(job.plan, job.workbook, sheet=job.sheet, lang=job.lang,
                                   profiles=profiles, matcher=matcher)
    if job.html is not None:
        from .html_report import write_html  # jinja2 is loaded only for an HTML page

        today = date.today()
        write_html(report_book(report, checked_on=today, plan_file=plan_link(job.plan, job.html),
                               profiles=profiles), job.html, generated_on=today.isoformat())
    if job.json is not None:
        from .files import write_atomic

        write_atomic(job.json, report_json_text(report).encode("utf-8"))
    lines = (*summary_lines(report), say(report.lang, "summary.report_written", path=job.workbook))
    return CheckDone(report, job.workbook, lines)


def report_json_text(report: Report) -> str:
    """The report as the JSON text ``rolefit check --json`` writes."""
    import json

    from .report_json import report_to_json

    return json.dumps(report_to_json(report), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- an open workbook


@dataclass(frozen=True)
class OpenWorkbookResult:
    """A plan checked in an open workbook: the report, its sheets, and what to tell the user."""

    report: Report
    #: The report laid out as sheets; links to the plan's cells stay inside the workbook.
    book: ReportBook
    #: A few lines that say what the report found.
    summary: tuple[str, ...]


def check_open_workbook(workbook: WorkbookData, *, sheet: str | None = None,
                        lang: str | None = None, checked_on: date | None = None,
                        profiles: Profiles | None = None,
                        matcher: Matcher | None = None) -> OpenWorkbookResult:
    """The one job behind the ribbon button and the Office add-in: check the sheet values of
    a workbook open in Excel and lay out the report sheets to add to that same workbook."""
    profiles = profiles or load_profiles()
    report = check_workbook(workbook, sheet=sheet, lang=lang, profiles=profiles,
                            matcher=matcher)
    # the plan is the open workbook, so links back to its cells stay inside it
    book = report_book(report, checked_on=checked_on, plan_file=workbook.name,
                       profiles=profiles)
    return OpenWorkbookResult(report, book, tuple(summary_lines(report)))
