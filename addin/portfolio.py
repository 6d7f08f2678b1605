"""The portfolio of a batch run: one small summary per plan, and the sheets that compare them.

Pure core: a report becomes a :class:`PlanSummary` (a few hundred bytes, kept beside the
report so a later run can rebuild the portfolio without checking the plan again), and
summaries become a :class:`~addin.report_model.ReportBook` that any writer renders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .i18n import say
from .model import FINDING_KINDS, ROLES, Profiles, Report
from .report_model import (
    STYLES,
    Cell,
    Chart,
    ColourScale,
    Link,
    ReportBook,
    ReportSheet,
    Style,
    Table,
    a1,
    shown,
)

SCHEMA = "rolefit/plan-summary-v1"
PORTFOLIO_FILE = "rolefit-portfolio.xlsx"

#: The portfolio compares plans in several languages; it speaks this one unless told otherwise.
LANG = "en"

PORTFOLIO_STYLES: dict[str, Style] = {
    **STYLES,
    "missing": Style(bold=True, color="#9C0006", fill="#FFC7CE"),
}


@dataclass(frozen=True)
class PlanSummary:
    """What the portfolio needs to know about one checked plan."""

    #: The plan's path relative to the batch folder, with ``/`` separators.
    file: str
    #: Its report's path relative to the portfolio's folder, with ``/`` separators.
    report: str
    #: Name of the report's summary sheet (it follows the report's language).
    report_sheet: str
    lang: str
    executives: int
    duties: int
    role_holders: Mapping[str, tuple[str, ...]]
    coverage: Mapping[str, float]
    counts: Mapping[str, int]
    top_kind: str | None
    top_message: str | None
    gaps: tuple[str, ...]
    overlaps: tuple[str, ...]
    profiles_version: str

    @property
    def findings(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Failure:
    """A file the batch could not check, and why, in one line."""

    file: str
    error: str


@dataclass(frozen=True)
class PortfolioInfo:
    """Facts about the run shown on the overview sheet."""

    folder: str
    checked_on: date
    profiles_version: str
    #: The folder the plans' reports were written to, if it is worth showing.
    reports: str | None = None


def summarise(report: Report, file: str, report_file: str) -> PlanSummary:
    """The portfolio's view of one report."""
    top = report.findings[0] if report.findings else None
    return PlanSummary(
        file=file,
        report=report_file,
        report_sheet=say(report.lang, "sheet.summary"),
        lang=report.lang,
        executives=len(report.plan.executives),
        duties=len(report.plan.duties),
        role_holders={r: tuple(report.role_holders.get(r, ())) for r in ROLES},
        coverage={r: float(report.coverage.get(r, 0.0)) for r in ROLES},
        counts={k: int(report.counts.get(k, 0)) for k in FINDING_KINDS},
        top_kind=top.kind if top else None,
        top_message=top.message if top else None,
        gaps=tuple(s.id for s in report.responsibilities if s.status == "gap"),
        overlaps=tuple(s.id for s in report.responsibilities if s.status == "overlap"),
        profiles_version=report.profiles_version,
    )


def summary_to_json(s: PlanSummary) -> dict[str, Any]:
    """A summary as JSON-ready data (schema ``rolefit/plan-summary-v1``)."""
    return {
        "schema": SCHEMA,
        "file": s.file,
        "report": s.report,
        "report_sheet": s.report_sheet,
        "lang": s.lang,
        "executives": s.executives,
        "duties": s.duties,
        "role_holders": {r: list(v) for r, v in s.role_holders.items()},
        "coverage": dict(s.coverage),
        "counts": dict(s.counts),
        "top_finding": ({"kind": s.top_kind, "message": s.top_message}
                        if s.top_kind is not None else None),
        "gaps": list(s.gaps),
        "overlaps": list(s.overlaps),
        "profiles_version": s.profiles_version,
    }


