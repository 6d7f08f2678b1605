"""The report book -> add-in sheets translation (addin/web_sheets.py)."""

from __future__ import annotations

from datetime import date

import pytest

from addin.live_sheets import address, column_name
from addin.report_model import STYLES, Cell, Link, ReportBook, ReportSheet, Style
from addin.web_sheets import TEXT_FORMAT, book_to_json, sheet_to_json, width_points


def _book(*sheets: ReportSheet, styles: dict[str, Style] | None = None) -> ReportBook:
    return ReportBook(title="t", plan="plan.xlsx", sheets=sheets, styles=styles or STYLES)


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"),
                                                (701, "ZZ"), (702, "AAA")])
def test_column_name(index: int, letters: str) -> None:
    assert column_name(index) == letters


def test_address_and_width() -> None:
    assert address(0, 0, 0, 0) == "A1"
    assert address(1, 2, 9, 27) == "C2:AB10"
    assert width_points(10) == 56.25  # 75 px


def test_values_are_padded_and_text_is_never_a_formula() -> None:
    sheet = ReportSheet("Duties", rows=(
        (Cell("Duty", "header"), Cell("Confidence", "header")),
        (Cell("=HYPERLINK(\"http://x\")", "text"), Cell(0.25, "percent")),
        (),
        (Cell("007"), Cell(None), Cell(date(2027, 3, 1)), Cell(True)),
    ), widths=(40, 12))
    out = sheet_to_json(sheet, _book(sheet))
    assert out["values"] == [["Duty", "Confidence", "", ""],
                             ['=HYPERLINK("http://x")', 0.25, "", ""],
                             ["", "", "", ""],
                             ["007", "", "2027-03-01", True]]
    fmt = out["numberFormat"]
    assert fmt[1] == [TEXT_FORMAT, "0%", "General", "General"]
    assert fmt[3][0] == TEXT_FORMAT and fmt[3][2] == TEXT_FORMAT
    assert fmt[3][3] == "General"
    assert out["columnWidths"] == [width_points(40), width_points(12)]


def _covered(formats: list[dict[str, object]]) -> dict[tuple[int, int], list[dict[str, object]]]:
    """Which style props land on each cell, in the order they are applied."""
    from openpyxl.utils.cell import range_boundaries

    cells: dict[tuple[int, int], list[dict[str, object]]] = {}
    for f in formats:
        c1, r1, c2, r2 = range_boundaries(str(f["address"]))
        for r in range(r1 - 1, r2):
            for c in range(c1 - 1, c2):
                cells.setdefault((r, c), []).append(f["style"])  # type: ignore[arg-type]
    return cells


def test_every_styled_cell_gets_its_style_and_runs_are_merged() -> None:
    styles = {**STYLES, "brand.new": Style(italic=True, fill="#123456")}
    rows = [(Cell("h1", "header"), Cell("h2", "header"), Cell("h3", "header"))]
    for i in range(20):
        rows.append((Cell(f"n{i}", "label"), Cell(i, "number"),
                     Cell("x", "brand.new" if i % 2 else "text")))
    sheet = ReportSheet("S", rows=tuple(rows), widths=(10, 10, 10))
    out = sheet_to_json(sheet, _book(sheet, styles=styles))
    covered = _covered(out["formats"])
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            applied: dict[str, object] = {}
            for props in covered.get((r, c), []):
                applied.update(props)
            want = {"valign": "Top"} | {k: v for k, v in _props(styles[cell.style]).items()}
            assert applied == want, (r, c)
    # 20 label cells in one column are one rectangle, not 20
    assert sum(1 for f in out["formats"] if f["style"] == _props(styles["label"])) == 1
    assert len(out["formats"]) < 30


def _props(style: Style) -> dict[str, object]:
    from addin.web_sheets import style_props

    return style_props(style)


def test_links_freeze_and_long_names() -> None:
    name = "A sheet name longer than thirty-one characters"
    sheet = ReportSheet(name, rows=(
        (Cell("D7", "link", Link("Plan sheet", "D7", "plan.xlsx")),
         Cell("cio.it_operations", "link", Link("Profiles", "A3"))),
    ), widths=(8, 20), freeze=(1, 3))
    (out,) = book_to_json(_book(sheet))
    assert out["name"] == name[:31]
    assert out["freeze"] == {"rows": 1, "columns": 3}
    assert out["links"] == [
        {"address": "A1", "sheet": "Plan sheet", "cell": "D7", "plan": True, "text": "D7"},
        {"address": "B1", "sheet": "Profiles", "cell": "A3", "plan": False,
         "text": "cio.it_operations"},
    ]
