"""One function per job, for the CLI, batch, the service and the Excel ribbon alike."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date
from pathlib import Path

from .analysis import analyse
from .i18n import LANGS
from .layout import read_plan
from .matcher import Matcher, default_matcher
from .model import Plan, Profiles, Report, RolefitError, WorkbookData
from .profiles import load_profiles
from .report_model import ReportBook, build_report_book


def check_plan(plan: Plan, *, lang: str | None = None, profiles: Profiles | None = None,
               matcher: Matcher | None = None) -> Report:
    """Match every duty of ``plan`` and analyse the result."""
    profiles = profiles or load_profiles()
    matcher = matcher or default_matcher()
    matches = matcher.match_many([d.text for d in plan.duties])
    if lang is None:
        counts = Counter(m.lang for m in matches)
        lang = counts.most_common(1)[0][0] if counts else "en"
    if lang not in LANGS:
        raise RolefitError(f"unknown report language '{lang}': use one of {', '.join(LANGS)}")
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
    if same_file(out, plan):
        raise RolefitError(f"{out}: the report would overwrite the plan; choose another -o name")
    from .xlsx_writer import write_report

    profiles = profiles or load_profiles()
    report = check_file(plan, sheet=sheet, lang=lang, profiles=profiles, matcher=matcher)
    if make_folder:
        out.parent.mkdir(parents=True, exist_ok=True)
    plan_link = os.path.relpath(plan.resolve(), out.resolve().parent)
    write_report(report_book(report, plan_file=plan_link, profiles=profiles), out)
    return report


def check_into_copy(plan: Path, copy: Path, *, sheet: str | None = None,
                    lang: str | None = None, profiles: Profiles | None = None,
                    matcher: Matcher | None = None) -> Report:
    """Check the plan file and save a copy of it with the report's sheets added.

    The plan is only read. The copy is refused, naming what, when re-saving the plan
    would lose any of its contents (shapes, slicers, Excel 2010+ settings, ...).
    """
    if same_file(plan, copy):
        raise RolefitError(f"{copy}: --into must name a new copy, not the plan itself")
    from .xlsx_into import write_into_copy

    profiles = profiles or load_profiles()
    report = check_file(plan, sheet=sheet, lang=lang, profiles=profiles, matcher=matcher)
    # links to the plan's cells point inside the copy: the plan is that workbook
    book = report_book(report, plan_file=plan.name, profiles=profiles)
    write_into_copy(plan, copy, book)
    return report


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
