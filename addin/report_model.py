"""From a report to sheets of cells and styles that any writer can render.

The same :class:`ReportBook` becomes a report workbook (XlsxWriter), sheets in the
open workbook (xlwings), or the sheets the Office.js add-in writes; so all three show
the same rows, colours and links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .i18n import say
from .model import FINDING_KINDS, ROLES, CellValue, Profiles, Report

#: Text longer than this is cut in the workbook (the JSON keeps it whole).
MAX_SHOWN = 1000


@dataclass(frozen=True)
class Style:
    """How a cell looks; colours are ``#RRGGBB``."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None
    fill: str | None = None
    wrap: bool = False
    num_format: str | None = None
    border: bool = False
    valign_top: bool = True


@dataclass(frozen=True)
class Link:
    """A hyperlink to a cell of this report (``file`` None) or of another workbook."""

    sheet: str
    cell: str
    file: str | None = None


@dataclass(frozen=True)
class Cell:
    value: CellValue
    style: str = ""
    link: Link | None = None


@dataclass(frozen=True)
class Table:
    """A header row and the data rows under it, inside a sheet (0-based rows)."""

    header_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass(frozen=True)
class Chart:
    """A native chart: ``kind`` over data in this sheet (0-based rows/cols, inclusive)."""

    kind: str  # "bar" (horizontal), "column", "stacked_bar"
    title: str
    categories: tuple[int, int, int, int]  # first_row, first_col, last_row, last_col
    series: tuple[tuple[str, tuple[int, int, int, int], str], ...]  # name, range, colour
    anchor: str  # A1 cell of the top-left corner


