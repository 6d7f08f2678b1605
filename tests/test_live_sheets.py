"""The grouping both live-Excel writers share (addin/live_sheets.py)."""

from __future__ import annotations

from datetime import date

from addin.live_sheets import cell_ref, is_text, link_sheet, live_sheet, live_value
from addin.report_model import Cell, Link, ReportSheet, Style

STYLES = {"": Style(), "head": Style(bold=True), "low": Style(valign_top=False, fill="#FFFFFF")}


def test_grid_is_padded_and_styles_are_grouped_in_blocks() -> None:
    sheet = ReportSheet("S", (
        (Cell("a", "head"), Cell("b", "head"), Cell("c", "head")),
        (Cell(1),),
        (Cell(2), Cell("x", "", Link("Duties", "A2"))),
    ), (10,))
    live = live_sheet(sheet, STYLES)
    assert live.width == 3 and [len(r) for r in live.rows] == [3, 3, 3]
    assert live.top_aligned and live.grid is not None and live.grid.address == "A1:C3"
    assert [(s.name, [b.address for b in s.blocks]) for s in live.styles] == [("head", ["A1:C1"])]
    assert [(link.row, link.col, link.text) for link in live.links] == [(2, 1, "x")]


def test_one_bottom_aligned_style_turns_off_the_sheet_wide_alignment() -> None:
    sheet = ReportSheet("S", ((Cell("a", "low"), Cell("b")),), (10,))
    live = live_sheet(sheet, STYLES)
    assert not live.top_aligned
    assert [s.name for s in live.styles] == ["low", ""]  # "" now differs: it is top-aligned


def test_values_text_and_references() -> None:
    assert live_value(date(2027, 3, 1)) == "2027-03-01" and live_value(3) == 3
    assert is_text(Cell("007")) and is_text(Cell(date(2027, 3, 1)))
    assert is_text(Cell(5, "", Link("S", "A1"))) and not is_text(Cell(5))
    assert cell_ref("It's", "B2") == "'It''s'!B2"
    names = {"Duties": "Duties (2)"}
    assert link_sheet(Link("Duties", "A2"), names) == "Duties (2)"
    assert link_sheet(Link("Duties", "A2", "plan.xlsx"), names) == "Duties"
