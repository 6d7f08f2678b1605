"""The example plan that ``rolefit demo`` writes and checks."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml

from .files import write_atomic

EXAMPLE = Path(__file__).resolve().parent / "examples" / "example_plan.yaml"


def example_plan() -> dict[str, Any]:
    """The example company's plan as data (shipped inside the package)."""
    data: dict[str, Any] = yaml.load(EXAMPLE.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return data


def write_example_plan(path: Path) -> Path:
    """Write the example plan as a workbook the way a company would lay it out."""
    import xlsxwriter

    plan = example_plan()
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet(plan["sheet"])
    bold = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws.write_string(0, 0, plan["title"], bold)
    ws.write_string(1, 0, plan["subtitle"])
    for c, label in enumerate(plan["header"]):
        ws.write_string(3, c, label, head)
    row = 4
    for person in plan["executives"]:
        for i, duty in enumerate(person["duties"]):
            if i == 0:  # the executive is named once; the rows below belong to them too
                ws.write_string(row, 0, person["name"], wrap)
                ws.write_string(row, 1, person["title"], wrap)
                ws.write_string(row, 2, person["reports_to"], wrap)
            ws.write_string(row, 3, duty, wrap)
            row += 1
    ws.write_string(row + 1, 0, plan["note"])
    ws.set_column(0, 0, 22)
    ws.set_column(1, 2, 24)
    ws.set_column(3, 3, 70)
    ws.freeze_panes(4, 0)
    wb.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, out.getvalue())
    return path
