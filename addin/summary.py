"""A few lines that say what a report (or a batch run) found, for a terminal or a message box."""

from __future__ import annotations

import math

from .i18n import catalogue, say, say_count, say_notes
from .model import ROLES, Report


def percent(share: float) -> str:
    """A share as a whole percentage, halves rounded up as Excel shows them (0.625 -> 63%)."""
    return f"{math.floor(share * 100 + 0.5 + 1e-9)}%"


def summary_lines(report: Report, top: int = 5) -> list[str]:
    """The plan, its role holders and coverage, finding counts and the first findings."""
    lang = report.lang
    plan = report.plan
    words = catalogue(lang)
    lines = [say(lang, "summary.plan_line", plan=plan.name,
                 executives=say_count(lang, "executives", len(plan.executives)),
                 duties=say_count(lang, "duties", len(plan.duties)))]
    for s in plan.sheets:
        where = say(lang, "summary.sheet_line", sheet=s.name,
                    layout=words.get(f"layout.{s.layout}", s.layout))
        if s.layout != "skipped":
            where += say(lang, "summary.sheet_counts",
                         executives=say_count(lang, "executives", s.executives),
                         duties=say_count(lang, "duties", s.duties))
        if s.notes:
            where += f" ({say_notes(lang, s.notes)})"
        lines.append(where)
    roles = []
    for role in ROLES:
        holders = report.role_holders.get(role, ())
        who = ", ".join(holders) if holders else say(lang, "label.not_in_plan")
        roles.append(say(lang, "summary.role_line", role=role, holders=who,
                         coverage=percent(report.coverage.get(role, 0.0))))
    lines.append("  ".join(roles))
    counted = [f"{say(lang, f'kind.{k}')} {n}" for k, n in report.counts.items() if n]
    lines.append(say(lang, "summary.findings",
                     counts=", ".join(counted) if counted else say(lang, "label.none")))
    for i, f in enumerate(report.findings[:top], 1):
        lines.append(f"  {i}. {f.message}")
    return lines


def batch_lines(lang: str, *, total: int, checked: int, up_to_date: int, failed: int,
                reports: object, portfolio: object) -> list[str]:
    """What a batch run did, and where it wrote the reports and the portfolio."""
    return [say(lang, "summary.batch", total=total, checked=checked, up_to_date=up_to_date,
                failed=failed),
            say(lang, "summary.reports_written", path=reports),
            say(lang, "summary.portfolio_written", path=portfolio)]
