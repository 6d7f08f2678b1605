"""One function per job, for the CLI, batch, the service and the Excel ribbon alike."""

from __future__ import annotations

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

LEGACY_HINT = {
    ".xls": "an old-style Excel 97-2003 workbook",
    ".xlsb": "an Excel binary workbook",
    ".ods": "an OpenDocument spreadsheet",
}


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


def read_plan_file(path: Path) -> WorkbookData:
    """The sheet values of a plan file, whichever supported format it is in."""
    suffix = path.suffix.lower()
    if suffix in LEGACY_HINT and path.is_file():
        raise RolefitError(
            f"{path}: {LEGACY_HINT[suffix]} cannot be read; open it in Excel or LibreOffice "
            f"and save it as .xlsx (File > Save As > Excel Workbook)")
    from .xlsx_reader import read_workbook

    return read_workbook(path)


def check_file(path: Path, *, sheet: str | None = None, lang: str | None = None,
               profiles: Profiles | None = None, matcher: Matcher | None = None) -> Report:
    """Read and check the plan file at ``path``; the file itself is only read."""
    return check_workbook(read_plan_file(path), sheet=sheet, lang=lang, profiles=profiles,
                          matcher=matcher)


def report_book(report: Report, *, checked_on: date | None = None,
                plan_file: str | None = None, profiles: Profiles | None = None) -> ReportBook:
    """The report laid out as sheets, ready for any writer."""
    return build_report_book(report, profiles or load_profiles(),
                             checked_on=checked_on or date.today(), plan_file=plan_file)
