"""From a report to sheets of cells and styles that any writer can render.

The same :class:`ReportBook` becomes a report workbook (XlsxWriter), sheets in the
open workbook (xlwings), the sheets the Office.js add-in writes, or an HTML page; so
all of them show the same rows, colours, charts and links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .i18n import catalogue, say, say_count, say_notes
from .layout_cells import column_letter
from .model import FINDING_KINDS, ROLES, CellValue, Finding, Profiles, Report

#: Text longer than this is cut in the workbook (the JSON keeps it whole).
MAX_SHOWN = 1000
#: How many findings the Summary puts first, answering "what should we fix first?".
TOP_FINDINGS = 5


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
    #: Horizontal alignment: None (the program's default), "left", "center" or "right".
    align: str | None = None
    underline: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink to a cell of this report (``file`` None) or of another workbook."""

    sheet: str
    cell: str
    file: str | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a report sheet: its value, a style name from the book, maybe a link."""

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
    #: Width and height in pixels.
    size: tuple[int, int] = (480, 288)
    #: Show each bar's value on it.
    labels: bool = False
    #: Title of the value axis ("" for none).
    value_title: str = ""


@dataclass(frozen=True)
class ColourScale:
    """A conditional colour scale over a block of cells (0-based, inclusive).

    ``min_value`` None means "the lowest value in the block"; a number pins the low
    colour to it, so a legend beside the block can show fixed colours.
    """

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    low: str
    high: str
    min_value: float | None = None


@dataclass(frozen=True)
class ReportSheet:
    """One sheet of the report: rows of cells and how the sheet is shown and printed."""

    name: str
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    freeze: tuple[int, int] = (0, 0)
    table: Table | None = None
    landscape: bool = False
    charts: tuple[Chart, ...] = ()
    scales: tuple[ColourScale, ...] = ()
    #: Rows (first, last; 0-based) printed at the top of every page; None: the table header.
    repeat_rows: tuple[int, int] | None = None
    gridlines: bool = True


@dataclass(frozen=True)
class ReportBook:
    """The whole report as sheets, with the styles its cells name."""

    title: str
    plan: str
    sheets: tuple[ReportSheet, ...]
    styles: Mapping[str, Style] = field(default_factory=dict)
    #: Report language (``en``, ``vi``, ``bn``).
    lang: str = "en"
    #: Printed page footer, with ``{page}`` and ``{pages}`` filled by the writer.
    page_label: str = "Page {page} of {pages}"

    def sheet(self, name: str) -> ReportSheet:
        """The sheet called ``name``; KeyError if there is none."""
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
#: Coverage chart colours: held by the role holder, held elsewhere, gap.
COVERAGE_COLOURS = ("#70AD47", "#FFC000", "#C00000")
FINDINGS_COLOUR = "#C55A11"
HEAT_LOW, HEAT_HIGH = "#FFFFFF", "#2F75B5"
#: Legend swatches of the heat-map, at most this many.
HEAT_STEPS = 5

STYLES: dict[str, Style] = {
    "": Style(),
    "title": Style(bold=True, size=16, color="#1F3864"),
    "subtitle": Style(bold=True, size=12, color="#1F3864"),
    "meta": Style(italic=True, color="#595959"),
    "header": Style(bold=True, color="#FFFFFF", fill="#1F3864", wrap=True, border=True),
    "label": Style(bold=True),
    "text": Style(wrap=True),
    "percent": Style(num_format="0%"),
    "number": Style(num_format="0"),
    "rank": Style(bold=True, align="center"),
    "heat": Style(num_format="0", align="center", border=True),
    "confidence": Style(num_format="0.00"),
    "link": Style(color="#0563C1", wrap=True, underline=True),
    "ok": Style(bold=True, size=12, color="#006100", fill="#C6EFCE"),
    "warn": Style(bold=True, size=12, color="#9C0006", fill="#FFC7CE"),
    **{f"status.{k}": Style(fill=v) for k, v in STATUS_FILL.items()},
    **{f"verdict.{k}": Style(fill=v) for k, v in VERDICT_FILL.items()},
    **{f"kind.{k}": Style(fill=v, wrap=True) for k, v in KIND_FILL.items()},
}


def shown(text: str) -> str:
    """Text as shown in a cell: capped so one runaway duty cannot swamp the sheet."""
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def a1(row: int, col: int) -> str:
    """The A1 name of a 0-based (row, col)."""
    return f"{column_letter(col + 1)}{row + 1}"


def cell_ref(sheet: str, cell: str) -> str:
    """``'Sheet'!A1``: a cell of a sheet, quoted as Excel wants it in a link or formula."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def heat_colour(value: float, top: float, low: str = HEAT_LOW, high: str = HEAT_HIGH) -> str:
    """The colour a 0-based two-colour scale gives ``value`` when ``top`` is the highest."""
    t = 0.0 if top <= 0 else max(0.0, min(1.0, value / top))
    lo = [int(low[i:i + 2], 16) for i in (1, 3, 5)]
    hi = [int(high[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(a + (b - a) * t):02X}" for a, b in zip(lo, hi, strict=True))


def _word(lang: str, group: str, key: str) -> str:
    """A catalogue word for an open-ended code (layout, language), the code itself if none."""
    return catalogue(lang).get(f"{group}.{key}", key)


def build_report_book(report: Report, profiles: Profiles, *, checked_on: date,
                      plan_file: str | None = None) -> ReportBook:
    """Lay the report out as sheets: Summary, Findings, Coverage, Duties, Profiles.

    ``plan_file`` is the plan's path relative to the report, for links back to its cells.
    """
    lang = report.lang
    names = {k: say(lang, f"sheet.{k}") for k in
             ("summary", "findings", "coverage", "duties", "profiles")}
    ctx = _Context(report, profiles, names)
    coverage, heat_styles = _coverage(ctx)
    sheets = (
        _summary(ctx, checked_on),
        _findings(ctx),
        coverage,
        _duties(ctx, plan_file),
        _profiles(ctx),
    )
    return ReportBook(title=say(lang, "label.report_title", plan=report.plan.name),
                      plan=report.plan.name, sheets=sheets, styles={**STYLES, **heat_styles},
                      lang=lang, page_label=say(lang, "label.page"))


class _Context:
    """What every sheet needs: the report, names, and where rows land in other sheets."""

    def __init__(self, report: Report, profiles: Profiles, names: Mapping[str, str]) -> None:
        self.report = report
        self.profiles = profiles
        self.lang = report.lang
        self.names = names
        self.by_id = profiles.by_id()
        # data rows of Findings, Duties and Profiles start right under their header row
        self.profile_rows = {r.id: i + 1 for i, r in enumerate(profiles.responsibilities())}
        self.first_finding: dict[int, int] = {}
        for i, f in enumerate(report.findings):
            for d in f.duty_rows:
                self.first_finding.setdefault(d, i)

    def duty_link(self, duty_index: int) -> Link:
        return Link(self.names["duties"], f"A{duty_index + 2}")

    def finding_link(self, finding_index: int) -> Link:
        return Link(self.names["findings"], f"A{finding_index + 2}")

    def where(self, f: Finding, index: int) -> Cell:
        """A link to the finding's duty rows, or to its row of Findings when it has none."""
        if f.duty_rows:
            rows = ", ".join(str(d + 2) for d in f.duty_rows)
            key = "label.rows_in" if len(f.duty_rows) > 1 else "label.row_in"
            return Cell(say(self.lang, key, sheet=self.names["duties"], rows=rows),
                        "link", self.duty_link(f.duty_rows[0]))
        return Cell(say(self.lang, "label.row_in", sheet=self.names["findings"],
                        rows=str(index + 2)), "link", self.finding_link(index))

    def responsibility_name(self, f: Finding) -> str:
        if f.responsibility and f.responsibility in self.by_id:
            return self.by_id[f.responsibility].text(self.lang)[0]
        return f.params.get("activity", f.params.get("role", ""))

    def fix(self, f: Finding) -> str:
        return say(self.lang, f"fix.{f.kind}", **f.params)


def _row(*cells: Cell | CellValue) -> tuple[Cell, ...]:
    return tuple(c if isinstance(c, Cell) else Cell(c) for c in cells)


def _header(lang: str, keys: Sequence[str]) -> tuple[Cell, ...]:
    return tuple(Cell(say(lang, f"label.{k}"), "header") for k in keys)


def coverage_counts(report: Report) -> dict[str, tuple[int, int, int]]:
    """Per role: responsibilities held by the role holder, held only elsewhere, not held."""
    out: dict[str, tuple[int, int, int]] = {}
    for role in ROLES:
        own = set(report.role_holders.get(role, ()))
        mine = elsewhere = gap = 0
        for s in report.responsibilities:
            if s.role != role:
                continue
            if not s.holders:
                gap += 1
            elif own & set(s.holders):
                mine += 1
            else:
                elsewhere += 1
        out[role] = (mine, elsewhere, gap)
    return out


def _summary(ctx: _Context, checked_on: date) -> ReportSheet:
    report, lang, plan = ctx.report, ctx.lang, ctx.report.plan
    rows: list[tuple[Cell, ...]] = [
        _row(Cell(say(lang, "label.report_title", plan=plan.name), "title")),
        _row(Cell(say(lang, "label.meta_line", plan=plan.name, date=checked_on.isoformat(),
                      executives=say_count(lang, "executives", len(plan.executives)),
                      duties=say_count(lang, "duties", len(plan.duties)),
                      version=report.profiles_version), "meta")),
    ]
    # the five lines: is the plan sound, and what to fix first (most severe first)
    if report.findings:
        rows.append(_row(Cell(say(lang, "label.verdict_line_issues",
                                  count=len(report.findings)), "warn")))
        rows.append(_header(lang, ("kind", "responsibility", "executives_involved", "message",
                                   "what_to_do", "duty_rows")))
        for i, f in enumerate(report.findings[:TOP_FINDINGS]):
            rows.append(_row(Cell(say(lang, f"kind.{f.kind}"), f"kind.{f.kind}"),
                             Cell(ctx.responsibility_name(f), "text"),
                             Cell(", ".join(f.executives) or "—", "text"),
                             Cell(shown(f.message), "text"),
                             Cell(ctx.fix(f), "text"),
                             ctx.where(f, i)))
        if len(report.findings) > TOP_FINDINGS:
            rows.append(_row("", "", "", Cell(say(lang, "label.more_findings",
                                                  count=len(report.findings) - TOP_FINDINGS,
                                                  sheet=ctx.names["findings"]), "link",
                                              ctx.finding_link(TOP_FINDINGS))))
    else:
        rows.append(_row(Cell(say(lang, "label.verdict_line_ok"), "ok")))
    rows.append(())

    # pictures first, the numbers behind them below
    chart_row = len(rows)
    band = 17  # empty rows the two charts sit over
    rows.extend(() for _ in range(band))

    rows.append(_row(Cell(say(lang, "label.coverage"), "subtitle")))
    rows.append(_header(lang, ("role", "executive", "coverage", "held_by_holder",
                               "held_elsewhere", "gap")))
    cov_first = len(rows)
    counts = coverage_counts(report)
    for role in ROLES:
        holders = report.role_holders.get(role, ())
        mine, elsewhere, gap = counts[role]
        rows.append(_row(Cell(role, "label"),
                         Cell(", ".join(holders) or say(lang, "label.not_in_plan"), "text"),
                         Cell(report.coverage.get(role, 0.0), "percent"),
                         Cell(mine, "number"), Cell(elsewhere, "number"), Cell(gap, "number")))
    cov_last = len(rows) - 1
    rows.append(())

    rows.append(_row(Cell(say(lang, "label.finding_counts"), "subtitle")))
    rows.append(_header(lang, ("kind", "count")))
    kinds_first = len(rows)
    for kind in FINDING_KINDS:
        rows.append(_row(Cell(say(lang, f"kind.{kind}"), "text"),
                         Cell(report.counts.get(kind, 0), "number")))
    kinds_last = len(rows) - 1
    rows.append(())

    rows.append(_row(Cell(say(lang, "label.executives"), "subtitle")))
    rows.append(_header(lang, ("executive", "title", "role", "reports_to", "duties_count")))
    per_exec = Counter(r.duty.executive for r in report.duties)
    for e in plan.executives:
        rows.append(_row(Cell(e.key, "text"), Cell(e.title, "text"), e.role_label,
                         Cell(e.reports_to, "text"), Cell(per_exec.get(e.key, 0), "number")))
    rows.append(())

    rows.append(_row(Cell(say(lang, "label.sheets_read"), "subtitle")))
    rows.append(_header(lang, ("sheet", "layout", "executives", "duties_count", "note")))
    for s in plan.sheets:
        rows.append(_row(s.name, _word(lang, "layout", s.layout), Cell(s.executives, "number"),
                         Cell(s.duties, "number"), Cell(say_notes(lang, s.notes), "text")))

    coverage_chart = Chart(
        kind="stacked_bar",
        title=say(lang, "label.coverage_chart"),
        categories=(cov_first, 0, cov_last, 0),
        series=tuple((say(lang, f"label.{key}"), (cov_first, col, cov_last, col), colour)
                     for key, col, colour in zip(("held_by_holder", "held_elsewhere", "gap"),
                                                 (3, 4, 5), COVERAGE_COLOURS, strict=True)),
        anchor=a1(chart_row, 0),
        size=(540, 320),
        labels=True,
        value_title=say(lang, "label.responsibilities_count"),
    )
    kinds_chart = Chart(
        kind="bar",
        title=say(lang, "label.finding_counts"),
        categories=(kinds_first, 0, kinds_last, 0),
        series=((say(lang, "label.count"), (kinds_first, 1, kinds_last, 1), FINDINGS_COLOUR),),
        anchor=a1(chart_row, 3),
        size=(520, 320),
        labels=True,
    )
    return ReportSheet(ctx.names["summary"], tuple(rows), (22, 28, 26, 60, 44, 18),
                       charts=(coverage_chart, kinds_chart), landscape=True, gridlines=False)


def _findings(ctx: _Context) -> ReportSheet:
    report, lang = ctx.report, ctx.lang
    keys = ("rank", "kind", "responsibility", "responsibility_id", "executives_involved",
            "duties", "duty_rows", "message", "what_to_do")
    rows: list[tuple[Cell, ...]] = [_header(lang, keys)]
    for i, f in enumerate(report.findings):
        rows.append(_row(
            Cell(i + 1, "rank"),
            Cell(say(lang, f"kind.{f.kind}"), f"kind.{f.kind}"),
            Cell(ctx.responsibility_name(f), "text"),
            f.responsibility or "",
            Cell(", ".join(f.executives), "text"),
            Cell(shown("\n".join(f.duties)), "text"),
            ctx.where(f, i) if f.duty_rows else "",
            Cell(shown(f.message), "text"),
            Cell(ctx.fix(f), "text"),
        ))
    return ReportSheet(ctx.names["findings"], tuple(rows), (6, 20, 28, 22, 24, 48, 18, 56, 40),
                       freeze=(1, 2), table=Table(0, 0, len(rows) - 1, len(keys) - 1),
                       landscape=True)


def _coverage(ctx: _Context) -> tuple[ReportSheet, dict[str, Style]]:
    report, lang = ctx.report, ctx.lang
    execs = [e.key for e in report.plan.executives]
    counts: Counter[tuple[str, str]] = Counter()
    for r in report.duties:
        if r.match.responsibility:
            counts[(r.match.responsibility, r.duty.executive)] += 1
    header = (*_header(lang, ("role", "responsibility_id", "responsibility", "status",
                              "holders")),
              *(Cell(k, "header") for k in execs))
    rows: list[tuple[Cell, ...]] = [header]
    for s in report.responsibilities:
        name = ctx.by_id[s.id].text(lang)[0] if s.id in ctx.by_id else s.id
        rows.append(_row(
            Cell(s.role, "label"), s.id, Cell(name, "text"),
            Cell(say(lang, f"status.{s.status}"), f"status.{s.status}"),
            Cell(", ".join(s.holders), "text"),
            *(Cell(counts.get((s.id, k), 0) or None, "heat") for k in execs),
        ))
    last_row = len(rows) - 1
    last_col = 4 + len(execs)
    scales: tuple[ColourScale, ...] = ()
    styles: dict[str, Style] = {}
    if execs and last_row > 0:
        top = max(counts.values(), default=0)
        scales = (ColourScale(1, 5, last_row, last_col, HEAT_LOW, HEAT_HIGH, min_value=0),)
        # the legend: fixed swatches showing what the scale's colours mean
        steps = _legend_steps(top)
        rows.append(())
        rows.append(_row("", "", Cell(say(lang, "label.heat_legend"), "label"), "", "",
                         *(Cell(v, f"heat.{v}") for v in steps)))
        for v in steps:
            fill = heat_colour(v, top)
            dark = v / top > 0.6 if top else False
            styles[f"heat.{v}"] = Style(num_format="0", align="center", border=True, fill=fill,
                                        color="#FFFFFF" if dark else None)
    sheet = ReportSheet(ctx.names["coverage"], tuple(rows),
                        (8, 26, 40, 16, 28, *([12] * len(execs))),
                        freeze=(1, 3), table=Table(0, 0, last_row, last_col),
                        landscape=True, scales=scales)
    return sheet, styles


def _legend_steps(top: int) -> tuple[int, ...]:
    """Evenly spread whole numbers from 1 to ``top``, at most HEAT_STEPS of them."""
    if top <= 0:
        return ()
    if top <= HEAT_STEPS:
        return tuple(range(1, top + 1))
    return tuple(sorted({round(1 + (top - 1) * i / (HEAT_STEPS - 1)) for i in range(HEAT_STEPS)}))


def _duties(ctx: _Context, plan_file: str | None) -> ReportSheet:
    report, lang = ctx.report, ctx.lang
    keys = ("executive", "role", "sheet", "cell", "duty", "language", "responsibility_id",
            "responsibility", "confidence", "evidence", "verdict", "shared_with", "finding")
    rows: list[tuple[Cell, ...]] = [_header(lang, keys)]
    # most cells of a duty row repeat across rows (who, which sheet, which responsibility,
    # the verdict): cells are immutable, so each distinct one is made once and shared
    blank = Cell("")
    by_executive = {e.key: (Cell(e.key, "text"), Cell(e.role_label) if e.roles else blank)
                    for e in report.plan.executives}
    sheet_cells: dict[str, Cell] = {}
    lang_cells: dict[str, Cell] = {}
    verdict_cells: dict[str, Cell] = {}
    shared_cells: dict[str | None, Cell] = {None: blank}
    finding_cells: dict[int | None, Cell] = {None: blank}
    resp_cells: dict[str | None, tuple[Cell, Cell]] = {}
    for i, r in enumerate(report.duties):
        m, duty = r.match, r.duty
        who = by_executive.get(duty.executive)
        if who is None:
            who = by_executive[duty.executive] = (Cell(duty.executive, "text"), blank)
        sheet = sheet_cells.get(duty.sheet)
        if sheet is None:
            sheet = sheet_cells[duty.sheet] = Cell(duty.sheet)
        language = lang_cells.get(m.lang)
        if language is None:
            language = lang_cells[m.lang] = Cell(_word(lang, "language", m.lang))
        resp = resp_cells.get(m.responsibility)
        if resp is None:
            resp = resp_cells[m.responsibility] = _responsibility_cells(ctx, m.responsibility)
        verdict = verdict_cells.get(r.verdict)
        if verdict is None:
            verdict = verdict_cells[r.verdict] = Cell(say(lang, f"verdict.{r.verdict}"),
                                                      f"verdict.{r.verdict}")
        shared = shared_cells.get(r.shared_with)
        if shared is None:
            shared = shared_cells[r.shared_with] = Cell(r.shared_with or "")
        finding = ctx.first_finding.get(i)
        found = finding_cells.get(finding)
        if found is None and finding is not None:
            found = finding_cells[finding] = Cell(
                say(lang, f"kind.{report.findings[finding].kind}"), "link",
                ctx.finding_link(finding))
        rows.append((
            who[0],
            who[1],
            sheet,
            Cell(duty.cell, "link", Link(duty.sheet, duty.cell, plan_file)) if plan_file
            else Cell(duty.cell),
            Cell(shown(duty.text), "text"),
            language,
            resp[0],
            resp[1],
            Cell(round(m.confidence, 2), "confidence"),
            Cell(", ".join(m.evidence), "text"),
            verdict,
            shared,
            found or blank,
        ))
    return ReportSheet(ctx.names["duties"], tuple(rows),
                       (22, 8, 14, 8, 50, 11, 26, 32, 11, 30, 13, 24, 20),
                       freeze=(1, 1), table=Table(0, 0, len(rows) - 1, len(keys) - 1),
                       landscape=True)


def _responsibility_cells(ctx: _Context, rid: str | None) -> tuple[Cell, Cell]:
    """A duty's responsibility id (linked to its row of Profiles) and its name."""
    link = (Link(ctx.names["profiles"], f"A{ctx.profile_rows[rid] + 1}")
            if rid in ctx.profile_rows else None)
    name = ctx.by_id[rid].text(ctx.lang)[0] if rid is not None and rid in ctx.by_id else ""
    return (Cell(rid or say(ctx.lang, "label.neither"), "link" if link else "", link),
            Cell(name, "text"))


def _profiles(ctx: _Context) -> ReportSheet:
    lang, profiles = ctx.lang, ctx.profiles
    keys = ("role", "responsibility_id", "responsibility", "description", "sources",
            "shared_with")
    rows: list[tuple[Cell, ...]] = [_header(lang, keys)]
    for resp in profiles.responsibilities():
        name, description = resp.text(lang)
        rows.append(_row(Cell(resp.role, "label"), resp.id, Cell(name, "text"),
                         Cell(description, "text"),
                         Cell("; ".join(str(s) for s in resp.sources), "text"),
                         Cell(", ".join(profiles.shared_partners(resp.id)), "text")))
    return ReportSheet(ctx.names["profiles"], tuple(rows), (8, 28, 36, 70, 34, 28), freeze=(1, 0),
                       table=Table(0, 0, len(rows) - 1, len(keys) - 1), landscape=True)