@dataclass(frozen=True)
class ColourScale:
    """A conditional colour scale over a block of cells (0-based, inclusive)."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    low: str
    high: str


@dataclass(frozen=True)
class ReportSheet:
    name: str
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    freeze: tuple[int, int] = (0, 0)
    table: Table | None = None
    landscape: bool = False
    charts: tuple[Chart, ...] = ()
    scales: tuple[ColourScale, ...] = ()


@dataclass(frozen=True)
class ReportBook:
    title: str
    plan: str
    sheets: tuple[ReportSheet, ...]
    styles: Mapping[str, Style] = field(default_factory=dict)

    def sheet(self, name: str) -> ReportSheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


STATUS_FILL = {"held": "#C6EFCE", "held_elsewhere": "#FFEB9C", "gap": "#FFC7CE",
               "overlap": "#F4B183"}
VERDICT_FILL = {"aligned": "#C6EFCE", "shared": "#DDEBF7", "misfit": "#FFC7CE",
                "out_of_scope": "#FFEB9C", "other": None}
KIND_FILL = {"missing_role": "#FF9999", "gap": "#FFC7CE", "misfit": "#FFC7CE",
             "overlap": "#F4B183", "reporting_line": "#FFEB9C", "out_of_scope": "#FFEB9C",
             "raci_no_accountable": "#FFEB9C", "raci_multiple_accountable": "#FFEB9C"}

STYLES: dict[str, Style] = {
    "": Style(),
    "title": Style(bold=True, size=16, color="#1F3864"),
    "subtitle": Style(bold=True, size=12, color="#1F3864"),
    "header": Style(bold=True, color="#FFFFFF", fill="#1F3864", wrap=True, border=True),
    "label": Style(bold=True),
    "text": Style(wrap=True),
    "percent": Style(num_format="0%"),
    "number": Style(num_format="0"),
    "confidence": Style(num_format="0.00"),
    "link": Style(color="#0563C1", wrap=True),
    "ok": Style(bold=True, color="#006100", fill="#C6EFCE"),
    "warn": Style(bold=True, color="#9C0006", fill="#FFC7CE"),
    **{f"status.{k}": Style(fill=v) for k, v in STATUS_FILL.items()},
    **{f"verdict.{k}": Style(fill=v) for k, v in VERDICT_FILL.items()},
    **{f"kind.{k}": Style(fill=v, wrap=True) for k, v in KIND_FILL.items()},
}


def shown(text: str) -> str:
    """Text as shown in a cell: capped so one runaway duty cannot swamp the sheet."""
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _a1(row: int, col: int) -> str:
    from .layout import column_letter

    return f"{column_letter(col + 1)}{row + 1}"


def build_report_book(report: Report, profiles: Profiles, *, checked_on: date,
                      plan_file: str | None = None) -> ReportBook:
    """Lay the report out as sheets: Summary, Findings, Coverage, Duties, Profiles.

    ``plan_file`` is the plan's path relative to the report, for links back to its cells.
    """
    lang = report.lang
    names = {k: say(lang, f"sheet.{k}") for k in
             ("summary", "findings", "coverage", "duties", "profiles")}
    duty_row0 = 1  # data rows of Duties start under its header
    profile_rows = {r.id: i + 1 for i, r in enumerate(profiles.responsibilities())}
    sheets = (
        _summary(report, names, checked_on, duty_row0),
        _findings(report, names, duty_row0),
        _coverage(report, profiles, names),
        _duties(report, profiles, names, plan_file, profile_rows),
        _profiles(profiles, lang, names),
    )
    return ReportBook(title=say(lang, "label.report_title", plan=report.plan.name),
                      plan=report.plan.name, sheets=sheets, styles=STYLES)


def _row(*cells: Cell | CellValue) -> tuple[Cell, ...]:
    return tuple(c if isinstance(c, Cell) else Cell(c) for c in cells)


def _header(lang: str, keys: Sequence[str]) -> tuple[Cell, ...]:
    return tuple(Cell(say(lang, f"label.{k}"), "header") for k in keys)


def _summary(report: Report, names: Mapping[str, str], checked_on: date,
             duty_row0: int) -> ReportSheet:
    lang = report.lang
    plan = report.plan
    rows: list[tuple[Cell, ...]] = [
        _row(Cell(say(lang, "label.report_title", plan=plan.name), "title")),
        _row(Cell(say(lang, "label.plan"), "label"), plan.name),
        _row(Cell(say(lang, "label.checked_on"), "label"), checked_on.isoformat()),
        _row(Cell(say(lang, "label.profiles_version"), "label"), report.profiles_version),
        (),
    ]
    top = report.findings[:5]
    if top:
        rows.append(_row(Cell(say(lang, "label.verdict_line_issues",
                                  count=len(report.findings)), "warn")))
        rows.append(_header(lang, ("kind", "message", "what_to_do")))
        for f in top:
            link = (Link(names["duties"], f"A{duty_row0 + f.duty_rows[0] + 1}")
                    if f.duty_rows else None)
            rows.append(_row(Cell(say(lang, f"kind.{f.kind}"), f"kind.{f.kind}"),
                             Cell(shown(f.message), "link" if link else "text", link),
                             Cell(say(lang, f"fix.{f.kind}", **f.params), "text")))
    else:
        rows.append(_row(Cell(say(lang, "label.verdict_line_ok"), "ok")))
    rows.append(())

    rows.append(_row(Cell(say(lang, "label.coverage"), "subtitle")))
    rows.append(_header(lang, ("role", "executive", "coverage")))
    cov_first = len(rows)
    for role in ROLES:
        holders = report.role_holders.get(role, ())
        rows.append(_row(Cell(role, "label"),
                         ", ".join(holders) or say(lang, "label.not_in_plan"),
                         Cell(report.coverage.get(role, 0.0), "percent")))
    rows.append(())

    rows.append(_row(Cell(say(lang, "label.finding_counts"), "subtitle")))
    rows.append(_header(lang, ("kind", "count")))
    kinds_first = len(rows)
    for kind in FINDING_KINDS:
        rows.append(_row(say(lang, f"kind.{kind}"), Cell(report.counts.get(kind, 0), "number")))
    kinds_last = len(rows) - 1
    rows.append(())

    rows.append(_row(Cell(say(lang, "label.executives"), "subtitle")))
    rows.append(_header(lang, ("executive", "title", "role", "reports_to", "duties_count")))
    per_exec = Counter(r.duty.executive for r in report.duties)
    for e in plan.executives:
        rows.append(_row(e.key, e.title, e.role or "", e.reports_to,
                         Cell(per_exec.get(e.key, 0), "number")))
    rows.append(())

    rows.append(_row(Cell(say(lang, "label.sheets_read"), "subtitle")))
    rows.append(_header(lang, ("sheet", "layout", "executives", "duties_count", "note")))
    for s in plan.sheets:
        rows.append(_row(s.name, s.layout, Cell(s.executives, "number"),
                         Cell(s.duties, "number"), Cell(s.note, "text")))

    chart = Chart(
        kind="bar",
        title=say(lang, "label.finding_counts"),
        categories=(kinds_first, 0, kinds_last, 0),
        series=((say(lang, "label.count"), (kinds_first, 1, kinds_last, 1), "#C00000"),),
        anchor=_a1(cov_first - 2, 4),
    )
    return ReportSheet(names["summary"], tuple(rows), (28, 70, 50, 14, 40),
                       charts=(chart,), landscape=True)


def _findings(report: Report, names: Mapping[str, str], duty_row0: int) -> ReportSheet:
    lang = report.lang
    keys = ("kind", "responsibility_id", "executives_involved", "duties", "message",
            "what_to_do")
    rows: list[tuple[Cell, ...]] = [_header(lang, keys)]
    for f in report.findings:
        link = (Link(names["duties"], f"A{duty_row0 + f.duty_rows[0] + 1}")
                if f.duty_rows else None)
        rows.append(_row(
            Cell(say(lang, f"kind.{f.kind}"), f"kind.{f.kind}"),
            f.responsibility or "",
            Cell(", ".join(f.executives), "text"),
            Cell(shown("\n".join(f.duties)), "link" if link else "text", link),
            Cell(shown(f.message), "text"),
            Cell(say(lang, f"fix.{f.kind}", **f.params), "text"),
        ))
    return ReportSheet(names["findings"], tuple(rows), (22, 26, 28, 50, 60, 40),
                       freeze=(1, 0), table=Table(0, 0, len(rows) - 1, len(keys) - 1),
                       landscape=True)


def _coverage(report: Report, profiles: Profiles, names: Mapping[str, str]) -> ReportSheet:
    lang = report.lang
    execs = [e.key for e in report.plan.executives]
    counts: Counter[tuple[str, str]] = Counter()
    for r in report.duties:
        if r.match.responsibility:
            counts[(r.match.responsibility, r.duty.executive)] += 1
    by_id = profiles.by_id()
    header = (*_header(lang, ("role", "responsibility_id", "responsibility", "status",
                              "holders")),
              *(Cell(k, "header") for k in execs))
    rows: list[tuple[Cell, ...]] = [header]
    for s in report.responsibilities:
        rows.append(_row(
            Cell(s.role, "label"), s.id, Cell(by_id[s.id].text(lang)[0], "text"),
            Cell(say(lang, f"status.{s.status}"), f"status.{s.status}"),
            Cell(", ".join(s.holders), "text"),
            *(Cell(counts.get((s.id, k), 0) or None, "number") for k in execs),
        ))
    last_col = 4 + len(execs)
    scales = ((ColourScale(1, 5, len(rows) - 1, last_col, "#FFFFFF", "#5B9BD5"),)
              if execs else ())
    return ReportSheet(names["coverage"], tuple(rows), (8, 28, 44, 16, 30, *([14] * len(execs))),
                       freeze=(1, 3), table=Table(0, 0, len(rows) - 1, last_col),
                       landscape=True, scales=scales)


def _duties(report: Report, profiles: Profiles, names: Mapping[str, str],
            plan_file: str | None, profile_rows: Mapping[str, int]) -> ReportSheet:
    lang = report.lang
    keys = ("executive", "role", "sheet", "cell", "duty", "language", "responsibility_id",
            "responsibility", "confidence", "evidence", "verdict", "shared_with")
    rows: list[tuple[Cell, ...]] = [_header(lang, keys)]
    executives = {e.key: e for e in report.plan.executives}
    by_id = profiles.by_id()
    for r in report.duties:
        m = r.match
        source = Link(r.duty.sheet, r.duty.cell, plan_file) if plan_file else None
        resp_link = (Link(names["profiles"], f"A{profile_rows[m.responsibility] + 1}")
                     if m.responsibility in profile_rows else None)
        rows.append(_row(
            r.duty.executive,
            executives[r.duty.executive].role or "",
            r.duty.sheet,
            Cell(r.duty.cell, "link" if source else "", source),
            Cell(shown(r.duty.text), "text"),
            m.lang,
            Cell(m.responsibility or say(lang, "label.neither"), "link" if resp_link else "",
                 resp_link),
            Cell(by_id[m.responsibility].text(lang)[0] if m.responsibility else "", "text"),
            Cell(round(m.confidence, 2), "confidence"),
            Cell(", ".join(m.evidence), "text"),
            Cell(say(lang, f"verdict.{r.verdict}"), f"verdict.{r.verdict}"),
            m.shared_with or "",
        ))
    return ReportSheet(names["duties"], tuple(rows),
                       (22, 8, 14, 8, 50, 9, 26, 32, 11, 30, 13, 24),
                       freeze=(1, 1), table=Table(0, 0, len(rows) - 1, len(keys) - 1),
                       landscape=True)


def _profiles(profiles: Profiles, lang: str, names: Mapping[str, str]) -> ReportSheet:
    keys = ("role", "responsibility_id", "responsibility", "description", "sources",
            "shared_with")
    rows: list[tuple[Cell, ...]] = [_header(lang, keys)]
    for resp in profiles.responsibilities():
        name, description = resp.text(lang)
        rows.append(_row(Cell(resp.role, "label"), resp.id, Cell(name, "text"),
                         Cell(description, "text"),
                         Cell("; ".join(str(s) for s in resp.sources), "text"),
                         Cell(", ".join(profiles.shared_partners(resp.id)), "text")))
    return ReportSheet(names["profiles"], tuple(rows), (8, 28, 36, 70, 34, 28), freeze=(1, 0),
                       table=Table(0, 0, len(rows) - 1, len(keys) - 1), landscape=True)