def summary_from_json(data: Mapping[str, Any]) -> PlanSummary:
    """Read back :func:`summary_to_json`; raises ``ValueError`` on anything else."""
    if not isinstance(data, Mapping) or data.get("schema") != SCHEMA:
        raise ValueError("not a rolefit plan summary")
    try:
        top = data["top_finding"]
        return PlanSummary(
            file=str(data["file"]),
            report=str(data["report"]),
            report_sheet=str(data["report_sheet"]),
            lang=str(data["lang"]),
            executives=int(data["executives"]),
            duties=int(data["duties"]),
            role_holders={str(r): tuple(str(n) for n in v)
                          for r, v in data["role_holders"].items()},
            coverage={str(r): float(v) for r, v in data["coverage"].items()},
            counts={str(k): int(v) for k, v in data["counts"].items()},
            top_kind=str(top["kind"]) if top else None,
            top_message=str(top["message"]) if top else None,
            gaps=tuple(str(g) for g in data["gaps"]),
            overlaps=tuple(str(o) for o in data["overlaps"]),
            profiles_version=str(data["profiles_version"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"incomplete plan summary ({exc})") from None


class _Words:
    """The portfolio's wording in one language, from the message catalogue."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: object) -> str:
        return say(self.lang, f"portfolio.{key}", **params)

    def header(self, *keys: str) -> tuple[Cell, ...]:
        return tuple(Cell(self(k), "header") for k in keys)

    def kind(self, kind: str) -> str:
        return say(self.lang, f"kind.{kind}")

    def sheet(self, key: str) -> str:
        return self(f"sheet.{key}")


def build_portfolio(summaries: Iterable[PlanSummary], failures: Iterable[Failure],
                    profiles: Profiles, info: PortfolioInfo, *,
                    lang: str = LANG) -> ReportBook:
    """Sheets comparing every plan: Overview, Plans, Responsibilities (with a chart), Failed.

    ``summaries`` is read once, so it may be a generator over stored summaries.
    """
    words = _Words(lang)
    plans, gaps, overlaps, totals = _plans(summaries, words)
    failed = _failed(list(failures), words)
    responsibilities = _responsibilities(profiles, gaps, overlaps, totals["plans"], words)
    overview = _overview(info, totals, len(failed.rows) - 1 if failed.table else 0, words)
    return ReportBook(title=words("title", folder=info.folder), plan=info.folder,
                      sheets=(overview, plans, responsibilities, failed),
                      styles=PORTFOLIO_STYLES, lang=lang, page_label=say(lang, "label.page"))


def _plans(summaries: Iterable[PlanSummary], words: _Words) -> tuple[
        ReportSheet, Counter[str], Counter[str], Counter[str]]:
    kinds = FINDING_KINDS
    header = (*words.header("file", "report", "language", "executives", "duties"),
              *(Cell(role, "header") for role in ROLES),
              *(Cell(say(words.lang, "label.coverage_of", role=r), "header") for r in ROLES),
              *(Cell(words.kind(k), "header") for k in kinds),
              *words.header("findings", "top_finding"))
    rows: list[tuple[Cell, ...]] = [header]
    gaps: Counter[str] = Counter()
    overlaps: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for s in summaries:
        gaps.update(s.gaps)
        overlaps.update(s.overlaps)
        totals["plans"] += 1
        totals["findings"] += s.findings
        holders = []
        for role in ROLES:
            names = s.role_holders.get(role, ())
            if not names:
                totals[f"missing.{role}"] += 1
            holders.append(Cell(", ".join(names), "text") if names
                           else Cell(words("missing"), "missing"))
        for kind in kinds:
            totals[f"kind.{kind}"] += s.counts.get(kind, 0)
        top = (Cell(shown(f"{words.kind(s.top_kind)}: {s.top_message}"), f"kind.{s.top_kind}")
               if s.top_kind else Cell(words("none"), "ok"))
        rows.append((
            Cell(s.file, "text"),
            Cell(s.report, "link", Link(s.report_sheet, "A1", s.report)),
            Cell(s.lang),
            Cell(s.executives, "number"),
            Cell(s.duties, "number"),
            *holders,
            *(Cell(s.coverage.get(role, 0.0), "percent") for role in ROLES),
            *(Cell(s.counts.get(k, 0), "number") for k in kinds),
            Cell(s.findings, "number"),
            top,
        ))
    last_col = len(header) - 1
    cov_col = 5 + len(ROLES)
    scales = ((ColourScale(1, cov_col, len(rows) - 1, cov_col + len(ROLES) - 1,
                           "#F8696B", "#63BE7B"),) if len(rows) > 1 else ())
    widths = (40, 40, 9, 11, 9, *([24] * len(ROLES)), *([12] * len(ROLES)),
              *([11] * len(kinds)), 10, 70)
    sheet = ReportSheet(words.sheet("plans"), tuple(rows), widths, freeze=(1, 1),
                        table=Table(0, 0, len(rows) - 1, last_col), landscape=True,
                        scales=scales)
    return sheet, gaps, overlaps, totals


def _responsibilities(profiles: Profiles, gaps: Counter[str], overlaps: Counter[str],
                      plans: int, words: _Words) -> ReportSheet:
    rows: list[tuple[Cell, ...]] = [words.header(
        "role", "id", "responsibility", "plans_with_gap", "plans_with_overlap", "gap_share",
        "overlap_share")]
    for resp in profiles.responsibilities():
        g, o = gaps.get(resp.id, 0), overlaps.get(resp.id, 0)
        rows.append((Cell(resp.role, "label"), Cell(resp.id),
                     Cell(resp.text(words.lang)[0], "text"),
                     Cell(g, "number"), Cell(o, "number"),
                     Cell(g / plans if plans else 0.0, "percent"),
                     Cell(o / plans if plans else 0.0, "percent")))
    last = len(rows) - 1
    charts: tuple[Chart, ...] = ()
    if last >= 1:
        charts = (Chart(
            kind="stacked_bar",
            title=words("chart_title"),
            categories=(1, 2, last, 2),
            series=((words("gap"), (1, 3, last, 3), "#C00000"),
                    (words("overlap"), (1, 4, last, 4), "#ED7D31")),
            anchor=a1(0, 8),
            # tall enough for one readable label per responsibility
            size=(640, max(320, 60 + 22 * last)),
            value_title=words("plans"),
        ),)
    return ReportSheet(words.sheet("responsibilities"), tuple(rows),
                       (8, 28, 44, 14, 14, 11, 11), freeze=(1, 2), table=Table(0, 0, last, 6),
                       charts=charts, landscape=True)


def _failed(failures: list[Failure], words: _Words) -> ReportSheet:
    if not failures:
        return ReportSheet(words.sheet("failed"), ((Cell(words("all_checked"), "ok"),),), (60,))
    rows: list[tuple[Cell, ...]] = [words.header("file", "problem")]
    rows.extend((Cell(f.file, "text"), Cell(shown(f.error), "text")) for f in failures)
    return ReportSheet(words.sheet("failed"), tuple(rows), (50, 100), freeze=(1, 0),
                       table=Table(0, 0, len(rows) - 1, 1), landscape=True)


def _overview(info: PortfolioInfo, totals: Counter[str], failed: int,
              words: _Words) -> ReportSheet:
    lang = words.lang
    rows: list[tuple[Cell, ...]] = [
        (Cell(words("title", folder=info.folder), "title"),),
        (Cell(words("folder"), "label"), Cell(info.folder)),
        (Cell(say(lang, "label.checked_on"), "label"), Cell(info.checked_on.isoformat())),
        (Cell(say(lang, "label.profiles_version"), "label"), Cell(info.profiles_version)),
        *(((Cell(words("reports_folder"), "label"), Cell(info.reports)),)
          if info.reports is not None else ()),
        (),
        (Cell(words("plans_checked"), "label"), Cell(totals["plans"], "number")),
        (Cell(words("files_failed"), "label"),
         Cell(failed, "warn" if failed else "number",
              Link(words.sheet("failed"), "A1") if failed else None)),
        *((Cell(words("plans_without", role=role), "label"),
           Cell(totals[f"missing.{role}"], "number")) for role in ROLES),
        (Cell(words("findings_all"), "label"), Cell(totals["findings"], "number")),
        (),
        (Cell(say(lang, "label.kind"), "header"), Cell(words("findings_all"), "header")),
    ]
    for kind in FINDING_KINDS:
        rows.append((Cell(words.kind(kind), f"kind.{kind}"),
                     Cell(totals[f"kind.{kind}"], "number")))
    rows.append(())
    rows.append((Cell(words("guide", plans=words.sheet("plans"),
                            responsibilities=words.sheet("responsibilities")), "text"),))
    return ReportSheet(words.sheet("overview"), tuple(rows), (34, 60))
