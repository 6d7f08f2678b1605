"""A few lines that say what a report found, for a terminal or a message box."""

from __future__ import annotations

from .i18n import say
from .model import ROLES, Report


def summary_lines(report: Report, top: int = 5) -> list[str]:
    """The plan, its role holders and coverage, finding counts and the first findings."""
    lang = report.lang
    plan = report.plan
    lines = [f"{plan.name}: {len(plan.executives)} executives, {len(plan.duties)} duties"]
    for s in plan.sheets:
        where = f"  sheet '{s.name}': {s.layout}"
        if s.layout != "skipped":
            where += f", {s.executives} executives, {s.duties} duties"
        if s.note:
            where += f" ({s.note})"
        lines.append(where)
    roles = []
    for role in ROLES:
        holders = report.role_holders.get(role, ())
        who = ", ".join(holders) if holders else say(lang, "label.not_in_plan")
        roles.append(f"{role}: {who} ({report.coverage.get(role, 0.0):.0%} coverage)")
    lines.append("  ".join(roles))
    counted = [f"{n} {say(lang, f'kind.{k}').lower()}" for k, n in report.counts.items() if n]
    lines.append("Findings: " + (", ".join(counted) if counted else "none"))
    for i, f in enumerate(report.findings[:top], 1):
        lines.append(f"  {i}. {f.message}")
    return lines
