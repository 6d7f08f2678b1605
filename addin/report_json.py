"""The JSON report (schema ``rolefit/report-v1``): the same content as the workbook."""

from __future__ import annotations

from typing import Any

from .model import Report

SCHEMA = "rolefit/report-v1"


def report_to_json(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data; names and duty texts exactly as in the plan."""
    plan = report.plan
    return {
        "schema": SCHEMA,
        "plan": plan.name,
        "profiles_version": report.profiles_version,
        "sheets": [
            {"name": s.name, "layout": s.layout, "executives": s.executives,
             "duties": s.duties, "note": s.note,
             "notes": [n.to_json() for n in s.notes]}
            for s in plan.sheets
        ],
        "executives": [
            {"name": e.name, "title": e.title, "role": e.role, "roles": list(e.roles),
             "reports_to": e.reports_to}
            for e in plan.executives
        ],
        "duties": [
            {
                "executive": r.duty.executive,
                "text": r.duty.text,
                "sheet": r.duty.sheet,
                "cell": r.duty.cell,
                "lang": r.match.lang,
                "role": r.match.role,
                "responsibility": r.match.responsibility,
                "confidence": round(r.match.confidence, 3),
                "evidence": list(r.match.evidence),
                "shared_with": r.shared_with,
                "verdict": r.verdict,
            }
            for r in report.duties
        ],
        "responsibilities": [
            {"id": s.id, "role": s.role, "status": s.status, "holders": list(s.holders)}
            for s in report.responsibilities
        ],
        "findings": [
            {
                "kind": f.kind,
                "responsibility": f.responsibility,
                "executives": list(f.executives),
                "duties": list(f.duties),
                "message": f.message,
            }
            for f in report.findings
        ],
        "raci": [
            {"activity": a.activity, "sheet": a.sheet, "cell": a.cell,
             "accountable": list(a.accountable), "responsible": list(a.responsible)}
            for a in plan.raci
        ],
        "summary": {
            "coverage": dict(report.coverage),
            "counts": dict(report.counts),
            "role_holders": {k: list(v) for k, v in report.role_holders.items()},
        },
    }
